"""Build the bundled print faces in resources/fonts/ from Debian's font packages.

Run once by a developer when a face is added or updated; the results are
committed, so neither CI nor a clerk's PC ever runs this::

    pip install -e ".[fonts]"
    python scripts/build_fonts.py            # downloads the .deb files with apt-get download
    python scripts/build_fonts.py --debs DIR # or uses .deb files already in DIR

ReportLab embeds only TrueType (glyf) outlines, so the CFF faces (Noto Serif
CJK, Fandol) are converted to quadratic curves here (fontTools' cu2qu, within
one font unit). The title face is cut down to the characters a title uses
(GB 2312 and the 通用规范汉字表 set Fandol covers); anything else in a title
falls back glyph by glyph to the Hanazono and BabelStone faces, which are cut
to what the role faces lack so that no glyph is shipped twice.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

OUT = Path(__file__).resolve().parent.parent / "resources" / "fonts"
#: How far (in font units, 1/1000 em here) a quadratic curve may stray from
#: the cubic one: a tenth of a hair line at 72 pt, invisible in print.
MAX_ERR = 1.0
PACKAGES = ("fonts-noto-cjk", "texlive-lang-chinese", "fonts-hanazono", "fonts-babelstone-han")

#: Latin, punctuation and symbols every role face must keep (ASCII, Latin-1,
#: general punctuation, number forms, arrows, enclosed numbers, CJK symbols,
#: full-width forms).
COMMON = [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2000, 0x2070),
          *range(0x2150, 0x2200), *range(0x2460, 0x2500), *range(0x25A0, 0x2600),
          *range(0x2700, 0x27C0), *range(0x3000, 0x3040), *range(0xFE30, 0xFE50),
          *range(0xFF00, 0xFFF0)]


def debs(folder: Path | None) -> Path:
    """The folder the packages are unpacked into (downloading them when no folder is given)."""
    work = Path(tempfile.mkdtemp(prefix="gk-fonts-"))
    if folder is None:
        folder = work / "debs"
        folder.mkdir()
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=folder, check=True)
    tree = work / "x"
    for deb in sorted(folder.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
    return tree


def cff_to_glyf(font: TTFont) -> None:
    """Replace ``font``'s cubic CFF outlines by quadratic TrueType ones, in place."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = newTable("maxp")
    font["maxp"].tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(font["maxp"], field, 0)
    font["maxp"].maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def cut(font: TTFont, keep: set[int]) -> None:
    """Keep only the glyphs of ``keep``'s characters (and what they need)."""
    options = subset.Options()
    options.layout_features = ["vert", "vrt2", "kern", "palt", "halt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep))
    subsetter.subset(font)


def chars(font: TTFont) -> set[int]:
    """The code points ``font`` maps."""
    return set(font.getBestCmap())


def build(tree: Path) -> None:
    """Write every bundled face into resources/fonts/."""
    fandol = tree / "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
    noto = tree / "usr/share/fonts/opentype/noto"
    hana = tree / "usr/share/fonts/truetype/hanazono"
    babel = tree / "usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"
    covered = chars(TTFont(fandol / "FandolSong-Bold.otf"))
    gb2312 = {c for c in range(0x4E00, 0xA000) if _in_gb2312(c)}
    roles = covered | gb2312 | set(COMMON)

    title = TTCollection(noto / "NotoSerifCJK-Bold.ttc").fonts[2]  # the SC face
    cut(title, roles)
    cff_to_glyf(title)
    _save(title, "NotoSerifSC-Bold-gb.ttf")
    for source, name in (("FandolFang-Regular.otf", "FandolFang-Regular.ttf"),
                         ("FandolKai-Regular.otf", "FandolKai-Regular.ttf")):
        face = TTFont(fandol / source)
        cut(face, chars(face))
        cff_to_glyf(face)
        _save(face, name)

    # The fallbacks hold only what the role faces lack (WenQuanYi, the 黑体,
    # has all of GBK, so the others' gaps are what matters here).
    hana_a = TTFont(hana / "HanaMinA.ttf")
    cut(hana_a, {c for c in chars(hana_a) - roles if _ideograph(c)})
    _save(hana_a, "HanaMinA-ext.ttf")
    hana_b = TTFont(hana / "HanaMinB.ttf")
    cut(hana_b, {c for c in chars(hana_b) - roles if _ideograph(c)})
    _save(hana_b, "HanaMinB.ttf")
    hana_all = chars(TTFont(hana / "HanaMinA.ttf")) | chars(TTFont(hana / "HanaMinB.ttf"))
    extra = TTFont(babel)
    lacking = {c for c in chars(extra) - hana_all - roles if _ideograph(c)}
    cut(extra, lacking)
    _save(extra, "BabelStoneHan-ext.ttf")


def _in_gb2312(code: int) -> bool:
    try:
        chr(code).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _ideograph(code: int) -> bool:
    return (0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x323AF or 0x2F800 <= code <= 0x2FA1F
            or 0x2E80 <= code <= 0x2FDF or 0x31C0 <= code <= 0x31EF)


def _save(font: TTFont, name: str) -> None:
    path = OUT / name
    font.save(path)
    print(f"{name}: {path.stat().st_size / 1e6:.1f} MB, {len(font.getBestCmap())} characters")


def main(argv: list[str] | None = None) -> int:
    """Build the faces; ``--debs DIR`` uses .deb files already downloaded."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debs", type=Path)
    args = parser.parse_args(argv)
    build(debs(args.debs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
