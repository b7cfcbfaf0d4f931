"""Test data shared by several test modules."""

from __future__ import annotations

import io
import os
import random
import sqlite3
import subprocess
import zipfile
from pathlib import Path

from app import migrations, paths
from app.facts import REVIEW_CHECKLIST

#: ``notice approve`` with every checklist item confirmed, and the outline's
#: unwritten 要素 let through with a reason (what most tests need to get past review).
CONFIRMED = ("--checked", ",".join(REVIEW_CHECKLIST), "--override", "测试：名单另附")

REFERENCE = Path(__file__).parent / "reference"
#: A 低保 明白纸 body with the six usual sections.
HANDOUT_BODY = """一、政策是什么：最低生活保障是对家庭人均收入低于当地标准的困难家庭按月发放的救助。
二、谁能享受：本镇户籍、共同生活的家庭成员人均收入低于每月700元且财产符合规定的家庭。
三、标准是多少：按家庭人均收入与保障标准的差额发放。
四、怎么办理：向户籍所在地镇人民政府或村（居）民委员会提出申请。
五、要带什么材料：户口簿、身份证、家庭收入和财产情况说明。
六、找谁咨询：镇社会事务办公室。"""

#: Titles of real notices, 15 to 40 characters, the first two as once misprinted
#: (「…发放情况的公」/「示」 and 「…审批（确认）信息」/「的公示」).
TITLES = [
    "关于2026年耕地地力保护补贴发放情况的公示",
    "青石镇关于2026年度农村危房改造对象审批（确认）信息的公示",
    "青石镇关于最低生活保障审核信息的公示",
    "关于2026年第三季度特困人员救助供养金发放情况的公示",
    "青石镇2026年度临时救助对象名单公示",
    "关于东山村2026年村级财务收支情况的公示",
    "青石镇关于2026年度高龄老人津贴发放名单的公示",
    "关于2026年困难残疾人生活补贴和重度残疾人护理补贴发放情况的公示",
    "青石镇人民政府关于2026年农机购置补贴资金兑付情况的公告",
    "关于开展2026年度城乡居民基本医疗保险集中参保缴费工作的通知",
    "青石镇关于拟推荐2026年度优秀村干部人选的公示",
    "关于2026年生态公益林补偿资金发放情况的公示",
    "青石镇2026年公益性岗位人员招聘拟录用人员名单公示",
    "关于青石镇2026年度农村集体经济组织成员身份确认结果的公示",
    "关于2026年种粮农民一次性补贴发放情况的公示",
    "青石镇关于2026年度义务教育阶段家庭经济困难学生资助名单的公示",
    "关于2026年度退役军人优待金发放情况的公示",
    "青石镇关于2026年乡村振兴衔接资金项目安排情况的公告",
    "关于西岭村宅基地审批结果的公示",
    "青石镇2026年防返贫监测对象识别认定情况公示",
    "关于2026年第二批农村厕所改造补助资金发放的公示",
    "最低生活保障政策法规文件明白纸",
    "青石镇关于调整2026年度城乡最低生活保障标准的通告",
    "关于2026年度困境儿童基本生活费发放情况的公示",
    "青石镇人民政府政府信息公开申请答复书",
    "青石镇人民政府关于2026年度农村低收入人口常态化帮扶政策落实资金发放情况的公示",
    "青石镇关于东山村道路维修工程招标结果的公示",
    "关于2026年度惠民惠农财政补贴资金“一卡通”发放情况的公示",
    "青石镇关于2026年度城乡居民基本养老保险待遇领取资格认证及补发情况的公示",
    "关于青石镇2026年度中央财政衔接推进乡村振兴补助资金项目实施情况的公示",
    "青石镇关于2026年度特困人员供养对象动态管理调整情况的公示",
    "关于2026年农村饮水安全工程维修养护资金使用情况的公示",
]


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


def page_pgm(pdf: Path, out: Path, page: int = 1) -> tuple[int, int, bytes]:
    """A page as an 8-bit grey PGM at 30 dpi (pdftoppm), read without any image library."""
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out)], check=True)
    magic, width, height, maxval, pixels = out.with_suffix(".pgm").read_bytes().split(
        maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels


def assert_matches_reference(pdf: Path, case: str, tmp: Path, tolerance: float = 0.005) -> None:
    """Page 1 of ``pdf`` looks like tests/reference/CASE.pgm: under ``tolerance`` of pixels moved.

    ``GONGKAI_UPDATE_REFERENCE=1`` (or a missing reference) writes the image
    and fails, so that a person looks at it before it becomes the reference.
    """
    width, height, pixels = page_pgm(pdf, tmp / case)
    reference = REFERENCE / f"{case}.pgm"
    if os.environ.get("GONGKAI_UPDATE_REFERENCE") or not reference.exists():
        reference.write_bytes(b"P5\n%d %d\n255\n" % (width, height) + pixels)
        raise AssertionError(f"reference image {reference.name} written; check it and run again")
    _magic, ref_w, ref_h, _max, ref = reference.read_bytes().split(maxsplit=4)
    assert (int(ref_w), int(ref_h)) == (width, height)
    differing = sum(1 for a, b in zip(pixels, ref, strict=True) if abs(a - b) > 64)
    assert differing / len(ref) < tolerance, f"{differing} of {len(ref)} pixels moved"


def fill_outbox(store, notices: int, photos: int, photo_bytes: int = 48_000) -> list[str]:
    """Approve ``notices`` notices, the first ``photos`` posted with a photo of their own.

    One review step keeps it quick; the photos are distinct (so each is one
    attachment) and about the size of a phone picture shrunk for upload.
    """
    import random

    from app.notices import boards, review
    from app.notices import drafts as notice_api
    from app.township import set_township

    set_township(store, "青石镇", "东山县", "0551-62345678")
    review.set_review_steps(store, 1)
    rng = random.Random(7)
    folder = store.folder / "incoming"
    folder.mkdir(exist_ok=True)
    ids = []
    for k in range(notices):
        n = notice_api.create_notice(store, "shjz-002", formed="2026-11-20",
                                     title=f"青石镇第{k + 1}批最低生活保障审核信息公示")
        approve_step(store, n.id, "王明")
        if k < photos:
            photo = folder / f"p{k}.jpg"
            photo.write_bytes(b"\xff\xd8\xff\xe0" + rng.randbytes(photo_bytes))
            boards.post(store, n.id, "镇政务公开栏", photo=photo)
        ids.append(n.id)
    return ids


def build_at_version(folder: Path, version: int) -> Path:
    """A database as an older release left it, with some data of that release in it."""
    db = paths.db_path(folder)
    conn = sqlite3.connect(db)
    for number, _title, sql in migrations.MIGRATIONS[:version]:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {number}")
    if version >= 1:
        conn.executescript(
            """
            INSERT INTO settings VALUES ('township', '青石镇');
            INSERT INTO domains (name, code, position, builtin, created_at)
                VALUES ('社会救助', 'shjz', 1, 1, '2025-01-01T00:00:00');
            INSERT INTO catalog_versions (label, source, loaded_at)
                VALUES ('旧目录', 'test', '2025-01-01T00:00:00');
            INSERT INTO catalog_items (item_id, rev, version_id, domain_id, seq, level1, rule)
                VALUES ('shjz-001', 1, 1, 1, 1, '最低生活保障', '{"kind": "unknown"}');
            """
        )
    if version >= 2:
        conn.execute("INSERT INTO calendar_years VALUES (2027, '[]', '[]', 'test', 'now')")
    if version >= 3:
        conn.execute("INSERT INTO boards (name, kind, position, created_at)"
                     " VALUES ('镇政务公开栏', 'township', 1, 'now')")
    conn.commit()
    conn.close()
    return db


def approve_step(store, notice_id: str, reviewer: str, opinion: str = ""):
    """One review step as a reviewer who confirms every checklist item (see CONFIRMED)."""
    from app.notices import review

    return review.approve(store, notice_id, reviewer, opinion, checked=REVIEW_CHECKLIST,
                          override="测试：名单另附")


#: The 7 columns of a 低保 公示 名单 as townships print them.
DIBAO_HEADER = ("序号", "姓名", "身份证号码", "联系电话", "家庭人口", "保障金额（元/月）", "所在村")
_SURNAMES = "张李王刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = ("桂兰", "秀英", "建国", "明华", "玉梅", "德胜", "春花", "志强", "凤英", "海波")
DIBAO_VILLAGES = ("青石村", "马家沟村", "东山村", "柳树湾村")


def dibao_rows(count: int) -> list[list[str]]:
    """``count`` rows of a 低保 名单: 3-character names (some of 4), masked IDs and phones."""
    rows = []
    for k in range(1, count + 1):
        name = "欧阳" + _GIVEN[k % 10] if k % 17 == 0 else _SURNAMES[k % 20] + _GIVEN[k % 10]
        rows.append([str(k), name, f"110101********{1000 + k % 9000:04d}",
                     f"13{k % 10}****{5600 + k % 400:04d}", str(k % 5 + 1),
                     f"{(k % 5 + 1) * 420:,}.00", DIBAO_VILLAGES[k % 4]])
    return rows


def dibao_roster(count: int) -> str:
    """A 低保 公示 body with a 7-column 名单 of ``count`` rows (tab-separated, as clerks paste)."""
    lines = ["\t".join(DIBAO_HEADER)] + ["\t".join(r) for r in dibao_rows(count)]
    return ("经村（居）民委员会评议、镇人民政府审核，现将2026年11月新增最低生活保障对象"
            "名单公示如下：\n" + "\n".join(lines)
            + "\n公示期间如有异议，请向镇社会事务办公室实名反映。")


def zip_part_garbage(genuine: bytes, seed: int, garbage: bytes) -> bytes:
    """A genuine .xlsx/.docx package with one member's content replaced by ``garbage``
    (its CRC valid, so only the reader's own checks can refuse it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(genuine)) as old, zipfile.ZipFile(buf, "w") as new:
        infos = old.infolist()
        victim = random.Random(seed).randrange(len(infos))
        for n, info in enumerate(infos):
            new.writestr(info.filename, garbage if n == victim else old.read(info))
    return buf.getvalue()


def flipped_bytes(genuine: bytes, seed: int, garbage: bytes) -> bytes:
    """``genuine`` with ``garbage`` written over it at a place chosen by ``seed``."""
    data = bytearray(genuine)
    at = random.Random(seed).randrange(len(data))
    data[at:at + len(garbage)] = garbage
    return bytes(data)
