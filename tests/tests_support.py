"""Test data shared by several test modules."""

from __future__ import annotations

import subprocess
from pathlib import Path

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """A real-looking ID number: the check digit computed as GB 11643 says."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def luhn_ok(number: str) -> bool:
    """The Luhn check."""
    total = 0
    for n, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if n % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def body_with_personal_data() -> tuple[str, list[str]]:
    """A 低保 公示 body holding ID numbers (one ending in X), a spaced mobile, a card."""
    plain = make_id("34010219800101301")
    with_x = next(i for n in range(1000) if (i := make_id(f"34010219750601{n:03d}"))
                  .endswith("X"))
    card = next(c for k in range(100) if luhn_ok(c := "622202" + f"{k:013d}"))
    body = (
        "根据《最低生活保障审核确认办法》（民发〔2021〕57号），2026年11月20日经初审，"
        "现将初审对象名单公示如下：\n"
        f"一、初审对象名单：张三，身份证号{plain}，家庭人口3人，拟保障金额每月1260元，"
        "联系电话 138 1234 5678；\n"
        f"李四，身份证号{with_x}，家庭人口2人，拟保障金额每月840元，银行卡号{card}。\n"
        "二、家庭人口：见名单。\n三、拟保障金额：合计2100元。\n"
        "监督电话：0551-62345678"
    )
    return body, [plain, "138 1234 5678", with_x, card]


def libreoffice_to_pdf(document: Path, outdir: Path) -> Path:
    """Convert a .docx with ``soffice --headless --convert-to pdf`` and return the PDF's path.

    Each call gets its own LibreOffice profile, so parallel or repeated runs
    never wait on another instance's lock.
    """
    profile = Path(outdir) / ".lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(document)],
                   check=True, capture_output=True, timeout=180)
    return Path(outdir) / (Path(document).stem + ".pdf")
