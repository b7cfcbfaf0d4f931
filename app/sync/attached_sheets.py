"""The rendered sheet as an attachment to the county, for townships that choose to send it.

Some county platforms publish the very sheet that hangs on the board, not
only its text. When ``sync.attach_pdf`` is on, each notice frozen into a
batch takes along the PDF of its approved revision, rendered once and kept
under ``sent-pdf/`` by its SHA-256 like a photo: a resend transfers nothing
twice, and the folder keeps a copy of exactly what the county was given.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from app.printing.output import PrintOptions, render_notice
from app.store import Store
from app.sync.protocol import Attachment

SETTING = "sync.attach_pdf"
FOLDER = "sent-pdf"


def enabled(store: Store) -> bool:
    """Whether batches carry the rendered sheet of each notice."""
    return (store.get_setting(SETTING, "0") or "0") == "1"


def set_enabled(store: Store, on: bool) -> None:
    """Switch sending the rendered sheets on or off (affects batches formed from now on)."""
    store.set_settings({SETTING: "1" if on else "0"})


def pdf_path(store: Store, digest: str) -> Path:
    """Where the rendered sheet with this SHA-256 is kept."""
    return store.folder / FOLDER / f"{digest}.pdf"


def render_for_county(store: Store, notice_id: str) -> Attachment:
    """Render the approved revision, keep it by its hash, and describe it as an attachment.

    The file is complete on disk before any batch names it, so a kill at any
    point leaves at worst an unused file, never a batch pointing at nothing.
    """
    folder = store.folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".pdf", dir=folder, prefix=".render-")
    os.close(handle)
    tmp = Path(name)
    try:
        render_notice(store, notice_id, tmp, PrintOptions("pdf"))
        data = tmp.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        final = pdf_path(store, digest)
        if final.exists():
            tmp.unlink()
        else:
            os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return Attachment(digest, len(data), "pdf", "张贴稿.pdf")
