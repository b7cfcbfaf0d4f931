"""Rendered pages as pixels, for the print preview and the printer.

The preview shows the very PDF that is saved or printed, turned into pixels
by PDFium (pypdfium2), so what the clerk sees is what comes out of the
printer. Pixels come as plain RGB bytes; the screen side wraps them without
knowing anything about PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]  # ships no type hints

from app.errors import UserError


@dataclass(frozen=True)
class PageImage:
    """One page as 8-bit RGB rows of ``stride`` bytes; ``size_pt`` is the paper in points."""

    number: int
    width: int
    height: int
    stride: int
    rgb: bytes
    size_pt: tuple[float, float]


def page_count(pdf: Path) -> int:
    """How many pages the PDF has."""
    document = _open(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's paper size in points (width, height), in order."""
    document = _open(pdf)
    try:
        return [tuple(document.get_page_size(n)) for n in range(len(document))]
    finally:
        document.close()


def fit_dpi(size_pt: tuple[float, float], width_px: float, height_px: float | None = None,
            most: float = 300.0) -> float:
    """The resolution at which a page of ``size_pt`` fills ``width_px`` (and fits ``height_px``).

    ``most`` caps it: beyond about 300 dpi a printer shows nothing more, and
    the pixels only cost memory and time.
    """
    width_pt, height_pt = size_pt
    scale = width_px / width_pt
    if height_px is not None:
        scale = min(scale, height_px / height_pt)
    return max(1.0, min(most, scale * 72))


def page_images(pdf: Path, dpi: float,
                progress: Callable[[int, int], None] | None = None) -> Iterator[PageImage]:
    """Each page of ``pdf`` at ``dpi``, in order; ``progress(done, total)`` after each."""
    document = _open(pdf)
    try:
        total = len(document)
        for n in range(total):
            page = document[n]
            try:
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
                image = PageImage(n + 1, bitmap.width, bitmap.height, bitmap.stride,
                                  bytes(bitmap.buffer), tuple(page.get_size()))
                bitmap.close()
            finally:
                page.close()
            yield image
            if progress:
                progress(n + 1, total)
    finally:
        document.close()


def _open(pdf: Path) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(str(pdf))
    except (OSError, pypdfium2.PdfiumError) as exc:
        raise UserError(f"无法读取 {pdf.name}，文件可能已损坏。") from exc
