"""佐证材料: one PDF of the year's records, read back as the county's assessor reads it."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from tests_support import HANDOUT_BODY, TITLES, approve_step

from app.assessment import evidence
from app.assessment.assess import COUNTERS, Deduction, Record
from app.errors import UserError
from app.info_requests import cases, letters
from app.notices import boards, drafts, review
from app.township import set_township

pytestmark = pytest.mark.usefixtures("pinned_today")
TODAY = "2026-11-23"
REVIEWERS = ("王明", "李华", "赵强")


def photo(path: Path, seed: int, size: tuple[int, int] = (1500, 2000)) -> Path:
    """A phone-like photo: a gradient, a board, sheets and noise, saved as JPEG or PNG."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    board = Image.new("RGB", (size[0] * 3 // 4, size[1] // 2), (rng.randrange(40, 120), 70, 120))
    base.paste(board, (size[0] // 8, size[1] // 5))
    noise = Image.effect_noise(size, 20).convert("RGB")
    picture = Image.blend(base, noise, 0.15)
    picture.save(path, "PNG" if path.suffix == ".png" else "JPEG", quality=90)
    return path


def make_desk(store, tmp_path: Path):
    """青石镇 with three-step review, two villages' boards, four notices posted with photos
    (one with none), one notice still a draft, and one request with its case files."""
    set_township(store, "青石镇", "东山县", "0551-62345678")
    review.set_review_steps(store, 3)
    boards.set_villages(store, ["东山村", "西岭村"])
    posted = []
    for k in range(4):
        n = drafts.create_notice(store, "shjz-002", formed="2026-11-02", title=TITLES[k + 2])
        for reviewer in REVIEWERS:
            approve_step(store, n.id, reviewer, "同意公开")
        boards.post(store, n.id, "镇政务公开栏", on="2026-11-05",
                    photo=photo(tmp_path / f"t{k}.jpg", k) if k < 3 else None)
        boards.post(store, n.id, "东山村务公开栏", on="2026-11-06",
                    photo=photo(tmp_path / f"v{k}.png" if k == 0 else tmp_path / f"v{k}.jpg",
                                10 + k) if k < 3 else None)
        posted.append(drafts.get_notice(store, n.id))
    drafts.create_notice(store, "shjz-002", formed="2026-11-10", title="尚未审核的草稿公示")
    r = cases.register(store, "张三", "自然人", "2026-10-12", "2026年村道维修资金使用情况")
    cases.answer(store, r.id, "予以公开", on="2026-10-20")
    scan = photo(tmp_path / "申请书.jpg", 99, (1200, 1700))
    cases.attach(store, r.id, scan, "申请书")
    note = tmp_path / "送达回证.txt"
    note.write_text("送达回证", encoding="utf-8")
    cases.attach(store, r.id, note, "送达回证")
    letters.keep_letter(store, r.id, "答复书")  # the reply as sent: a PDF in the case file
    return store, posted, cases.get_request(store, r.id)


@pytest.fixture
def desk(store, tmp_path: Path):
    """The desk of :func:`make_desk`."""
    return make_desk(store, tmp_path)


def text_of(pdf: Path) -> str:
    """Every page's text in the order it was drawn (a table cell by cell)."""
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def images_of(pdf: Path) -> list[list[str]]:
    """``pdfimages -list``: one row per image drawn (page, num, type, width, height …)."""
    lines = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [line.split() for line in lines]


def outline(pdf: Path) -> list[tuple[int, str, int | None]]:
    """The bookmarks as (level, title, page index)."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [(item.level, item.get_title(), item.get_dest().get_index()
                 if item.get_dest() else None) for item in doc.get_toc()]
    finally:
        doc.close()


def test_every_notice_and_photo_is_in_the_file_under_its_indicator(desk, tmp_path: Path) -> None:
    store, posted, request = desk
    out = tmp_path / "佐证材料.pdf"
    late = Record("notice", posted[2].id, posted[2].title)
    chapters = evidence.arrange(
        [("timely", "公开及时", "主动公开", 10.0), ("photos", "张贴有照片", "主动公开", 5.0),
         ("apply", "依申请公开答复", "依申请公开", 10.0), ("report", "年度报告", "年度报告", 5.0),
         ("fix", "整改落实", "整改", 5.0), ("web", "网站建设", "其他", 5.0)],
        {"timely": "late_notices", "photos": "postings_without_photo",
         "apply": "late_requests", "report": "annual_report_missing", "fix": "rectify_overdue"},
        [Deduction("timely", "公开及时", "主动公开", 2.0, (late,)),
         Deduction("photos", "张贴有照片", "主动公开", 1.0,
                   (Record("notice", posted[3].id, posted[3].title),
                    Record("notice", "gone", "已删除的旧公示")))])
    built = evidence.build_evidence(store, out, 2026, chapters=chapters)
    assert out.exists() and built.path == out
    assert built.notices == 4 and built.photos == 6 and built.requests == 1
    text = "".join(text_of(out).split())
    for n in posted:
        assert n.title in text, n.title
    assert "尚未审核的草稿公示" not in text  # never posted: not disclosed in the year
    for words in ("公开信息审批单", "保密审查", "同意公开", *REVIEWERS, "依申请公开案卷",
                  "登记回执", "答复书", "2026年村道维修资金使用情况", "送达回证.txt",
                  "东山村村务公开栏，张贴于2026-11-06", "年度报告数据", "网站建设",
                  "本项的材料工作台中没有记录"):
        assert words in text, words
    # Six posting photos, the application's photo and the kept reply's one page as a
    # picture: eight, the photos shrunk to print size, the page at its scanning resolution.
    pictures = sorted(max(int(row[3]), int(row[4])) for row in images_of(out))
    assert len(pictures) == 8
    assert pictures[:7] == [evidence.PHOTO_SIDE] * 7
    assert abs(pictures[7] - 841.9 * evidence.SCAN_DPI / 72) < 2  # A4 is 841.9 pt tall
    # The bookmarks are the rules' sections, then their indicators, then the records.
    marks = outline(out)
    top = [title for level, title, _ in marks if level == 0]
    assert top[:2] == ["封面", "目录"]
    assert top[2:] == ["主动公开", "依申请公开", "年度报告", "整改", "其他",
                       "附：未对应考核指标的材料"]
    indicators = [title for level, title, _ in marks if level == 1]
    assert indicators[:2] == ["公开及时（10分，扣2分）", "张贴有照片（5分，扣1分）"]
    under_first = []
    for level, title, _page in marks[marks.index((1, indicators[0], marks[3][2])):]:
        if level == 1 and title != indicators[0]:
            break
        if level == 2:
            under_first.append(title)
    # The notice the deduction names comes first, marked; every notice is printed there.
    assert under_first[0] == "【扣分】" + posted[2].title
    assert sorted(t.removeprefix("【扣分】") for t in under_first) == sorted(
        n.title for n in posted)
    # The second notice indicator refers back to the page its notice is on.
    second = [(t, page) for level, t, page in marks if level == 2 and t.endswith(posted[3].title)]
    assert len(second) == 2 and second[0][1] == second[1][1]
    assert f"见第{second[0][1] + 1}页" in text
    assert "已删除的旧公示（不在本期材料中）" in text


def test_pages_are_numbered_and_fonts_embedded(desk, tmp_path: Path) -> None:
    store, posted, _request = desk
    out = tmp_path / "季度.pdf"
    built = evidence.build_evidence(store, out, 2026, quarter=4)
    doc = pypdfium2.PdfDocument(str(out))
    pages = len(doc)
    footers = [doc[i].get_textpage().get_text_bounded(bottom=0, top=45) for i in range(pages)]
    doc.close()
    assert pages == built.pages
    for index, foot in enumerate(footers):
        flat = "".join(foot.split())
        assert f"—{index + 1}—" in flat and f"共{pages}页" in flat, (index, foot)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    text = "".join(text_of(out).split())
    assert "2026年第四季度" in text
    # The 目录 lists every notice with the page its 审批单 is on.
    marks = outline(out)
    for n in posted:
        # A notice a deduction names is marked 【扣分】 before its title.
        page = next(p for level, t, p in marks
                    if level == 2 and t.removeprefix("【扣分】") == n.title)
        assert page is not None and page > 1
    # With the shipped rules, the material sits under the indicator whose counter reads it.
    heads = [t for level, t, _ in marks if level == 1]
    where = {t: max(i for i, (level, head, _) in enumerate(marks[:k]) if level == 1)
             for k, (level, t, _) in enumerate(marks) if level == 2}
    case = next(t for t in where if t.startswith("2026-001"))
    assert marks[where[case]][1].startswith("依申请公开按时答复")
    assert marks[where[posted[0].title if posted[0].title in where
                       else "【扣分】" + posted[0].title]][1].startswith("主动公开及时性")
    assert not any(h.startswith(("依申请公开案卷", "整改记录")) for h in heads)


def test_a_failure_midway_leaves_no_file(desk, tmp_path: Path) -> None:
    store, _posted, _request = desk
    out = tmp_path / "佐证材料.pdf"
    out.write_bytes(b"%PDF-1.4 the old file")
    calls = []

    def cancel(done: int, total: int) -> None:
        calls.append((done, total))
        if done > total // 2:
            raise UserError(evidence.CANCELLED)

    with pytest.raises(UserError, match="已取消"):
        evidence.build_evidence(store, out, 2026, report=cancel)
    assert out.read_bytes() == b"%PDF-1.4 the old file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []
    assert calls[0][0] == 0 and len({total for _, total in calls}) == 1


def test_the_default_chapters_name_every_counter() -> None:
    chapters = evidence.arrange(evidence.default_indicators())
    assert sorted(c.key for c in chapters) == sorted(COUNTERS)
    # Each section once, its indicators together, in the order the section first came.
    sections = [c.section for c in chapters]
    assert sections == sorted(sections, key=sections.index)
    assert sections[0] == "主动公开" and sections.count("主动公开") == 4
    printing = [c.kind for c in chapters if c.prints]
    assert sorted(printing) == sorted({kind for _w, kind in COUNTERS.values()})
    # A rules file with an indicator the desk cannot count: it has no material.
    odd = evidence.arrange([("web", "网站", "其他", 3.0)])
    assert odd[0].kind is None and not odd[0].prints
    assert {c.kind for c in odd[1:]} == set(evidence.KIND_SECTIONS)


def test_refused_before_anything_is_read(store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="PDF"):
        evidence.build_evidence(store, tmp_path / "x.docx", 2026)
    with pytest.raises(UserError, match="季度"):
        evidence.build_evidence(store, tmp_path / "x.pdf", 2026, quarter=5)
    assert not (tmp_path / "x.pdf").exists()


def test_photos_shrink_to_print_quality_and_stand_upright(tmp_path: Path) -> None:
    big = photo(tmp_path / "big.jpg", 1, (3000, 4000))
    with Image.open(big) as im:
        exif = im.getexif()
        exif[0x0112] = 6  # the phone was held on its side: turn 90° to show it
        im.save(tmp_path / "turned.jpg", exif=exif, quality=90)
    w, h = evidence.shrink_photo(tmp_path / "turned.jpg", tmp_path / "small.jpg")
    assert (w, h) == (evidence.PHOTO_SIDE, evidence.PHOTO_SIDE * 3 // 4)
    assert (tmp_path / "small.jpg").stat().st_size < 100_000 < big.stat().st_size


def test_the_cli_writes_the_file(gk, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.pdf"
    result = gk.json("evidence", "--year", "2026", "--out", str(out))
    assert result["pages"] >= 3 and out.exists() and result["bytes"] == out.stat().st_size
    refused = gk("evidence", "--year", "2026", "--quarter", "7", "--out", str(out),
                 check=False)
    assert refused.returncode == 1 and "季度" in refused.stderr


def test_a_photo_that_cannot_be_read_is_named_not_fatal(desk, tmp_path: Path) -> None:
    store, posted, _request = desk
    broken = boards.photo_path(store, posted[0].postings[0]["photo"])
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a photo any more")
    out = tmp_path / "e.pdf"
    built = evidence.build_evidence(store, out, 2026)
    text = "".join(text_of(out).split())
    assert f"镇政务公开栏（2026-11-05）的照片文件无法读取：{broken.name}" in text
    assert built.photos == 5
    assert len(images_of(out)) == 5 + 2  # and the application's photo and the reply


def test_a_process_killed_midway_leaves_no_file_under_the_name(desk, data_dir: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "佐证材料.pdf"
    out.write_bytes(b"%PDF-1.4 the old file")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from app.desk import open_desk\n"
        "from app.assessment.evidence import build_evidence\n"
        "def report(done, total):\n"
        "    if done > total // 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "build_evidence(open_desk(sys.argv[1]), Path(sys.argv[2]), 2026, report=report)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(data_dir), str(out)],
                          cwd=Path(__file__).resolve().parents[1], capture_output=True,
                          timeout=120)
    assert proc.returncode == -9, proc.stderr
    assert out.read_bytes() == b"%PDF-1.4 the old file"


def test_a_handout_prints_as_its_handout(desk, tmp_path: Path) -> None:
    store, _posted, _request = desk
    n = drafts.create_notice(store, "shjz-002", formed="2026-11-02", kind="明白纸",
                             title="最低生活保障政策法规文件明白纸", body=HANDOUT_BODY)
    for reviewer in REVIEWERS:
        approve_step(store, n.id, reviewer)
    boards.post(store, n.id, "镇政务公开栏", on="2026-11-05", photo=photo(tmp_path / "h.jpg", 5))
    out = tmp_path / "e.pdf"
    evidence.build_evidence(store, out, 2026)
    marks = outline(out)
    at = next(k for k, (_level, title, _page) in enumerate(marks) if title == n.title)
    page = next(p for _level, title, p in marks[at:] if title == "张贴稿")
    doc = pypdfium2.PdfDocument(str(out))
    try:
        text = "".join(doc[page].get_textpage().get_text_range().split())
    finally:
        doc.close()
    assert "一、政策是什么" in text and "监督电话" in text  # the handout's tabs and strip


def test_the_rectify_records_print_with_their_evidence_photo(desk, tmp_path: Path) -> None:
    from datetime import date

    from app.planning import rectify

    store, posted, _request = desk
    fixed, _late = rectify.import_rows(
        store, "东山县2026年第三季度测评问题清单", "测试", date(2026, 10, 9),
        [{"问题": "低保公示未标明公示期", "指标": "公示期", "整改要求": "补充公示期并重新张贴",
          "期限": "10个工作日", "关联": f"notice:{posted[0].id}"},
         {"问题": "公开栏照片缺失", "指标": "张贴照片", "整改要求": "补拍照片",
          "期限": "10个工作日"}])
    rectify.record_fix(store, fixed.id, "2026-10-20", "已补充公示期并重新张贴",
                       [photo(tmp_path / "重新张贴.jpg", 42)], "王明", today=date(2026, 11, 23))
    out = tmp_path / "e.pdf"
    built = evidence.build_evidence(store, out, 2026)
    assert built.problems == 2
    text = "".join(text_of(out).split())
    for words in ("低保公示未标明公示期", "补充公示期并重新张贴", "2026-10-22（10个工作日）",
                  "已整改", "2026-10-20已补充公示期并重新张贴（王明）", "重新张贴.jpg",
                  "公开栏照片缺失", "逾期未整改"):
        assert words in text, words
    assert len(images_of(out)) == built.photos + 2 + 1  # and the fix's photo
    marks = [t for level, t, _ in outline(out) if level == 2]
    assert "东山县2026年第三季度测评问题清单第1项：低保公示未标明公示期" in marks
