"""A notice withdrawn after the county has it is reported; one it never saw just leaves."""

from __future__ import annotations

import httpx
import pytest
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from test_sync_e2e import _county_answers, _staff_token, county_for
from tests_support import fill_outbox

from app.notices import drafts
from app.sync import exchange, outbox

pytestmark = pytest.mark.usefixtures("pinned_today")


def test_a_withdrawal_reaches_the_county_page_and_a_never_sent_notice_is_unqueued(
        serve_process, store, monkeypatch) -> None:  # noqa: F811
    sent, published = fill_outbox(store, 2, 0)
    db, base = county_for(serve_process, store, monkeypatch)
    with exchange.connect(store) as client:
        exchange.push(store, client)
    staff = _staff_token(db)
    _county_answers(base, staff, published, "published", "https://www.example.gov.cn/gk/7.html")
    with exchange.connect(store) as client:
        exchange.pull(store, client)

    drafts.withdraw(store, published, "名单有误，已另行公示")
    assert drafts.get_notice(store, published).sync == "queued"
    never = fill_outbox(store, 1, 0)[0]
    drafts.withdraw(store, never, "重复起草")
    assert drafts.get_notice(store, never).sync == "none"
    assert outbox.sync_status(store).queued == 1

    with exchange.connect(store) as client:
        report = exchange.push(store, client)
    assert report.notices == 1
    assert drafts.get_notice(store, published).sync == "accepted"  # the county's answer stands
    with httpx.Client(base_url=base, timeout=10) as page:
        assert page.post("/login", data={"token": staff}).status_code in (200, 303)
        html = page.get("/").text
    row = html.split(f'id="n-{published}"')[1].split("</tr>")[0]
    assert "乡镇已撤回，请从网站撤下" in row and "已发布" in row
    other = html.split(f'id="n-{sent}"')[1].split("</tr>")[0]
    assert "乡镇已撤回" not in other
    assert f'id="n-{never}"' not in html
