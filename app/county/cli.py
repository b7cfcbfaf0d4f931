"""The ``gongkai-county`` console script: the county's reference server (CONTRACT.md).

Every command takes ``--db PATH_OR_URL`` (a SQLite file, or a postgresql://
URL); without it the database is ``county.sqlite3`` in the county data folder
(``GONGKAI_COUNTY_DATA`` or the per-user folder). Exit codes: 0 done; 1
refused (one Chinese sentence on stderr, nothing stored); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.county.database import Database, open_database
from app.errors import UserError

log = logging.getLogger("gongkai-county")
Handler = Callable[[Database, argparse.Namespace], int]
#: More worker processes than this is a typing slip, not a plan: one machine has no more cores.
MAX_WORKERS = 64


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_serve(db: Database, args: argparse.Namespace) -> int:
    """``serve``: the API and the staff page under uvicorn, until interrupted."""
    from app.county.server import serve  # only this command needs FastAPI and uvicorn

    if not 1 <= args.workers <= MAX_WORKERS:
        raise UserError(f"--workers 应是 1 到 {MAX_WORKERS} 之间的整数（工作进程的个数）。")
    if args.workers > 1 and db.is_sqlite:
        raise UserError("多个工作进程（--workers 大于 1）需要 PostgreSQL 数据库，"
                        "SQLite 只能用一个工作进程。")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise UserError("--tls-cert 和 --tls-key 要一起给出：证书文件和它的私钥文件。")
    if args.tls_cert:
        _check_tls(args.tls_cert, args.tls_key)
    where = db.engine.url.render_as_string(hide_password=True)
    scheme = "https" if args.tls_cert else "http"
    processes = f"，{args.workers} 个工作进程" if args.workers > 1 else ""
    print(f"县级平台：{scheme}://{args.host}:{args.port}/ ，数据库 {where}{processes}",
          file=sys.stderr)
    serve(db, args.host, args.port, args.tls_cert, args.tls_key, workers=args.workers)
    return 0


def _check_tls(cert: str, key: str) -> None:
    """Load the certificate and key once here, so a bad pair is one sentence, not a trace."""
    import ssl

    for path in (cert, key):
        if not Path(path).is_file():
            raise UserError(f"找不到证书文件 {path}。")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            cert, key, password=lambda: b"")  # an encrypted key: refuse, never prompt
    except (ssl.SSLError, OSError, ValueError) as exc:
        log.error("TLS certificate %s / key %s: %s", cert, key, exc)
        raise UserError("证书或私钥文件无法读取，或两者不是一对（需要 PEM 格式，私钥不能加密码）。"
                        ) from exc


def cmd_token_add(db: Database, args: argparse.Namespace) -> int:
    """``token add 名称 [--staff]``: print a new token once; only its hash is kept."""
    from app.county.tokens import add_token

    token = add_token(db, args.name, staff=args.staff)
    who = f"县级工作人员「{args.name}」" if args.staff else f"乡镇「{args.name}」"
    print(f"{who}的新令牌如下，只显示这一次，请妥善转交：", file=sys.stderr)
    print(token)
    return 0


def cmd_token_list(db: Database, args: argparse.Namespace) -> int:
    """``token list``: every token's number, owner and state (never the token)."""
    from app.county.tokens import STAFF, list_tokens

    rows = list_tokens(db)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        role = "工作人员" if r["role"] == STAFF else "乡镇"
        state = f"已停用 {r['revoked']}" if r["revoked"] else "有效"
        print(f"{r['id']}\t{role}\t{r['name']}\t{r['created']}\t{state}")
    return 0


def cmd_token_revoke(db: Database, args: argparse.Namespace) -> int:
    """``token revoke 编号``: the token stops working at once."""
    from app.county.tokens import revoke_token

    revoke_token(db, args.id)
    print(f"令牌 {args.id} 已停用。")
    return 0


def cmd_import(db: Database, args: argparse.Namespace) -> int:
    """``import FILE.zip``: a batch from a USB stick, checked whole, stored once."""
    from app.county.intake import import_bundle

    result = import_bundle(db, Path(args.file))
    if args.json:
        _print_json(result.to_json())
        return 0
    fresh = [r for r in result.receipts if not r.replayed]
    if not fresh:
        print(f"{result.township}这个U盘文件的{result.replayed}个批次此前都已收到"
              "（U盘或网络），没有重复计入。")
        return 0
    print(f"已导入{result.township}的U盘文件：{len(fresh)}个新批次，"
          f"{sum(len(r.replies) for r in fresh)}条公开信息，{result.new_blobs}个新附件。")
    if result.replayed:
        print(f"另有{result.replayed}个批次此前已收到（U盘或网络），没有重复计入。")
    return 0


def cmd_replies(db: Database, args: argparse.Namespace) -> int:
    """``replies --township 名称 --out FILE.zip``: the county's answers for a USB stick, signed."""
    from app.county.reply_files import write_reply_file

    done = write_reply_file(db, args.township, Path(args.out))
    if args.json:
        _print_json(done.to_json())
        return 0
    print(f"已把给{done.township}的{done.replies}条答复、{done.receipts}个批次回执写入 "
          f"{args.out}（县级平台签名，公钥指纹 {done.fingerprint}）。")
    return 0


def cmd_township_key(db: Database, args: argparse.Namespace) -> int:
    """``township-key 名称 [--public-key BASE64|FILE | --revoke]``: a township's signing key."""
    from sqlalchemy import select

    from app.county.keys import current_key, register_by_name, revoke_key
    from app.county.schema import townships
    from app.sync.bundle import fingerprint

    if args.public_key and args.revoke:
        raise UserError("--public-key 和 --revoke 不能同时使用。")
    if args.revoke:
        print(f"已停用「{args.name}」的签名公钥（指纹 {revoke_key(db, args.name)}），"
              "此后用它签名的U盘文件都不再接受。")
        return 0
    if args.public_key:
        key = register_by_name(db, args.name, args.public_key, "staff")
        if args.json:
            _print_json(key.to_json())
            return 0
        print(f"已登记「{args.name}」的签名公钥，指纹 {key.fingerprint}"
              + ("（原有公钥已作废）" if key.replaced else "") + "。请与乡镇电话核对指纹。")
        return 0
    with db.read() as conn:
        found = conn.execute(select(townships.c.id).where(townships.c.name == args.name)
                             ).scalar()
        key_text = current_key(conn, found) if found is not None else None
    if found is None:
        raise UserError(f"乡镇「{args.name}」尚未在县级平台登记。")
    if args.json:
        _print_json({"township": args.name, "public_key": key_text,
                     "fingerprint": fingerprint(key_text) if key_text else None})
    elif key_text:
        print(f"「{args.name}」的签名公钥指纹 {fingerprint(key_text)}")
    else:
        print(f"「{args.name}」还没有登记签名公钥。")
    return 0


def cmd_county_key(db: Database, args: argparse.Namespace) -> int:
    """``county-key [--out FILE]``: the county's public key, to give a township on paper."""
    from app.atomic import write_bytes
    from app.county.keys import county_signer

    signer = county_signer(db)
    if args.out:
        write_bytes(Path(args.out), (signer.public_text + "\n").encode("ascii"))
    if args.json:
        _print_json({"public_key": signer.public_text, "fingerprint": signer.fingerprint})
        return 0
    print(signer.public_text)
    print(f"县级平台公钥指纹 {signer.fingerprint}", file=sys.stderr)
    return 0


def cmd_stats(db: Database, args: argparse.Namespace) -> int:
    """``stats``: townships, notices, batches, attachments, bytes, published, returned,
    不上网 and metadata-only notices."""
    from app.county.stats import stats

    figures = stats(db)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"乡镇 {figures['townships']} 个，公开信息 {figures['notices']} 条"
          f"（已发布 {figures['published']}，已退回 {figures['returned']}"
          + (f"，仅限线下公开 {figures['offline_only']}" if figures["offline_only"] else "")
          + (f"，仅元数据 {figures['metadata_only']}" if figures["metadata_only"] else "")
          + "），"
          f"批次 {figures['batches']} 个，附件 {figures['attachments']} 个"
          f"（{figures['bytes'] / 1024 / 1024:.1f} MB）")
    return 0


def cmd_catalog_load(db: Database, args: argparse.Namespace) -> int:
    """``catalog load FILE.json``: the county catalog, whole, as a new version."""
    from app.county.catalog_versions import load_catalog_file

    version = load_catalog_file(db, Path(args.file))
    print(f"目录已载入，版本 {version}。")
    return 0


def cmd_calendar_load(db: Database, args: argparse.Namespace) -> int:
    """``calendar load FILE.json``: one year's holiday arrangement."""
    from app.county.calendars import load_calendar_file

    document = load_calendar_file(db, Path(args.file))
    print(f"{document['year']}年节假日安排已载入：放假 {len(document['holidays'])} 天，"
          f"调休上班 {len(document['workdays'])} 天。")
    return 0


def cmd_rules_publish(db: Database, args: argparse.Namespace) -> int:
    """``rules publish FILE.toml``: the 考核细则 offered to every township as a new version."""
    from app.county.scoring_rules import publish_rules_file

    version = publish_rules_file(db, Path(args.file))
    print(f"考核细则已发布，版本 {version}；乡镇下次同步时可预览并采用。")
    return 0


def cmd_problems_publish(db: Database, args: argparse.Namespace) -> int:
    """``problems publish --township 名称 FILE``: a 测评问题清单 for that township's next sync."""
    from app.county.problem_lists import publish_list_file

    done = publish_list_file(db, args.township, Path(args.file), args.title, args.received)
    if args.json:
        _print_json(done.to_json())
        return 0
    print(f"已把问题清单「{done.title}」（下发日期 {done.received}）发给{done.township}，"
          f"编号 {done.seq}；乡镇下次同步时导入。")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (separate so tests and help output can use it)."""
    db = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a --db given before the command must survive the subcommand's default.
    db.add_argument("--db", default=argparse.SUPPRESS,
                    help="SQLite 文件路径或 postgresql:// 地址（默认：县级数据文件夹）")
    parser = argparse.ArgumentParser(prog="gongkai-county", parents=[db],
                                     description="县级政务公开平台（参考实现）")
    parser.add_argument("--version", action="version", version=f"gongkai-county {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    serve = sub.add_parser("serve", parents=[db], help="启动县级平台服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--tls-cert", dest="tls_cert", metavar="CERT.pem",
                       help="HTTPS：服务器证书（PEM，可含中间证书）")
    serve.add_argument("--tls-key", dest="tls_key", metavar="KEY.pem",
                       help="HTTPS：证书的私钥（PEM，不加密码）")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="工作进程个数（默认 1；大于 1 需要 PostgreSQL）")
    serve.set_defaults(handler=cmd_serve)

    token = sub.add_parser("token", help="乡镇和工作人员的令牌").add_subparsers(
        dest="token_command", metavar="操作", required=True)
    add = token.add_parser("add", parents=[db], help="发放新令牌（只显示一次）")
    add.add_argument("name", help="乡镇名称，或 --staff 时的工作人员姓名")
    add.add_argument("--staff", action="store_true", help="县级工作人员的令牌")
    add.set_defaults(handler=cmd_token_add)
    listing = token.add_parser("list", parents=[db], help="列出令牌（不显示令牌本身）")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_token_list)
    revoke = token.add_parser("revoke", parents=[db], help="停用令牌")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=cmd_token_revoke)

    imp = sub.add_parser("import", parents=[db], help="导入U盘带来的批次文件")
    imp.add_argument("file")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=cmd_import)

    rep = sub.add_parser("replies", parents=[db], help="把给某乡镇的答复写成U盘文件（县级签名）")
    rep.add_argument("--township", required=True, metavar="名称")
    rep.add_argument("--out", required=True, metavar="FILE.zip")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(handler=cmd_replies)

    tk = sub.add_parser("township-key", parents=[db],
                        help="乡镇的签名公钥：查看指纹、登记（纸面或U盘带来）或停用")
    tk.add_argument("name", metavar="名称")
    tk.add_argument("--public-key", dest="public_key", metavar="BASE64|FILE",
                    help="登记乡镇工作台给出的公钥（文字或文件）")
    tk.add_argument("--revoke", action="store_true", help="停用现有公钥（电脑丢失等）")
    tk.add_argument("--json", action="store_true")
    tk.set_defaults(handler=cmd_township_key)

    ck = sub.add_parser("county-key", parents=[db], help="县级平台的公钥（给乡镇核对指纹）")
    ck.add_argument("--out", metavar="FILE", help="同时写入文件，带给乡镇")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(handler=cmd_county_key)

    st = sub.add_parser("stats", parents=[db], help="统计")
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=cmd_stats)

    for name, what, handler in (("catalog", "县级公开目录", cmd_catalog_load),
                                ("calendar", "节假日安排", cmd_calendar_load)):
        group = sub.add_parser(name, help=what).add_subparsers(
            dest=f"{name}_command", metavar="操作", required=True)
        load = group.add_parser("load", parents=[db], help=f"载入{what}（JSON 文件）")
        load.add_argument("file")
        load.set_defaults(handler=handler)
    rules = sub.add_parser("rules", help="考核细则").add_subparsers(
        dest="rules_command", metavar="操作", required=True)
    publish = rules.add_parser("publish", parents=[db], help="发布考核细则（TOML 文件）给各乡镇")
    publish.add_argument("file")
    publish.set_defaults(handler=cmd_rules_publish)
    problems = sub.add_parser("problems", help="测评问题清单（整改）").add_subparsers(
        dest="problems_command", metavar="操作", required=True)
    listed = problems.add_parser("publish", parents=[db],
                                 help="把测评问题清单（.xlsx 或 .docx）发给一个乡镇")
    listed.add_argument("--township", required=True, metavar="名称")
    listed.add_argument("file", metavar="FILE.xlsx|FILE.docx")
    listed.add_argument("--title", metavar="标题", help="清单名称（默认：文件名）")
    listed.add_argument("--received", metavar="日期", help="下发日期，如 2026-11-23（默认：今天）")
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=cmd_problems_publish)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``gongkai-county``; exits 0, 1 (refused) or 2 (usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        sys.exit(2)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        db = open_database(getattr(args, "db", None))
    except UserError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    try:
        code = handler(db, args)
    except UserError as exc:
        print(exc, file=sys.stderr)
        code = 1
    except OSError as exc:
        log.error("%s", exc)
        print("读写文件时出错（文件不存在、不可读或磁盘已满），操作未完成。", file=sys.stderr)
        code = 1
    finally:
        db.close()
    sys.exit(code)


if __name__ == "__main__":
    main()
