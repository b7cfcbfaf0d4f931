"""The county staff's web page, through a real server: login, what came in, published/returned."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_county_support import County, batch, blob, notice, running_county

from app.county.stats import stats
from app.county.tokens import list_tokens, revoke_token
from app.sync.protocol import sha256_hex


@pytest.fixture
def county(tmp_path: Path) -> Iterator[County]:
    """A fresh county server on SQLite."""
    with running_county(str(tmp_path / "county.sqlite3")) as running:
        yield running


def browser(county: County, **kwargs: object) -> httpx.Client:
    """A client of the staff page that does not follow redirects, so they can be checked."""
    client = httpx.Client(base_url=county.url, follow_redirects=False, timeout=10,
                          **kwargs)  # type: ignore[arg-type]
    county.clients.append(client)
    return client


def form_key(page: str) -> str:
    """The anti-forgery key the page's forms carry."""
    found = re.search(r'name="key" value="([0-9a-f]{64})"', page)
    assert found, "no form key on the page"
    return found.group(1)


def test_the_page_needs_a_staff_login_and_refuses_township_tokens(county: County) -> None:
    town = county.township("城关镇")
    nid = town.push(batch("城关镇", [notice()]), [])["replies"][0]["notice_id"]
    township_token = str(town.http.headers["authorization"]).removeprefix("Bearer ")
    anonymous = browser(county)
    first = anonymous.get("/")
    assert first.status_code == 303 and first.headers["location"] == "/login"
    login = anonymous.get("/login")
    assert login.status_code == 200 and login.headers["content-type"] == \
        "text/html; charset=utf-8"
    assert "工作人员令牌" in login.text and "<script" not in login.text
    refused = anonymous.post("/login", data={"token": township_token})
    assert refused.status_code == 401 and "不是县级工作人员的令牌" in refused.text
    assert "gongkai_staff" not in anonymous.cookies
    as_basic = browser(county, auth=("城关镇", township_token))
    assert as_basic.get("/").status_code == 401
    posted = as_basic.post("/mark", data={"key": "0" * 64, "township": "1", "notice_id": nid,
                                          "state": "published",
                                          "url": "https://evil.example/"})
    assert posted.status_code == 401
    as_bearer = browser(county, headers={"Authorization": f"Bearer {township_token}"})
    assert as_bearer.post("/mark", data={"key": "0" * 64, "township": "1", "notice_id": nid,
                                         "state": "returned", "reason": "x"}).status_code == 401
    assert [r["state"] for r in town.replies()["replies"]] == ["received"]
    assert stats(county.db)["published"] == 0 and stats(county.db)["returned"] == 0


def test_staff_see_what_each_township_sent_escaped(county: County) -> None:
    a, b = county.township("城关镇"), county.township("河口乡")
    photo = blob()
    a.push(batch("城关镇", [notice(title="<script>alert(1)</script>低保公示",
                                photos=[photo])]), [photo])
    b.push(batch("河口乡", [notice(title="河口乡危房改造名单公示")]), [])
    staff = browser(county, auth=("张科长", county.token("张科长", staff=True)))
    page = staff.get("/")
    assert page.status_code == 200
    assert "城关镇" in page.text and "河口乡" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;低保公示" in page.text
    assert "<script>" not in page.text
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    link = re.search(r'href="(/attachments/\d+/[0-9a-f]{64})"', page.text)
    assert link and link.group(1).endswith(sha256_hex(photo))
    shown = staff.get(link.group(1))
    assert shown.content == photo and shown.headers["content-type"] == "image/jpeg"
    other = re.search(r'href="/\?township=(\d+)">河口乡', page.text)
    assert other
    theirs = staff.get("/", params={"township": other.group(1)})
    assert "河口乡危房改造名单公示" in theirs.text and "低保公示" not in theirs.text
    township_token = str(a.http.headers["authorization"]).removeprefix("Bearer ")
    assert browser(county, auth=("x", township_token)).get(link.group(1)).status_code == 401


def test_staff_mark_published_and_returned_and_the_township_reads_it(county: County) -> None:
    town = county.township("城关镇")
    first, second = notice(title="第一条"), notice(title="第二条")
    receipt = town.push(batch("城关镇", [first, second]), [])
    seen = max(r["seq"] for r in receipt["replies"])
    staff = browser(county)
    login = staff.post("/login", data={"token": county.token("张科长", staff=True)})
    assert login.status_code == 303 and "gongkai_staff" in staff.cookies
    assert "httponly" in login.headers["set-cookie"].lower()
    assert "samesite=strict" in login.headers["set-cookie"].lower()
    page = staff.get("/")
    key = form_key(page.text)
    township = re.search(r'name="township" value="(\d+)"', page.text)
    assert township
    base = {"key": key, "township": township.group(1), "back": "/"}
    url = "https://www.example.gov.cn/xxgk/2026/1.html"
    done = staff.post("/mark", data={**base, "notice_id": first.notice_id,
                                     "state": "published", "url": url})
    assert done.status_code == 303
    reason = "公示期应为7个工作日，请改正后重新报送"
    assert staff.post("/mark", data={**base, "notice_id": second.notice_id,
                                     "state": "returned", "reason": reason}).status_code == 303
    news = town.replies(seen)["replies"]
    assert [(r["notice_id"], r["state"], r["url"], r["reason"]) for r in news] == [
        (first.notice_id, "published", url, None), (second.notice_id, "returned", None, reason)]
    after = staff.get("/").text
    assert url in after and reason in after and "已发布" in after and "已退回" in after
    # Refused marks change nothing: a URL that is not one, a forged key, a stranger's notice.
    bad = staff.post("/mark", data={**base, "notice_id": first.notice_id,
                                    "state": "published", "url": "www.example"})
    assert bad.status_code == 422 and "网址" in bad.text
    forged = staff.post("/mark", data={**base, "key": "f" * 64, "notice_id": first.notice_id,
                                       "state": "returned", "reason": "伪造"})
    assert forged.status_code == 403
    unknown = staff.post("/mark", data={**base, "notice_id": "no-such-notice",
                                        "state": "returned", "reason": "无"})
    assert unknown.status_code == 404
    assert town.replies(seen)["replies"] == news
    assert stats(county.db)["published"] == 1 and stats(county.db)["returned"] == 1
    out = staff.post("/logout", data={"key": key})
    assert out.status_code == 303 and staff.get("/").status_code == 303


def test_a_revoked_staff_token_and_its_sessions_stop_working(county: County) -> None:
    token = county.token("张科长", staff=True)
    staff = browser(county)
    assert staff.post("/login", data={"token": token}).status_code == 303
    assert staff.get("/").status_code == 200
    revoke_token(county.db, next(t["id"] for t in list_tokens(county.db)
                                 if t["name"] == "张科长"))
    assert staff.get("/").status_code == 303
    assert browser(county, auth=("张科长", token)).get("/").status_code == 401


def test_the_overview_shows_each_townships_key_fingerprint(tmp_path) -> None:
    import httpx
    from test_county_support import running_county

    from app.county.keys import register_by_name
    from app.sync.bundle import Signer

    db_path = str(tmp_path / "county.sqlite3")
    signer = Signer.new()
    with running_county(db_path) as running:
        running.township("青石镇")
        running.township("红土乡")
        register_by_name(running.db, "青石镇", signer.public_text, "张科长")
        staff = running.token("张科长", staff=True)
        page = httpx.get(running.url + "/", auth=("staff", staff), timeout=10)
    assert page.status_code == 200
    assert f"<code>{signer.fingerprint}</code>" in page.text and "<code>未登记</code>" in page.text


@pytest.mark.parametrize("query", ["page=99999999999999999999", "page=-5",
                                   "township=99999999999999999999", "township=0&page=0",
                                   "state=<script>&page=2"])
def test_numbers_typed_into_the_address_bar_never_answer_500(county: County, query) -> None:
    town = county.township("城关镇")
    town.push(batch("城关镇", [notice()]), [])
    staff = browser(county)
    assert staff.post("/login", data={"token": county.token("张科长", staff=True)}
                      ).status_code == 303
    page = staff.get(f"/?{query}")
    assert page.status_code == 200 and "<script>" not in page.text
