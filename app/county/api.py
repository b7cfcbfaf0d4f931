"""The county's HTTP face: the ``/api/v1`` endpoints of app.sync.protocol, and the staff page.

Request bodies are read by hand with a cap (413 past it) and parsed by the
protocol's own ``from_json``, so the server refuses exactly what the client
would refuse. Every refusal is ``{"detail": "一句中文"}``. Database work runs in
the thread pool; the event loop only moves bytes.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.county import models
from app.county.answers import MAX_REPLIES, replies_after
from app.county.calendars import calendar_year
from app.county.catalog_versions import catalog_after
from app.county.database import Database
from app.county.errors import Refused
from app.county.intake import apply_batch, missing_blobs, store_blob
from app.county.keys import county_signer, register_key
from app.county.problem_lists import MAX_LIST_NUMBER, lists_after
from app.county.scoring_rules import rules_after
from app.county.staff_web import router as staff_router
from app.county.tokens import TOWNSHIP, Principal, authenticate
from app.sync.protocol import (
    API,
    MAX_BATCH_BYTES,
    MAX_BLOB_BYTES,
    MAX_NOTICES_PER_BATCH,
    Batch,
    ProtocolError,
    check_batch_id,
    is_sha256,
)

log = logging.getLogger(__name__)

DESCRIPTION = """县级政务公开平台（参考实现）与乡镇公开工作台之间的报送协议。

A township sends a batch in three steps: ask which attachments are missing,
upload those (content-addressed by SHA-256), then put the batch document under
its id, which is also its idempotency key: the same batch sent again answers
with the same receipt and `replayed: true`. Replies (received, published with a
URL, returned with a reason) are read with `GET /replies?after=SEQ`. Every
request carries the township's token as `Authorization: Bearer …`; every
refusal is `{"detail": "一句中文"}`.
"""

_STATUS_WORDS = {
    400: "请求格式不对。",
    401: "需要登录。",
    403: "没有权限。",
    404: "没有这个地址。",
    405: "不支持这种请求方法。",
    413: "请求内容超过上限。",
}

bearer = HTTPBearer(auto_error=False, scheme_name="townshipToken",
                    description="乡镇令牌（gongkai-county token add 乡镇名称 发放）")


def database(request: Request) -> Database:
    """The app's database (a dependency)."""
    return request.app.state.db


def township(request: Request,
             credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
             ) -> Principal:
    """The township whose bearer token came with the request, or 401."""
    if credentials is None:
        raise Refused(401, "缺少乡镇令牌，请先在公开工作台登记县级平台的令牌。")
    who = authenticate(database(request), credentials.credentials, TOWNSHIP)
    if who is None or who.township_id is None:
        raise Refused(401, "令牌无效或已停用，请向县级平台重新申请。")
    return who


Township = Annotated[Principal, Depends(township)]
Db = Annotated[Database, Depends(database)]


async def read_capped(request: Request, cap: int, what: str) -> bytes:
    """The request body, refused with 413 as soon as it passes ``cap`` bytes."""
    too_big = Refused(413, f"{what}超过{cap // (1024 * 1024)}MB上限。")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > cap:
                raise too_big
        except ValueError as exc:
            raise Refused(400, "请求长度不对。") from exc
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > cap:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    """A JSON request body, or 422 in one sentence."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(422, "请求内容不是有效的 JSON。") from exc


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {401: "令牌缺失或无效", 403: "令牌不属于这个乡镇", 404: "没有找到",
             413: "超过大小上限", 422: "内容不对"}
    answer: dict[int | str, dict[str, Any]] = {
        code: {"model": models.ErrorOut, "description": words[code]} for code in codes}
    return answer


def _json_body(schema: dict[str, Any], content_type: str = "application/json"
               ) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {content_type: {"schema": schema}}}}


def _ref(model: type) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


#: The largest ``after`` a client may ask for: SQLite's own integers end at 2**63 - 1,
#: and a larger one is an overflow inside the query, not an answer.
MAX_SEQ = 2**63 - 1

router = APIRouter(prefix=API, tags=["township"])


@router.get("/hello", response_model=models.HelloOut, responses=_errors(401))
def hello(who: Township) -> dict[str, Any]:
    """Whose token this is, and the limits this server enforces."""
    return {"township": who.township, "server": "gongkai-county", "version": __version__,
            "api": API, "limits": {"max_blob_bytes": MAX_BLOB_BYTES,
                                   "max_batch_bytes": MAX_BATCH_BYTES,
                                   "max_notices_per_batch": MAX_NOTICES_PER_BATCH}}


@router.post("/blobs/missing", response_model=models.MissingOut,
             responses=_errors(401, 413, 422),
             openapi_extra=_json_body(_ref(models.MissingRequest)))
async def blobs_missing(request: Request, who: Township, db: Db) -> dict[str, Any]:
    """Which of these attachments this township has not uploaded yet."""
    data = parse_json(await read_capped(request, MAX_BATCH_BYTES, "查询内容"))
    hashes = data.get("sha256") if isinstance(data, dict) else None
    if not isinstance(hashes, list):
        raise Refused(422, "查询内容应是 {\"sha256\": [...]} 的形式。")
    assert who.township_id is not None  # township() refuses a token without one
    missing = await run_in_threadpool(missing_blobs, db, who.township_id, hashes)
    return {"missing": missing}


@router.put("/blobs/{sha256}", response_model=models.BlobOut,
            responses={201: {"model": models.BlobOut, "description": "新存入"},
                       **_errors(401, 413, 422)},
            openapi_extra=_json_body({"type": "string", "format": "binary"},
                                     "application/octet-stream"))
async def put_blob(sha256: str, request: Request, who: Township, db: Db) -> JSONResponse:
    """Upload one attachment; the bytes must hash to ``sha256`` (200 if already held)."""
    if not is_sha256(sha256):
        raise Refused(422, "附件的校验值格式不对。")
    data = await read_capped(request, MAX_BLOB_BYTES, "附件")
    assert who.township_id is not None  # township() refuses a token without one
    new = await run_in_threadpool(store_blob, db, who.township_id, sha256, data)
    return JSONResponse({"sha256": sha256, "size": len(data), "stored": new},
                        status_code=201 if new else 200)


@router.put("/batches/{batch_id}", response_model=models.ReceiptOut,
            responses={409: {"model": models.MissingErrorOut, "description": "附件尚未上传"},
                       **_errors(401, 403, 413, 422)},
            openapi_extra=_json_body(_ref(models.BatchDocument)))
async def put_batch(batch_id: str, request: Request, who: Township, db: Db) -> dict[str, Any]:
    """Store a batch of notices (idempotent by batch id) and answer per notice."""
    try:
        wanted = check_batch_id(batch_id)
    except ProtocolError as exc:
        raise Refused(422, str(exc)) from exc
    data = parse_json(await read_capped(request, MAX_BATCH_BYTES, "批次"))
    try:
        batch = Batch.from_json(data)
    except ProtocolError as exc:
        raise Refused(422, str(exc)) from exc
    if batch.batch_id != wanted:
        raise Refused(422, "地址中的批次编号与批次内容不一致。")
    if batch.township != who.township:
        raise Refused(403, f"这个令牌属于「{who.township}」，不能报送「{batch.township}」的批次。")
    assert who.township_id is not None  # township() refuses a token without one
    receipt = await run_in_threadpool(apply_batch, db, who.township_id, batch)
    return receipt.to_json()


@router.get("/replies", response_model=models.RepliesOut, responses=_errors(401, 422))
def get_replies(who: Township, db: Db, after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
                limit: Annotated[int, Query(ge=1, le=MAX_REPLIES)] = MAX_REPLIES
                ) -> dict[str, Any]:
    """The county's answers to this township numbered above ``after``, oldest first."""
    return replies_after(db, who.township_id or 0, after, limit).to_json()


@router.put("/township-key", response_model=models.TownshipKeyOut,
            responses=_errors(401, 413, 422),
            openapi_extra=_json_body(_ref(models.TownshipKeyRequest)))
async def put_township_key(request: Request, who: Township, db: Db) -> dict[str, Any]:
    """Register this township's public key for its signed USB files; the county's comes back.

    A new key replaces the township's old one (rotation); the same key again
    changes nothing. Body: ``{"public_key": "base64 of the 32-byte Ed25519 key"}``.
    """
    data = parse_json(await read_capped(request, 4096, "公钥"))
    public_key = data.get("public_key") if isinstance(data, dict) else None
    assert who.township_id is not None  # township() refuses a token without one
    key = await run_in_threadpool(register_key, db, who.township_id, public_key, "network",
                                  f"token {who.token_id}")
    county = await run_in_threadpool(county_signer, db)
    return {**key.to_json(), "county_key": county.public_text,
            "county_fingerprint": county.fingerprint}


@router.get("/catalog", response_model=models.CatalogOut, responses=_errors(401, 422))
def get_catalog(who: Township, db: Db, after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0
                ) -> dict[str, Any]:
    """The county catalog, whole, if a version newer than ``after`` was loaded."""
    return catalog_after(db, after)


@router.get("/rules", response_model=models.RulesOut, responses=_errors(401, 422))
def get_rules(who: Township, db: Db, after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0
              ) -> dict[str, Any]:
    """The county's 考核细则, whole, if a version newer than ``after`` was published."""
    return rules_after(db, after)


@router.get("/problems", response_model=models.ProblemListsOut, responses=_errors(401, 422))
def get_problems(who: Township, db: Db,
                 after: Annotated[int, Query(ge=0, le=MAX_LIST_NUMBER)] = 0) -> dict[str, Any]:
    """This township's 测评问题清单 numbered above ``after``, a few files per answer."""
    return lists_after(db, who.township_id or 0, after)


@router.get("/calendar/{year}", response_model=models.CalendarOut,
            responses=_errors(401, 404, 422))
def get_calendar(year: int, who: Township, db: Db) -> dict[str, Any]:
    """A year's holiday arrangement as the county loaded it."""
    document = calendar_year(db, year)
    if document is None:
        raise Refused(404, f"县级平台还没有{year}年的节假日安排。")
    return document


# -- errors -----------------------------------------------------------------------------


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse({"detail": str(exc), **exc.extra}, status_code=exc.status,
                        headers=headers)


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    names = [str(e["loc"][-1]) for e in exc.errors() if e.get("loc")]
    where = f"（{', '.join(dict.fromkeys(names))}）" if names else ""
    return JSONResponse({"detail": f"请求参数不对{where}。"}, status_code=422)


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = _STATUS_WORDS.get(exc.status_code, "请求未能完成。")
    return JSONResponse({"detail": detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _crashed(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "县级服务端内部出错，请稍后再试。"}, status_code=500)


def create_app(db: Database | None) -> FastAPI:
    """The county's ASGI app over ``db`` (None only to write the OpenAPI document)."""
    app = FastAPI(title="gongkai-county", version=__version__, description=DESCRIPTION,
                  openapi_url=f"{API}/openapi.json", docs_url=None, redoc_url=None)
    app.state.db = db
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _crashed)
    app.include_router(router)
    app.include_router(staff_router)

    def openapi() -> dict[str, Any]:
        # Request bodies are read by hand (with a cap), so FastAPI cannot see their
        # models; they are added to the components here for the $refs above.
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            parts = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (models.MissingRequest, models.BatchDocument,
                          models.TownshipKeyRequest):
                body = model.model_json_schema(ref_template="#/components/schemas/{model}")
                parts.update(body.pop("$defs", {}))
                parts[model.__name__] = body
            schema["components"]["schemas"] = dict(sorted(parts.items()))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
