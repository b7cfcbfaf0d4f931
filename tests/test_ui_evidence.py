"""佐证材料 dialog: the file built in the background with a bar, or cancelled leaving nothing."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pypdfium2  # noqa: E402
import pytest  # noqa: E402
from test_evidence import make_desk  # noqa: E402

from app.assessment import evidence  # noqa: E402
from app.desk import open_desk  # noqa: E402
from ui.evidence_dialog import EvidenceDialog, open_evidence_dialog  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
WAIT = 60_000
TODAY = "2026-11-23"


@pytest.fixture
def dialog(configured_window, qtbot, tmp_path: Path) -> EvidenceDialog:
    """The dialog on a desk of four posted notices with photos and one request."""
    with open_desk(configured_window.folder) as store:
        make_desk(store, tmp_path)
    shown = open_evidence_dialog(configured_window.runner, configured_window, 2026)
    qtbot.addWidget(shown)
    return shown


def test_builds_the_file_with_the_bar_following(dialog: EvidenceDialog, qtbot,
                                                tmp_path: Path) -> None:
    assert dialog.isVisible() and not dialog.isModal()
    dialog.quarter.setCurrentIndex(4)
    assert dialog.default_name() == "2026年第四季度政务公开佐证材料.pdf"
    out = tmp_path / dialog.default_name()
    dialog.path.setText(str(out))
    seen: list[tuple[int, int]] = []
    dialog.runner._signals.progress.connect(lambda _n, done, total: seen.append((done, total)))
    dialog.build()
    assert dialog.busy() and not dialog.build_button.isEnabled()
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT)
    assert dialog.message.text().startswith(f"已生成佐证材料 {out}"), dialog.message.text()
    assert dialog.progress.value() == dialog.progress.maximum()
    assert len(seen) > 4 and seen[-1][0] == seen[-1][1]
    doc = pypdfium2.PdfDocument(str(out))
    try:
        assert len(doc) > 5 and "2026年第四季度" in doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


def test_cancel_leaves_the_old_file_and_nothing_else(dialog: EvidenceDialog, qtbot,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "佐证.pdf"
    out.write_bytes(b"%PDF-1.4 last year's file")
    dialog.path.setText(str(out))
    dialog.build()
    dialog.cancel()  # before the worker's first step: it stops there
    assert dialog.message.text() == "正在取消……"
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT)
    assert dialog.message.text() == evidence.CANCELLED
    assert out.read_bytes() == b"%PDF-1.4 last year's file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["佐证.pdf"]
    assert dialog.build_button.isEnabled()


def test_closing_while_building_cancels_then_closes(dialog: EvidenceDialog, qtbot,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "e.pdf"
    dialog.path.setText(str(out))
    dialog.build()
    dialog.close()
    assert dialog.isVisible()  # it stays until the build has stopped
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert not out.exists()


def test_the_assess_page_opens_it_for_its_year(configured_window, qtbot) -> None:
    page = configured_window.page("考核自评")
    configured_window.show_page("考核自评")
    page.year.setValue(2025)
    shown = page.make_evidence()
    qtbot.addWidget(shown)
    assert shown.isVisible() and shown.year.value() == 2025
    shown.close()
