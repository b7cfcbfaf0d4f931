"""One way to turn a notice into paper: the CLI, the preview and the printer all come here.

A 明白纸 prints as a handout, anything else as a board sheet; PDF is what
prints, DOCX is for clerks who finish in Word or WPS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError
from app.notices import drafts
from app.store import Store

FORMATS = ("pdf", "docx")
PAPER_SIZES = ("A4", "A3")


@dataclass(frozen=True)
class PrintOptions:
    """How to print: file format, paper (board sheets), copies per sheet and QR (handouts).

    An empty ``paper`` means the paper of the township's template for the kind.
    """

    fmt: str = "pdf"
    paper: str = ""
    copies_per_sheet: int = 1
    qr_url: str = ""


@dataclass(frozen=True)
class Rendered:
    """What was written: pages is 0 for DOCX (Word lays out its own pages).

    ``what`` names anything that is not a notice (a 答复书 …); ``notes`` tell
    the clerk what the layout did to fit (a 名单 set smaller, the page turned).
    """

    path: Path
    pages: int
    draft: bool
    handout: bool
    what: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One sentence for the clerk."""
        what = self.what or ("明白纸" if self.handout else "张贴稿")
        pages = f"，共 {self.pages} 页" if self.pages else ""
        draft = "（未经审核，带“草稿”标记）" if self.draft else ""
        return f"已生成{what} {self.path}{pages}{draft}。"


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PrintTarget:
    """Something the print preview shows and prints: a notice, or a letter of a request.

    ``title`` and ``render`` take the worker's own store; ``choose_paper`` is
    False for papers that are always A4 (letters).
    """

    title: Callable[[Store], str]
    render: Callable[[Store, Path, PrintOptions, Progress | None], Rendered]
    choose_paper: bool = True


def notice_target(notice_id: str) -> PrintTarget:
    """The print target of a notice (board sheet or 明白纸)."""
    return PrintTarget(lambda store: drafts.get_notice(store, notice_id).title,
                       lambda store, out, options, progress: render_notice(
                           store, notice_id, out, options, progress))


def check_options(handout: bool, options: PrintOptions) -> None:
    """Refuse options that do not fit the notice, in one sentence."""
    if options.fmt not in FORMATS:
        raise UserError("只能生成 PDF 或 Word（docx）文件。")
    if options.paper and options.paper not in PAPER_SIZES:
        raise UserError("纸张只能选 A4 或 A3。")
    if options.copies_per_sheet not in (1, 2):
        raise UserError("每张纸只能印一份或两份。")
    if options.copies_per_sheet != 1 and not handout:
        raise UserError("一张印两份只用于明白纸；公告、公示、通知请一张一份。")


#: How each format is named for the clerk, by its file extension.
_FORMAT_NAMES = {"pdf": "PDF", "docx": "Word（.docx）"}


def output_format(out: Path, fmt: str | None = None) -> str:
    """The format to write ``out`` in: ``fmt`` if its extension agrees, else refused.

    Without ``fmt`` the extension decides (``.pdf`` or ``.docx``); a file named
    for one format is never written in the other (a ``.pdf`` holding Word's bytes
    opens nowhere).
    """
    by_name = out.suffix.lower().lstrip(".")
    if fmt is not None and fmt not in FORMATS:
        raise UserError("只能生成 PDF 或 Word（docx）文件。")
    if by_name not in FORMATS:
        wanted = f".{fmt}" if fmt else ".pdf 或 .docx"
        raise UserError(f"文件名「{out.name}」应以 {wanted} 结尾。")
    if fmt is not None and fmt != by_name:
        raise UserError(f"文件名「{out.name}」是{_FORMAT_NAMES[by_name]}文件的名字，"
                        f"与要生成的{_FORMAT_NAMES[fmt]}格式不符，请改文件名或格式。")
    return by_name


def is_handout(store: Store, notice_id: str) -> bool:
    """Whether the notice prints as a 明白纸."""
    return drafts.get_notice(store, notice_id).kind == "明白纸"


def render_notice(store: Store, notice_id: str, out: Path, options: PrintOptions,
                  progress: Callable[[int, int], None] | None = None) -> Rendered:
    """Write the notice's printable form to ``out`` (atomically) as ``options`` say."""
    from app.printing.sheet import build_sheet

    handout = is_handout(store, notice_id)
    check_options(handout, options)
    output_format(out, options.fmt)
    sheet = build_sheet(store, notice_id)
    paper = options.paper or sheet.paper
    pages = 0
    notes: list[str] = []
    if handout and options.fmt == "pdf":
        from app.printing.handout_pdf import render_handout_pdf

        pages = render_handout_pdf(sheet, out, options.copies_per_sheet, options.qr_url)
    elif handout:
        from app.printing.handout_docx import render_handout_docx

        render_handout_docx(sheet, out, options.copies_per_sheet, options.qr_url)
    elif options.fmt == "pdf":
        from app.printing.sheet_pdf import render_sheet_pdf

        pages = render_sheet_pdf(sheet, out, paper, progress=progress, notes=notes)
    else:
        from app.printing.sheet_docx import render_sheet_docx

        render_sheet_docx(sheet, out, paper, notes=notes)
    if progress and not pages:
        progress(1, 1)
    from app.printing.pdf_fonts import missing, unprintable_sentence

    lacking = missing(sheet.all_text())
    if lacking:
        notes.append(unprintable_sentence(lacking))
    return Rendered(out, pages, sheet.draft, handout, notes=tuple(notes))
