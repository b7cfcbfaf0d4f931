"""The 佐证材料 of a busy year: 300 notices with 600 phone photos, how long and how big.

Run: ``.venv/bin/python tests/bench/bench_evidence.py [--notices 300] [--photos DIR]``

Builds a real data folder: 300 notices formed through 2026, each passed by
three review steps and posted on two boards with a photo each (600 photos of
3000 × 4000 pixels, JPEG quality 90, some 3–5 MB each: what a phone takes).
The photos are made once into ``--photos`` (default: a folder in the system's
temp) and reused on the next run. Then it times :func:`build_evidence` for the
year and reads the file back: every notice in the bookmarks, every photo an
image of the file (``pdfimages -list``), and prints pages, size and time.
Not a timed test: it asserts only that the file holds what it must.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ["GONGKAI_TODAY"] = "2026-12-31"

from PIL import Image, ImageChops, ImageDraw, ImageOps  # noqa: E402
from tests_support import TITLES, approve_step  # noqa: E402

from app.assessment import evidence  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.notices import boards, drafts, review  # noqa: E402
from app.township import set_township  # noqa: E402

SIZE = (3000, 4000)


def base_photo(seed: int) -> Image.Image:
    """A board in the sun: a gradient, the board, sheets with lines of text, sensor noise."""
    rng = random.Random(seed)
    w, h = SIZE
    g = Image.linear_gradient("L").resize((w, h))
    base = Image.merge("RGB", (g.rotate(rng.choice([0, 90, 180, 270])).resize((w, h)),
                               g.transpose(Image.Transpose.FLIP_LEFT_RIGHT), ImageOps.invert(g)))
    d = ImageDraw.Draw(base)
    d.rectangle([w * 0.08, h * 0.15, w * 0.92, h * 0.8], fill=(rng.randrange(30, 90), 70, 120))
    for k in range(rng.randrange(2, 5)):
        x0, y0 = w * 0.12 + k * w * 0.2, h * 0.2 + rng.random() * h * 0.1
        d.rectangle([x0, y0, x0 + w * 0.17, y0 + h * 0.3], fill=(245, 245, 240))
        for line in range(25):
            y = y0 + 60 + line * 45
            d.line([x0 + 30, y, x0 + w * 0.17 - 30 - rng.randrange(0, 200), y],
                   fill=(40, 40, 40), width=8)
    noise = Image.effect_noise((w, h), 18).convert("RGB")
    return ImageChops.add(base, noise, scale=1.0, offset=-128)


def make_photos(folder: Path, count: int) -> list[Path]:
    """``count`` distinct phone photos in ``folder`` (kept from an earlier run if there)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"IMG_{k:04d}.jpg" for k in range(count)]
    missing = [p for p in paths if not p.exists()]
    if missing:
        bases = [base_photo(seed) for seed in range(12)]
        for n, path in enumerate(missing):
            k = paths.index(path)
            rng = random.Random(k)
            picture = bases[k % len(bases)].copy()
            d = ImageDraw.Draw(picture)
            # Each photo its own: the clerk, a passer-by, the light are never the same twice.
            for _ in range(6):
                x, y = rng.randrange(0, SIZE[0] - 400), rng.randrange(0, SIZE[1] - 400)
                d.ellipse([x, y, x + rng.randrange(100, 400), y + rng.randrange(100, 400)],
                          fill=tuple(rng.randrange(256) for _ in range(3)))
            picture.save(path, "JPEG", quality=90)
            if n % 50 == 0:
                print(f"  photos {n}/{len(missing)}", flush=True)
    return paths


def fill_desk(store, notices: int, photos: list[Path]) -> list[str]:
    """``notices`` notices through 2026, reviewed in three steps, two postings each."""
    set_township(store, "青石镇", "东山县", "0551-62345678")
    review.set_review_steps(store, 3)
    boards.set_villages(store, ["东山村", "西岭村", "马家沟村", "柳树湾村"])
    villages = ["东山村村务公开栏", "西岭村村务公开栏", "马家沟村村务公开栏", "柳树湾村村务公开栏"]
    titles = []
    for k in range(notices):
        formed = date(2026, 1, 5) + timedelta(days=k * 340 // notices)
        title = f"{TITLES[k % len(TITLES)]}（第{k + 1}期）"
        n = drafts.create_notice(store, "shjz-002", formed=formed.isoformat(), title=title)
        for reviewer in ("王明", "李华", "赵强"):
            approve_step(store, n.id, reviewer, "同意公开")
        day = (formed + timedelta(days=1)).isoformat()
        boards.post(store, n.id, "镇政务公开栏", on=day, photo=photos[2 * k % len(photos)])
        boards.post(store, n.id, villages[k % 4], on=day,
                    photo=photos[(2 * k + 1) % len(photos)])
        titles.append(drafts.get_notice(store, n.id).title)
    return titles


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--photos", type=Path,
                        default=Path(tempfile.gettempdir()) / "gongkai-bench-photos")
    parser.add_argument("--keep", type=Path, help="also keep the PDF at this path")
    args = parser.parse_args()
    started = time.perf_counter()
    photos = make_photos(args.photos, 2 * args.notices)
    source = sum(p.stat().st_size for p in photos)
    print(f"{len(photos)} photos of {SIZE[0]}×{SIZE[1]}, {source / 1e6:.0f} MB "
          f"({source / len(photos) / 1e6:.1f} MB each), ready in "
          f"{time.perf_counter() - started:.0f} s")
    folder = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    store = open_desk(folder / "data")
    started = time.perf_counter()
    titles = fill_desk(store, args.notices, photos)
    print(f"desk of {args.notices} notices filled in {time.perf_counter() - started:.0f} s")
    out = args.keep or folder / "佐证材料.pdf"
    steps: list[tuple[float, int, int]] = []
    built = evidence.build_evidence(
        store, out, 2026,
        report=lambda done, total: steps.append((time.perf_counter(), done, total)))
    shrunk = next(t for t, done, _ in steps if done >= len(photos)) - steps[0][0]
    print(f"build_evidence: {built.seconds:.1f} s ({shrunk:.1f} s shrinking the photos, "
          f"{built.seconds - shrunk:.1f} s laying out and writing), {built.pages} pages, "
          f"{built.size / 1e6:.1f} MB ({built.size / len(photos) / 1e3:.0f} KB a photo, "
          f"{len(steps)} progress reports)")
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(out))
    marks = [item.get_title() for item in doc.get_toc()]
    doc.close()
    missing = [t for t in titles if t not in marks]
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    print(f"read back: {len(titles) - len(missing)} of {len(titles)} notices bookmarked, "
          f"{len(images)} images in the file")
    assert not missing and len(images) == len(photos), (missing[:3], len(images))
    store.close()
    shutil.rmtree(folder)  # the desk holds its own 3 GB copy of the photos


if __name__ == "__main__":
    main()
