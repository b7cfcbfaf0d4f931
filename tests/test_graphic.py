"""The 图解: a PNG exactly 1080 px wide and a PDF of the same drawing, read back."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image

from app.notices.interpretation import Figure, Graphic
from app.printing.graphic import (
    MIN_PT,
    PNG_WIDTH,
    layout_graphic,
    render_graphic_pdf,
    render_graphic_png,
)

POINTS = (
    ("谁可以申请", "共同生活的家庭成员人均收入低于当地低保标准，且家庭财产符合规定的，"
                   "可以向户籍所在地乡镇人民政府申请。"),
    ("怎么申请", "到镇便民服务中心提交申请书、身份证、户口簿和收入证明。"),
    ("多长时间办结", "自受理之日起30个工作日内办结。"),
)


def graphic(points=POINTS, **kw) -> Graphic:
    base = dict(title="一图读懂《青石镇最低生活保障实施办法》",
                subtitle="《青石镇最低生活保障实施办法》政策解读", points=points,
                figures=(Figure("每人每月", "680元"), Figure("公示期", "11月23日至12月1日")),
                qr_url="https://www.example.gov.cn/qs/1123.html", phone="0551-62345678",
                issuer="青石镇人民政府", date="2026年11月23日")
    base.update(kw)
    return Graphic(**base)


def pdf_text(pdf: Path) -> str:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        assert len(doc) == 1
        return "".join(doc[0].get_textpage().get_text_range().split())
    finally:
        doc.close()


def test_png_is_1080_wide_and_the_pdf_holds_title_points_figures_and_phone(tmp_path) -> None:
    g = graphic()
    png = render_graphic_png(g, tmp_path / "g.png")
    pdf = render_graphic_pdf(g, tmp_path / "g.pdf")
    with Image.open(png) as image:
        assert image.width == PNG_WIDTH == 1080
        assert image.height > image.width  # a tall picture for a phone
        # The title band is red, the foot white: the drawing really is in the pixels.
        assert image.getpixel((10, 10))[:3] == (200, 16, 46)
    text = pdf_text(pdf)
    for piece in (g.title, g.subtitle, *(h for h, _ in POINTS), *(t for _, t in POINTS),
                  "680元", "11月23日至12月1日", "咨询电话", "0551-62345678", "青石镇人民政府",
                  "2026年11月23日"):
        assert "".join(piece.split()) in text, piece


def test_many_long_points_make_a_taller_picture_never_smaller_type(tmp_path) -> None:
    short = layout_graphic(graphic())
    many = tuple((f"第{n}条", "本条内容较长，" * 12) for n in range(1, 16))
    tall = layout_graphic(graphic(points=many))
    assert tall.height > short.height * 2
    assert min(t.size for t in tall.texts) >= MIN_PT
    assert min(t.size for t in short.texts) >= MIN_PT
    assert all(t.x + 0.1 >= 0 for t in tall.texts)
    png = render_graphic_png(graphic(points=many), tmp_path / "tall.png")
    with Image.open(png) as image:
        assert image.width == 1080
        assert abs(image.height - round(tall.height * 2)) <= 1
    text = pdf_text(render_graphic_pdf(graphic(points=many), tmp_path / "tall.pdf"))
    assert all(f"第{n}条" in text for n in range(1, 16))


def test_without_qr_phone_or_figures_it_still_draws(tmp_path) -> None:
    g = graphic(figures=(), qr_url="", phone="", points=(("", "只有一句话。"),))
    png = render_graphic_png(g, tmp_path / "bare.png")
    with Image.open(png) as image:
        assert image.width == 1080
    assert "只有一句话。" in pdf_text(render_graphic_pdf(g, tmp_path / "bare.pdf"))


def test_a_graphic_interpretation_renders_as_png_and_pdf_from_the_command_line(township, gk,
                                                                             tmp_path) -> None:
    from app.notices import drafts

    parent = drafts.create_notice(township, "shjz-002", kind="公示")
    n = drafts.create_notice(township, None, kind="解读", explains=parent.id, form="图解")
    png, pdf = tmp_path / "图解.png", tmp_path / "图解.pdf"
    gk("notice", "render", n.id, "--graphic", "--out", str(png))
    gk("notice", "render", n.id, "--graphic", "--out", str(pdf))
    from PIL import Image

    with Image.open(png) as im:
        assert im.width == 1080 and im.height > 300
    import subprocess

    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "".join(n.title.split()) in text
    refused = gk("notice", "render", parent.id, "--graphic", "--out", str(png), check=False)
    assert refused.returncode == 1 and "政策解读" in refused.stderr
    wrong = gk("notice", "render", n.id, "--graphic", "--out", str(tmp_path / "x.gif"),
               check=False)
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1
