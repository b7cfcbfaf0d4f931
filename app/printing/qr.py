"""QR codes to a notice's online version, made locally (no network, no web service).

reportlab's own encoder makes the modules; the PDF draws them as vector
rectangles and Word gets a PNG drawn from the same modules, so both carry the
same code.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget

#: Quiet zone around the code, in modules, as the QR standard asks.
BORDER = 4


def qr_widget(url: str) -> QrCodeWidget:
    """The reportlab widget for ``url`` (error correction M survives a crease or a pin)."""
    return QrCodeWidget(url, barLevel="M", barBorder=BORDER)


@lru_cache(maxsize=64)
def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of the code, row by row, without the quiet zone.

    Cached: a stack of handouts carries the same code on every copy, and
    choosing the best mask is most of the cost.
    """
    # The stub omits qr, which QrCodeWidget.__init__ sets through __dict__.
    qr = qr_widget(url).qr  # type: ignore[attr-defined]
    qr.make()
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


def dark_runs(url: str) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules, quiet zone counted.

    Drawing runs instead of single modules keeps a PDF code small and fast.
    """
    runs = []
    for r, row in enumerate(qr_modules(url)):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r + BORDER, start + BORDER, c - start))
            else:
                c += 1
    return runs


def qr_png(url: str, module_px: int = 8) -> bytes:
    """The code as a black-and-white PNG with its quiet zone."""
    side = (len(qr_modules(url)) + 2 * BORDER) * module_px
    image = Image.new("1", (side, side), 1)
    for r, c, length in dark_runs(url):
        image.paste(0, (c * module_px, r * module_px, (c + length) * module_px,
                        (r + 1) * module_px))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
