"""A PC without a system keyring, for the tests of the token's encrypted fallback.

No test lives here. ``no_keyring`` makes this process and every process a test
starts (the real ``gongkai`` command line) use keyring's own ``fail`` backend,
as on an office PC with no Secret Service, and points the per-user config
folder (where the encrypted token goes) at the test's own folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.sync import exchange

FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture
def no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No usable keyring, here and in child processes; yields the per-user config folder."""
    config = tmp_path / "user-config"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv(exchange.TOKEN_ENV, raising=False)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield config / "gongkai"
    keyring.set_keyring(before)
