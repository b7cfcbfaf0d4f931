"""The county staff's web page: what each township sent, and the published/returned marks.

A staff member signs in with a staff token (``token add --staff``), either in
the login form (which sets a session cookie: HttpOnly, SameSite=Strict, 12
hours) or as the HTTP basic password. Township tokens are refused here. Every
form that changes something carries a key derived from the staff member's
token, so a page of another site cannot post it in their name.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import mimetypes
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.county import staff_pages
from app.county.answers import mark
from app.county.database import Database
from app.county.errors import Refused
from app.county.intake import blob_bytes
from app.county.keys import fingerprints
from app.county.received import received_notices
from app.county.stats import township_summaries
from app.county.tokens import (
    SESSION_SECONDS,
    STAFF,
    Principal,
    authenticate,
    end_session,
    form_key,
    session_staff,
    start_session,
)

COOKIE = "gongkai_staff"
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline';"
                               " form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

router = APIRouter(include_in_schema=False)


def _db(request: Request) -> Database:
    return request.app.state.db


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=_HEADERS)


def signed_in(request: Request) -> Principal | None:
    """The staff member behind the request (basic auth or session cookie), or None."""
    db = _db(request)
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            _user, _, password = base64.b64decode(header[6:], validate=True).decode(
                "utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return authenticate(db, password, STAFF)
    return session_staff(db, request.cookies.get(COOKIE))


def _refuse_unsigned(request: Request) -> Response:
    if request.headers.get("authorization"):
        return _html(staff_pages.message_page("无法登录", "令牌无效，或不是县级工作人员的令牌。",
                                              "/login"), 401)
    return RedirectResponse("/login", status_code=303)


_LAST_PAGE = 1_000_000
_LAST_ID = 2**31 - 1


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, township: int | None = None, state: str = "",
             page: int = 1) -> Response:
    """Every township's figures and one township's notices."""
    staff = signed_in(request)
    if staff is None:
        return _refuse_unsigned(request)
    # Numbers typed into the address bar: a page past any real list shows the
    # last (empty) page, a township id past any real one none — never a 500.
    page = min(max(page, 1), _LAST_PAGE)
    if township is not None and not 1 <= township <= _LAST_ID:
        township = None
    db = _db(request)
    # The fingerprint is what staff read to a township's clerk on the phone.
    keys = fingerprints(db)
    townships = [{**t, "key_fingerprint": keys.get(t["id"])} for t in township_summaries(db)]
    if township is None and townships:
        township = next((t["id"] for t in townships if t["notices"]), townships[0]["id"])
    state = state if state in staff_pages.STATE_NAMES else ""
    rows, total = received_notices(db, township, state, page) if township else ([], 0)
    return _html(staff_pages.overview_page(staff.name, form_key(db, staff), townships,
                                           township, rows, total, state, page))


@router.get("/login", response_class=HTMLResponse)
def login_form() -> Response:
    """The login form."""
    return _html(staff_pages.login_page())


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, token: Annotated[str, Form()] = "") -> Response:
    """Check a staff token and start a session."""
    db = _db(request)
    staff = authenticate(db, token.strip(), STAFF)
    if staff is None:
        return _html(staff_pages.login_page("令牌无效，或不是县级工作人员的令牌。"), 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, start_session(db, staff), max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session."""
    end_session(_db(request), request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.post("/mark", response_class=HTMLResponse)
def mark_notice(request: Request, key: Annotated[str, Form()], township: Annotated[int, Form()],
                notice_id: Annotated[str, Form()], state: Annotated[str, Form()],
                url: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                back: Annotated[str, Form()] = "/",
                confirm_online: Annotated[str, Form()] = "",
                online_reason: Annotated[str, Form()] = "") -> Response:
    """Mark a notice published (with its URL) or returned (with a reason): a new reply.

    A 不上网 notice is marked published only with the confirm box ticked and a reason.
    """
    staff = signed_in(request)
    if staff is None:
        return _refuse_unsigned(request)
    db = _db(request)
    back = back if back.startswith("/") and not back.startswith("//") else "/"
    if not hmac.compare_digest(key, form_key(db, staff)):
        return _html(staff_pages.message_page("未能保存", "页面已过期，请刷新后再提交。", back),
                     403)
    try:
        mark(db, township, notice_id, state, url, reason, staff.name,
             confirm_online=confirm_online == "yes", online_reason=online_reason)
    except Refused as exc:
        return _html(staff_pages.message_page("未能保存", str(exc), back), exc.status)
    return RedirectResponse(back, status_code=303)


@router.get("/attachments/{township}/{sha256}")
def attachment(request: Request, township: int, sha256: str) -> Response:
    """An attachment a township sent (a posting photo, a rendered sheet), for staff eyes."""
    staff = signed_in(request)
    if staff is None:
        return _refuse_unsigned(request)
    data = blob_bytes(_db(request), township, sha256)
    if data is None:
        return _html(staff_pages.message_page("找不到附件", "没有这个附件。"), 404)
    return Response(data, media_type=_media_type(data), headers=_HEADERS)


def _media_type(data: bytes) -> str:
    # Sniffed from the bytes: the township's file name is not trusted to say what it is.
    for magic, kind in ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"%PDF", ".pdf")):
        if data.startswith(magic):
            return mimetypes.types_map[kind]
    return "application/octet-stream"
