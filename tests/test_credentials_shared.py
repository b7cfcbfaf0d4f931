"""Two programs of the same user keeping their keys at once lose none of them.

The window, a scheduled ``gongkai sync`` and a second data folder all keep
their county tokens and signing keys in the one per-user config folder; each
save reads the encrypted file and writes it back whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.sync import credentials

pytest_plugins = ["keyring_support"]

SAVER = """
import sys
from app.sync import credentials
who, count = sys.argv[1], int(sys.argv[2])
for k in range(count):
    credentials.save(f"https://{who}-{k}.example.gov.cn", f"token-{who}-{k}")
"""


def test_two_programs_saving_at_once_keep_every_key(no_keyring: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    savers = [subprocess.Popen([sys.executable, "-c", SAVER, who, "40"], env=env)
              for who in ("window", "timer", "second-desk")]
    assert [p.wait(timeout=120) for p in savers] == [0, 0, 0]
    lost = [f"{who}-{k}" for who in ("window", "timer", "second-desk") for k in range(40)
            if credentials.load(f"https://{who}-{k}.example.gov.cn") != f"token-{who}-{k}"]
    assert lost == []
    assert (no_keyring / credentials.LOCK_FILE).stat().st_mode & 0o777 == 0o600


def test_a_lock_held_elsewhere_is_waited_for_then_one_sentence(
        no_keyring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.errors import UserError

    monkeypatch.setattr(credentials, "LOCK_WAIT_S", 0.2)
    credentials.save("https://gk.example.gov.cn", "before")
    hold = ("import sys, time\nfrom filelock import FileLock\n"
            "with FileLock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(5)\n")
    holder = subprocess.Popen([sys.executable, "-c", hold,
                               str(no_keyring / credentials.LOCK_FILE)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(UserError, match="另一个工作台程序正在保存连接密钥"):
            credentials.save("https://gk.example.gov.cn", "after")
    finally:
        holder.kill()
        holder.wait()
    assert credentials.load("https://gk.example.gov.cn") == "before"  # nothing half-written
