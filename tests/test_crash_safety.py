"""A kill at any moment loses nothing committed and leaves nothing half-written."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.desk import open_desk

ROOT = Path(__file__).resolve().parents[1]


def big_catalog(path, n: int) -> None:
    items = [{"id": "", "domain": "社会救助", "seq": k, "level1": f"临时救助事项{k}",
              "level2": "救助对象", "elements": ["姓名", "救助金额"],
              "basis": "《社会救助暂行办法》（国务院令第649号）",
              "time_limit": "审批后10个工作日内", "subject": "乡镇人民政府",
              "channels": ["政府网站"], "audience": ["特定群体"], "mode": ["主动"],
              "levels": ["乡级"]} for k in range(1, n + 1)]
    path.write_text(json.dumps({"format": "gongkai-catalog", "items": items}, ensure_ascii=False),
                    encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.4, 0.9, 1.5])
def test_kill_during_import(tmp_path, data_dir, delay: float) -> None:
    with open_desk(data_dir) as store:
        before = store.scalar("SELECT count(*) FROM catalog_items")
    file = tmp_path / "big.json"
    big_catalog(file, 4000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.launch", "--data-dir", str(data_dir), "catalog", "import",
         str(file)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_desk(data_dir) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        after = store.scalar("SELECT count(*) FROM catalog_items")
        versions = store.scalar("SELECT count(*) FROM catalog_versions")
        assert (after, versions) in ((before, 1), (before + 4000, 2)), (before, after, versions)
