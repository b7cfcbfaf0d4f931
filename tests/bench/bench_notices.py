"""Figures for the notices issue. Run: ``.venv/bin/python tests/bench/bench_notices.py``.

Prints the time to check (要素 and personal data) and to mask a 3,000-line 名单.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tests_support import luhn_ok, make_id  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import drafts  # noqa: E402
from app.notices.privacy import find_personal_data, mask  # noqa: E402


def roster(lines: int) -> str:
    """A 名单 with an ID, a mobile and a card on most lines, like an unmasked draft."""
    rng = random.Random(7)
    out = ["序号\t姓名\t身份证号\t家庭人口\t保障金额\t联系电话\t银行卡号"]
    for k in range(1, lines + 1):
        ident = make_id(f"3401021{rng.randint(950, 999)}0{rng.randint(1, 9)}1{rng.randint(0, 2)}"
                        f"{rng.randint(100, 999)}")
        card = next(c for x in range(100)
                    if luhn_ok(c := f"622202{rng.randint(0, 10**11):011d}{x:02d}"))
        out.append(f"{k}\t村民{k}\t{ident}\t{rng.randint(1, 6)}\t{rng.randint(300, 2000)}元\t"
                   f"138 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}\t{card}")
    return "\n".join(out)


def main() -> None:
    """Print the figures."""
    body = roster(3000)
    start = time.perf_counter()
    found = find_personal_data(body)
    scan = time.perf_counter() - start
    start = time.perf_counter()
    masked = mask(body, found)
    masking = time.perf_counter() - start
    print(f"privacy scan of a 3,000-line 名单 ({len(body):,} characters): {scan * 1000:.0f} ms, "
          f"{len(found)} findings; masking {masking * 1000:.0f} ms; "
          f"left after masking: {len(find_personal_data(masked))}")
    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp)) as store:
        n = drafts.create_notice(store, "shjz-002", body=body)
        start = time.perf_counter()
        result = drafts.check_notice(store, n.id)
        took = time.perf_counter() - start
        print(f"notice check (要素 + personal data, from the database): {took * 1000:.0f} ms, "
              f"{len(result.findings)} findings, {len(result.missing)} 要素 missing")


if __name__ == "__main__":
    main()
