"""QR codes to a notice's online version, made locally (no network, no web service).

reportlab's own encoder makes the modules; the PDF draws them as vectors and
Word gets a PNG drawn from the same modules, so both carry the same code.
"""

from __future__ import annotations

import io

from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget

#: Quiet zone around the code, in modules, as the QR standard asks.
BORDER = 4


def qr_widget(url: str) -> QrCodeWidget:
    """The reportlab widget for ``url`` (error correction M survives a crease or a pin)."""
    return QrCodeWidget(url, barLevel="M", barBorder=BORDER)


def qr_modules(url: str) -> list[list[bool]]:
    """The dark (True) and light modules of the code, row by row, without the quiet zone."""
    widget = qr_widget(url)
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]


def qr_png(url: str, module_px: int = 8) -> bytes:
    """The code as a black-and-white PNG with its quiet zone."""
    modules = qr_modules(url)
    side = (len(modules) + 2 * BORDER) * module_px
    image = Image.new("1", (side, side), 1)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                x, y = (c + BORDER) * module_px, (r + BORDER) * module_px
                image.paste(0, (x, y, x + module_px, y + module_px))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
