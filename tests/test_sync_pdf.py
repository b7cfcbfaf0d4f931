"""The rendered sheet travels to the county when the township switches it on."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from test_sync_e2e import _staff_token, county_for, stats
from tests_support import fill_outbox

from app.sync import attached_sheets, exchange, outbox
from app.sync.bundle import read_bundle

pytestmark = pytest.mark.usefixtures("pinned_today")


def test_off_by_default_so_batches_carry_only_photos(store) -> None:
    fill_outbox(store, 2, 1)
    outbox.form_batches(store)
    kinds = [a.kind for p in outbox.pending_batches(store) for a in p.batch.blobs()]
    assert kinds == ["photo"]
    assert not (store.folder / attached_sheets.FOLDER).exists()


def test_each_notice_takes_its_sheet_once_over_the_network(
        serve_process, store, monkeypatch, tmp_path) -> None:  # noqa: F811
    fill_outbox(store, 3, 1)
    attached_sheets.set_enabled(store, True)
    assert outbox.sync_status(store).attach_pdf
    db, base = county_for(serve_process, store, monkeypatch)
    with exchange.connect(store) as client:
        report = exchange.push(store, client)
    assert (report.notices, report.attachments) == (3, 4)  # three sheets and one photo
    assert stats(db)["attachments"] == 4
    with exchange.connect(store) as client:
        assert exchange.push(store, client).attachments == 0  # nothing waits, nothing resent

    kept = sorted((store.folder / attached_sheets.FOLDER).glob("*.pdf"))
    assert len(kept) == 3
    # What county staff open from their page is the very sheet, readable text and all.
    with httpx.Client(base_url=base, timeout=10) as page:
        assert page.post("/login", data={"token": _staff_token(db)}).status_code in (200, 303)
        html = page.get("/").text
        links = [part.split('"')[0] for part in html.split('href="/attachments/')[1:]]
        sheets = [page.get("/attachments/" + link) for link in links]
    pdfs = [s for s in sheets if s.headers["content-type"] == "application/pdf"]
    assert len(pdfs) == 3
    out = tmp_path / "sheet.pdf"
    out.write_bytes(pdfs[0].content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "最低生活保障审核信息公示" in text and "青石镇" in text
    assert {outbox.blob_bytes(store, p.stem)[:4] for p in kept} == {b"%PDF"}


def test_usb_file_carries_the_sheets_as_checked_parts(store, tmp_path) -> None:
    fill_outbox(store, 2, 0)
    attached_sheets.set_enabled(store, True)
    out = tmp_path / "报送.zip"
    exchange.export_bundle(store, out)
    bundle = read_bundle(out)
    sheets = [a for n in bundle.batch.notices for a in n.attachments if a.kind == "pdf"]
    assert len(sheets) == 2
    for sheet in sheets:
        assert bundle.blobs[sheet.sha256][:4] == b"%PDF"
    assert all(f"blobs/{s.sha256}" in json.dumps(bundle.manifest) for s in sheets)
