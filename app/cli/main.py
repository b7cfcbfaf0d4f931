"""The ``gongkai`` command line (CONTRACT.md). No Qt here: ``gui`` is started by ui.launch.

Exit codes: 0 done; 1 input refused (one Chinese line on stderr, nothing
changed); 2 wrong usage (argparse's own exit code).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__, workdays
from app.catalog import domains, search
from app.catalog.importing import ImportReport, export_catalog, import_catalog
from app.catalog.item import CatalogItem
from app.catalog.items import get_item, item_revisions, list_items
from app.catalog.timelimits import describe_rule
from app.cli.ledger import add_ledger_commands
from app.cli.report import add_report_commands
from app.cli.requests import add_request_commands
from app.desk import open_desk
from app.errors import FILE_ERROR, UserError
from app.facts import NOTICE_KINDS, STATUSES
from app.notices import boards, drafts, review
from app.notices.privacy import lines_and_columns
from app.reports import due
from app.store import Store
from app.township import get_township, set_township

log = logging.getLogger(__name__)
Handler = Callable[[Store, argparse.Namespace], int]


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- commands ------------------------------------------------------------------


def cmd_init(store: Store, args: argparse.Namespace) -> int:
    """``gongkai init``: name the township and its county."""
    info = set_township(store, args.township, args.county, args.phone)
    phone = f"，监督电话 {info.phone}" if info.phone else ""
    print(f"已设置：{info.county}{info.township}{phone}")
    return 0


def cmd_domains(store: Store, args: argparse.Namespace) -> int:
    """``catalog domains``: the domains with their item counts."""
    rows = domains.list_domains(store, include_hidden=args.all)
    if args.json:
        _print_json([d.to_json() for d in rows])
    else:
        for d in rows:
            print(f"{d.name}\t{d.items} 项" + ("（已隐藏）" if d.hidden else ""))
        print(f"共 {len(rows)} 个领域，{sum(d.items for d in rows)} 项")
    return 0


def _print_items(items: list[CatalogItem], as_json: bool) -> None:
    if as_json:
        _print_json([i.to_json() for i in items])
        return
    for i in items:
        print(f"{i.id}\t{i.domain}\t{i.title()}\t{i.time_limit}")


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    """``catalog list``: items of one domain or all."""
    name = None
    if args.domain:
        name = domains.resolve_domain(store, args.domain)
        if name is None:
            raise UserError(f"目录里没有「{args.domain}」这个领域。")
    _print_items(list_items(store, name), args.json)
    return 0


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    """``catalog show``: one item, any revision."""
    item = get_item(store, args.id, args.rev)
    if args.json:
        _print_json(item.to_json() | {"revisions": item_revisions(store, item.id)})
        return 0
    print(f"{item.id}  {item.domain}  {item.title()}")
    print("公开内容（要素）：" + "；".join(item.elements))
    print(f"公开依据：{item.basis}")
    print(f"公开时限：{item.time_limit}（{describe_rule(item.rule)}）")
    print(f"公开主体：{item.subject}")
    print("公开渠道和载体：" + "、".join(item.channels))
    print("公开对象：" + "、".join(item.audience) + "  公开方式：" + "、".join(item.mode)
          + "  公开层级：" + "、".join(item.levels))
    return 0


def cmd_search(store: Store, args: argparse.Namespace) -> int:
    """``catalog search``: best match first."""
    hits = search.search(store, args.text, limit=args.limit)
    if args.json:
        _print_json([h.item.to_json() | {"score": round(h.score, 2)} for h in hits])
    elif not hits:
        print(f"没有找到与「{args.text}」相关的事项。")
    else:
        _print_items([h.item for h in hits], False)
    return 0


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """``catalog import``: a county table, previewed with --dry-run, written in one transaction."""
    domain = None
    if args.domain:
        domain = domains.resolve_domain(store, args.domain) or args.domain
    report = import_catalog(store, Path(args.file), domain=domain, replace=args.replace,
                            dry_run=args.dry_run, add_domains=set(args.add_domain or []),
                            mapping=_domain_mapping(args.map))
    _print_import(report, args.json)
    return 0


def _domain_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``--map 表中名=领域`` pairs as a dict, or one sentence for a malformed pair."""
    mapping = {}
    for pair in pairs or []:
        label, sep, target = pair.partition("=")
        if not sep:
            raise UserError(f"「{pair}」应写成 表中领域名=本乡镇领域名。")
        mapping[label] = target
    return mapping


def _print_import(report: ImportReport, as_json: bool, details: bool = False) -> None:
    """An import's outcome (or preview): JSON, or the summary, new domains, warnings."""
    if as_json:
        _print_json(report.to_json())
        return
    print(report.summary())
    if details:
        names = {"added": "新增", "changed": "更新", "retired": "停用"}
        for section in report.to_json()["domains"]:
            for row in section["items"]:
                if row["action"] in names:
                    fields = "、".join(row.get("fields", []))
                    print(f"  {names[row['action']]}　{section['domain']}　{row['title']}"
                          + (f"（{fields}）" if fields else ""))
    for name in report.new_domains():
        print(f"表中有新领域「{name}」" + ("，已新增。" if not report.dry_run else
                                   "：确认新增请加 --add-domain " + name))
    for warning in report.warnings:
        print("提示：" + warning)


def cmd_sync_catalog(store: Store, args: argparse.Namespace) -> int:
    """``sync catalog``: preview the county's catalog revision, then --apply or --decline it."""
    from app.sync import catalog_offers

    if args.decline:
        offer = catalog_offers.decline(store)
        print(f"已搁置{offer.name}，目录未作改动。")
        return 0
    offer = catalog_offers.waiting(store)
    report = import_catalog(store, offer, replace=not args.keep_others, dry_run=not args.apply,
                            add_domains=set(args.add_domain or []),
                            mapping=_domain_mapping(args.map))
    if not args.json:
        print(("已采用" if args.apply else "预览（尚未写入）：") + offer.name + "。")
    _print_import(report, args.json, details=not args.apply)
    if not args.apply and not args.json:
        print("确认无误后运行 gongkai sync catalog --apply 采用。")
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    """``catalog export``: .xlsx, .docx or .json by extension."""
    info = get_township(store)
    count = export_catalog(store, Path(args.file), title_prefix=info.township)
    print(f"已导出 {count} 项到 {args.file}")
    return 0


def cmd_domain_add(store: Store, args: argparse.Namespace) -> int:
    """``catalog domain-add``: a domain the township's county uses."""
    d = domains.add_domain(store, args.name)
    print(f"已新增领域「{d.name}」")
    return 0


def cmd_domain_alias(store: Store, args: argparse.Namespace) -> int:
    """``catalog domain-alias``: another county's word for one of our domains."""
    domains.add_alias(store, args.alias, args.domain)
    print(f"「{args.alias}」今后视为「{args.domain}」")
    return 0


def cmd_domain_hide(store: Store, args: argparse.Namespace) -> int:
    """``catalog domain-hide`` / ``--show``."""
    domains.set_hidden(store, args.name, not args.show)
    print(("已恢复显示" if args.show else "已隐藏") + f"领域「{args.name}」")
    return 0


def cmd_workdays_add(store: Store, args: argparse.Namespace) -> int:
    """``workdays add DATE N``."""
    cal = workdays.Calendar.from_store(store)
    result = cal.add_workdays(workdays.parse_date(args.date), args.n)
    if args.json:
        _print_json(result.to_json())
        return 0
    data = result.to_json()
    print(f"{data['date']}（{data['weekday']}）")
    if not result.calendar_known:
        years = "、".join(str(y) for y in result.unknown_years)
        print(f"注意：{years}年的节假日安排尚未载入，已按周一至周五计算。", file=sys.stderr)
    return 0


def cmd_workdays_load(store: Store, args: argparse.Namespace) -> int:
    """``workdays load FILE.json``."""
    a = workdays.load_arrangement_file(store, Path(args.file))
    print(f"已载入{a.year}年节假日安排：放假 {len(a.holidays)} 天，调休上班 {len(a.workdays)} 天")
    return 0


def cmd_workdays_show(store: Store, args: argparse.Namespace) -> int:
    """``workdays show YEAR``: what the program knows of a year."""
    cal = workdays.Calendar.from_store(store)
    data = workdays.arrangement_json(cal, args.year) | {"status": cal.year_status(args.year)}
    _print_json(data)
    return 0


def cmd_backup(store: Store, args: argparse.Namespace) -> int:
    """``backup [--out FILE]``."""
    path = store.backup(Path(args.out) if args.out else None)
    print(f"已备份到 {path}")
    return 0


def cmd_check(store: Store, args: argparse.Namespace) -> int:
    """``check``: SQLite's integrity and foreign-key checks."""
    integrity = store.scalar("PRAGMA integrity_check")
    broken = store.query("PRAGMA foreign_key_check")
    if integrity != "ok" or broken:
        raise UserError("数据文件检查未通过，请从最近的备份恢复，并联系技术人员。",
                        f"{integrity}; {len(broken)} foreign key problems")
    counts = store.table_counts()
    print("数据文件完好。" + "，".join(f"{name} {n} 行" for name, n in counts.items()
                               if name in ("catalog_items", "domains", "catalog_versions")))
    return 0


# -- notices -------------------------------------------------------------------


def _read_body(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取正文文件「{Path(path).name}」，请确认它是UTF-8文本。",
                        str(exc)) from exc


def _notice_line(n: drafts.Notice) -> str:
    status = STATUSES.get(n.status, n.status)
    due = f"  应于{n.due}前公开" if n.due and n.status in ("draft", "approved") else ""
    return f"{n.id}  [{status}] {n.kind}  {n.title}{due}"


def cmd_notice_new(store: Store, args: argparse.Namespace) -> int:
    """``notice new``: a draft from a catalog item."""
    n = drafts.create_notice(store, args.item, args.title, args.kind,
                             _read_body(args.body_file), args.formed, args.author or "")
    if args.json:
        _print_json(n.to_json())
    else:
        print(_notice_line(n))
        if not n.calendar_known:
            print("注意：期限涉及的年份节假日安排尚未载入，已按周一至周五计算。", file=sys.stderr)
    return 0


def cmd_notice_show(store: Store, args: argparse.Namespace) -> int:
    """``notice show``."""
    n = drafts.get_notice(store, drafts.resolve_id(store, args.id), args.rev)
    if args.json:
        _print_json(n.to_json() | {"revisions": drafts.revisions(store, n.id),
                                   "reviews": review.review_history(store, n.id)})
        return 0
    print(_notice_line(n))
    if n.publicity:
        print(f"公示期：{n.publicity['start'] or '张贴之日起'} 至 {n.publicity['end'] or '—'}")
    for p in n.postings:
        print(f"张贴：{p['board']} {p['posted']}" + (f"，{p['taken_down']}撤下"
                                                  if p["taken_down"] else ""))
    print()
    print(n.body)
    return 0


def cmd_notice_list(store: Store, args: argparse.Namespace) -> int:
    """``notice list``: every notice, newest first."""
    rows = [drafts.get_notice(store, i) for i in drafts.list_ids(store, args.status)]
    if args.json:
        _print_json([n.to_json() for n in rows])
    else:
        for n in rows:
            print(_notice_line(n))
    return 0


def cmd_notice_edit(store: Store, args: argparse.Namespace) -> int:
    """``notice edit``: a new revision (an approved notice goes back to draft)."""
    n = drafts.edit_notice(store, drafts.resolve_id(store, args.id), args.title,
                           _read_body(args.body_file), args.author or "")
    print(_notice_line(n) + f"（第{n.rev}版）")
    return 0


def cmd_notice_check(store: Store, args: argparse.Namespace) -> int:
    """``notice check``: missing 要素 and personal data."""
    notice_id = drafts.resolve_id(store, args.id)
    result = drafts.check_notice(store, notice_id)
    if args.json:
        _print_json(result.to_json())
        return 0
    body = drafts.get_notice(store, notice_id)
    text = body.title + "\n" + body.body
    print("要素齐全。" if not result.missing else "尚未写到的要素：" + "、".join(result.missing))
    if not result.findings:
        print("未发现个人信息。")
    places = lines_and_columns(text, [f.start for f in result.findings])
    for f, (line, col) in zip(result.findings, places, strict=True):
        print(f"第{line}行第{col}字：{f.label} {f.text} → {f.masked}")
    return 0


def cmd_notice_mask(store: Store, args: argparse.Namespace) -> int:
    """``notice mask``: mask every finding in a new revision."""
    n, count = drafts.mask_notice(store, drafts.resolve_id(store, args.id), args.author or "")
    print(f"已遮盖 {count} 处个人信息（第{n.rev}版）。" if count else "未发现需要遮盖的个人信息。")
    return 0


def cmd_notice_approve(store: Store, args: argparse.Namespace) -> int:
    """``notice approve``: record the next review step."""
    result = review.approve(store, drafts.resolve_id(store, args.id), args.reviewer,
                            args.opinion or "")
    if result.approved:
        print(f"{result.step}通过，审核完成，可以张贴和报送。")
    else:
        print(f"{result.step}通过，下一步：{'、'.join(result.remaining)}。")
    return 0


def cmd_notice_return(store: Store, args: argparse.Namespace) -> int:
    """``notice return``: back to draft with a reason."""
    review.send_back(store, drafts.resolve_id(store, args.id), args.reviewer, args.reason)
    print("已退回修改。")
    return 0


def cmd_notice_post(store: Store, args: argparse.Namespace) -> int:
    """``notice post``: it went up on a board."""
    notice_id = drafts.resolve_id(store, args.id)
    boards.post(store, notice_id, args.board, args.date, Path(args.photo) if args.photo else None)
    n = drafts.get_notice(store, notice_id)
    end = (n.publicity or {}).get("end")
    print(f"已记录张贴于「{args.board}」" + (f"，公示期至{end}" if end else "") + "。")
    return 0


def cmd_notice_takedown(store: Store, args: argparse.Namespace) -> int:
    """``notice takedown``: it came down from a board."""
    boards.take_down(store, drafts.resolve_id(store, args.id), args.board, args.date)
    print(f"已记录从「{args.board}」撤下。")
    return 0


def cmd_notice_withdraw(store: Store, args: argparse.Namespace) -> int:
    """``notice withdraw``: kept with its history, never deleted."""
    drafts.withdraw(store, drafts.resolve_id(store, args.id), args.reason, args.author or "")
    print("已撤回。")
    return 0


def cmd_notice_render(store: Store, args: argparse.Namespace) -> int:
    """``notice render``: the board sheet or 明白纸 as PDF or DOCX."""
    from app.printing.output import PrintOptions, render_notice

    options = PrintOptions(args.format, args.paper or "", args.copies_per_sheet,
                           args.qr_url or "")
    done = render_notice(store, drafts.resolve_id(store, args.id), Path(args.out), options)
    print(done.summary())
    return 0


def cmd_due(store: Store, args: argparse.Namespace) -> int:
    """``due``: overdue and due-soon work."""
    lines = due.due_lines(store)
    if args.json:
        _print_json([line.to_json() for line in lines])
    elif not lines:
        print("没有逾期或临近期限的工作。")
    else:
        for line in lines:
            print(f"【{line.label}】{line.title}：{line.detail}"
                  + ("" if line.request_id else f"（{line.notice_id[:8]}）"))
    return 0


def cmd_boards(store: Store, args: argparse.Namespace) -> int:
    """``boards``: list the boards, or set the villages with ``--villages``."""
    rows = (boards.set_villages(store, args.villages.replace("，", ",").split(","))
            if args.villages is not None else boards.list_boards(store))
    for b in rows:
        print(b.name)
    return 0


def cmd_sync(store: Store, args: argparse.Namespace) -> int:
    """``sync login|push|pull|status|export|catalog|attach-pdf``: county and USB batches."""
    from app.sync import exchange, outbox

    if args.action == "login":
        if not args.server:
            raise UserError("请用 --server 给出县级平台地址。")
        # The CA file is kept by its full path: later pushes run from other folders.
        ca_cert = str(Path(args.ca_cert).resolve()) if args.ca_cert else args.ca_cert
        settings = {k: v for k, v in (("sync.ca_cert", ca_cert),
                                      ("sync.proxy", args.proxy)) if v is not None}
        if settings:
            store.set_settings(settings)
        from_env = bool(os.environ.get(exchange.TOKEN_ENV))
        token = os.environ.get(exchange.TOKEN_ENV) or _ask_token()
        hello = exchange.login(store, args.server, token, keep=not from_env)
        kept = "令牌取自环境变量，未写入密钥环" if from_env else "令牌已存入系统密钥环"
        print(f"已登录县级平台 {args.server}（{hello.get('township', '')}），{kept}。")
        return 0
    if args.action == "catalog":
        return cmd_sync_catalog(store, args)
    if args.action == "attach-pdf":
        from app.sync import attached_sheets

        if args.file not in ("on", "off"):
            raise UserError("请写 gongkai sync attach-pdf on 或 off。")
        attached_sheets.set_enabled(store, args.file == "on")
        print("今后报送时附上每条信息的张贴稿 PDF。" if args.file == "on"
              else "今后报送时不再附张贴稿 PDF。")
        return 0
    if args.action == "export":
        if not args.file:
            raise UserError("请给出U盘文件的保存位置，如 gongkai sync export E:/报送.zip。")
        batches = exchange.export_bundle(store, Path(args.file))
        count = sum(len(b.notices) for b in batches)
        print(f"已导出 {count} 条公开信息（{len(batches)} 个批次）到 {args.file}。" if batches
              else "没有待报送的公开信息。")
        return 0
    if args.action == "status":
        status = outbox.sync_status(store)
        if args.json:
            _print_json(status.to_json())
        else:
            print(f"上次成功同步：{status.last_ok or '从未'}；待报送 {status.queued} 条，"
                  f"报送中 {status.in_flight} 条，县级退回 {len(status.returned)} 条。")
            if status.last_error:
                print(f"上次出错：{status.last_error}")
            if status.catalog_offer:
                print(f"县里发来目录第{status.catalog_offer['version']}版尚未采用，"
                      "请运行 gongkai sync catalog 预览。")
        return 0
    with exchange.connect(store, args.server) as client:
        if args.action == "push":
            report = exchange.push(store, client)
            if args.json:
                _print_json(report.to_json())
            elif not report.batches:
                print("没有待报送的公开信息。")
            else:
                print(f"已报送 {report.notices} 条公开信息（{report.batches} 个批次，"
                      f"{report.attachments} 个附件）。")
        else:
            pulled = exchange.pull(store, client)
            if args.json:
                _print_json(pulled.to_json())
            else:
                print(f"收到县级答复 {pulled.replies} 条（退回 {pulled.returned} 条）。")
                if pulled.catalog_items:
                    print(f"县里发来目录第{pulled.catalog_version}版（{pulled.catalog_items}项），"
                          "请运行 gongkai sync catalog 预览，确认后再采用。")
                for year in pulled.calendar_years:
                    print(f"已载入{year}年节假日安排。")
    return 0


def _ask_token() -> str:
    """The token typed by the clerk (hidden at a terminal, a plain line from a pipe)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("县级平台令牌：")
    return sys.stdin.readline().strip()


def cmd_template(store: Store, args: argparse.Namespace) -> int:
    """``template show|set|reset KIND``: the township's print template for a kind."""
    from app.notices import templates

    if args.action == "reset":
        template = templates.reset_template(store, args.kind)
    elif args.action == "set":
        changes = {name: value for name in templates.FIELD_LABELS
                   if (value := getattr(args, name)) is not None}
        if not changes:
            raise UserError("请至少给出一项要改的内容，例如 --closing 特此公示。")
        template = templates.set_template(store, args.kind, changes)
    else:
        template = templates.get_template(store, args.kind)
    if args.json:
        _print_json(template.to_json())
        return 0
    changed = templates.township_changes(store, args.kind)
    print(f"【{args.kind}】模板")
    for name, label in templates.FIELD_LABELS.items():
        mark = "（本乡镇）" if name in changed else ""
        print(f"{label}：{getattr(template, name) or '（不印）'}{mark}")
    return 0


def cmd_review_steps(store: Store, args: argparse.Namespace) -> int:
    """``review-steps N``: how many review steps the township uses."""
    if args.count is not None:
        review.set_review_steps(store, args.count)
    print("审核步骤：" + " → ".join(review.review_steps(store)))
    return 0


# -- parser --------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``gongkai`` command of this version."""
    parser = argparse.ArgumentParser(prog="gongkai", description="乡镇政务公开工作台")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    parser.add_argument("--data-dir", help="数据文件夹（默认：GONGKAI_HOME 或用户数据目录）")
    sub = parser.add_subparsers(dest="command")

    gui = sub.add_parser("gui", help="打开工作台窗口")
    gui.add_argument("--smoke", action="store_true", help="打开主窗口，数据就绪后报告用时并退出")

    p = sub.add_parser("init", help="设置乡镇和县名称")
    p.add_argument("--township", required=True)
    p.add_argument("--county", required=True)
    p.add_argument("--phone")
    p.set_defaults(handler=cmd_init)

    cat = sub.add_parser("catalog", help="公开目录").add_subparsers(dest="action", required=True)
    p = cat.add_parser("domains", help="各领域及事项数")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="包括已隐藏的领域")
    p.set_defaults(handler=cmd_domains)
    p = cat.add_parser("list", help="列出事项")
    p.add_argument("--domain")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)
    p = cat.add_parser("show", help="查看一个事项")
    p.add_argument("id")
    p.add_argument("--rev", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)
    p = cat.add_parser("search", help="搜索事项")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)
    p = cat.add_parser("import", help="导入县里下发的目录表格（.xlsx/.docx/.json）")
    p.add_argument("file")
    p.add_argument("--domain", help="整个文件都属于这个领域")
    p.add_argument("--replace", action="store_true", help="表中没有的本领域事项停用")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--add-domain", action="append", metavar="名称", help="确认新增表中的领域")
    p.add_argument("--map", action="append", metavar="表中名=领域", help="把表中领域对应到已有领域")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)
    p = cat.add_parser("export", help="导出目录（.xlsx/.docx/.json）")
    p.add_argument("file")
    p.set_defaults(handler=cmd_export)
    p = cat.add_parser("domain-add", help="新增领域")
    p.add_argument("name")
    p.set_defaults(handler=cmd_domain_add)
    p = cat.add_parser("domain-alias", help="领域别名")
    p.add_argument("alias")
    p.add_argument("domain")
    p.set_defaults(handler=cmd_domain_alias)
    p = cat.add_parser("domain-hide", help="隐藏（或 --show 恢复）领域")
    p.add_argument("name")
    p.add_argument("--show", action="store_true")
    p.set_defaults(handler=cmd_domain_hide)

    wd = sub.add_parser("workdays", help="工作日").add_subparsers(dest="action", required=True)
    p = wd.add_parser("add", help="某日之后第 N 个工作日")
    p.add_argument("date")
    p.add_argument("n", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_workdays_add)
    p = wd.add_parser("load", help="载入一年的节假日安排（JSON）")
    p.add_argument("file")
    p.set_defaults(handler=cmd_workdays_load)
    p = wd.add_parser("show", help="查看一年的节假日安排")
    p.add_argument("year", type=int)
    p.set_defaults(handler=cmd_workdays_show)

    nt = sub.add_parser("notice", help="公开信息").add_subparsers(dest="action", required=True)
    p = nt.add_parser("new", help="从目录事项起草")
    p.add_argument("--item", required=True)
    p.add_argument("--title")
    p.add_argument("--kind", default="公示", choices=list(NOTICE_KINDS))
    p.add_argument("--body-file")
    p.add_argument("--formed", help="信息形成日期（默认今天）")
    p.add_argument("--author")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_new)
    p = nt.add_parser("show", help="查看")
    p.add_argument("id")
    p.add_argument("--rev", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_show)
    p = nt.add_parser("list", help="列出公开信息")
    p.add_argument("--status", choices=list(STATUSES))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_list)
    p = nt.add_parser("edit", help="修改（生成新版本）")
    p.add_argument("id")
    p.add_argument("--title")
    p.add_argument("--body-file")
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_edit)
    p = nt.add_parser("check", help="检查要素和个人信息")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_check)
    p = nt.add_parser("mask", help="遮盖个人信息")
    p.add_argument("id")
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_mask)
    p = nt.add_parser("approve", help="记录一步审核")
    p.add_argument("id")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--opinion")
    p.set_defaults(handler=cmd_notice_approve)
    p = nt.add_parser("return", help="退回修改")
    p.add_argument("id")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_notice_return)
    p = nt.add_parser("post", help="记录张贴")
    p.add_argument("id")
    p.add_argument("--board", required=True)
    p.add_argument("--date")
    p.add_argument("--photo")
    p.set_defaults(handler=cmd_notice_post)
    p = nt.add_parser("takedown", help="记录撤下")
    p.add_argument("id")
    p.add_argument("--board", required=True)
    p.add_argument("--date")
    p.set_defaults(handler=cmd_notice_takedown)

    p = nt.add_parser("render", help="生成公告张贴稿（PDF 或 Word）")
    p.add_argument("id")
    p.add_argument("--format", choices=["pdf", "docx"], default="pdf")
    p.add_argument("--out", required=True)
    p.add_argument("--paper", choices=["A4", "A3"], help="默认按模板（一般为 A4）")
    p.add_argument("--copies-per-sheet", type=int, choices=[1, 2], default=1)
    p.add_argument("--qr-url", help="明白纸上二维码指向的网上版本地址")
    p.set_defaults(handler=cmd_notice_render)
    p = nt.add_parser("withdraw", help="撤回（保留记录）")
    p.add_argument("id")
    p.add_argument("--reason", required=True)
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_withdraw)

    p = sub.add_parser("due", help="逾期和临近期限的工作")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_due)
    add_request_commands(sub)
    p = sub.add_parser("boards", help="公开栏")
    p.add_argument("--villages", help="各村名称，用逗号分隔")
    p.set_defaults(handler=cmd_boards)
    p = sub.add_parser("sync", help="与县级平台同步，或导出到U盘")
    p.add_argument("action", choices=["login", "push", "pull", "status", "export", "catalog",
                                      "attach-pdf"])
    p.add_argument("file", nargs="?", help="export：U盘文件（.zip）；attach-pdf：on 或 off")
    p.add_argument("--server", help="县级平台地址，如 https://gongkai.example.gov.cn")
    p.add_argument("--ca-cert", dest="ca_cert", help="login：县里自己的 CA 证书文件")
    p.add_argument("--proxy", help="login：代理服务器地址")
    p.add_argument("--apply", action="store_true", help="catalog：采用县里发来的目录")
    p.add_argument("--decline", action="store_true", help="catalog：搁置，不改动目录")
    p.add_argument("--keep-others", dest="keep_others", action="store_true",
                   help="catalog：县目录里没有的本乡镇事项不停用")
    p.add_argument("--add-domain", action="append", metavar="名称", help="catalog：确认新增领域")
    p.add_argument("--map", action="append", metavar="表中名=领域",
                   help="catalog：把县目录的领域对应到已有领域")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync)
    p = sub.add_parser("template", help="张贴稿和明白纸模板（标题上方一行、结束语等）")
    p.add_argument("action", choices=["show", "set", "reset"])
    p.add_argument("kind", choices=list(NOTICE_KINDS))
    p.add_argument("--heading", help="标题上方的一行，红色，空字符串表示不印")
    p.add_argument("--opening", help="正文前的固定文字")
    p.add_argument("--closing", help="正文后的结束语，如“特此公示。”")
    p.add_argument("--phone-label", dest="phone_label", help="电话一行的名称，如“举报电话”")
    p.add_argument("--paper", choices=["A4", "A3"], help="默认纸张")
    p.add_argument("--qr-caption", dest="qr_caption", help="明白纸二维码旁的说明")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_template)
    p = sub.add_parser("review-steps", help="审核步骤数（1到3）")
    p.add_argument("count", type=int, nargs="?")
    p.set_defaults(handler=cmd_review_steps)

    p = sub.add_parser("backup", help="备份数据")
    p.add_argument("--out")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("check", help="检查数据文件")
    p.set_defaults(handler=cmd_check)
    add_ledger_commands(sub)
    add_report_commands(sub)
    return parser


def run(argv: Sequence[str] | None = None, gui: Callable[[argparse.Namespace], int] | None = None
        ) -> int:
    """Run one command and return its exit code; ``gui`` starts the window when asked for."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        if gui is None:
            print("图形界面需要通过 gongkai 命令启动。", file=sys.stderr)
            return 2
        args.smoke = getattr(args, "smoke", False)
        return gui(args)
    try:
        store = open_desk(args.data_dir)
    except UserError as err:
        log.warning("open refused: %s (%s)", err, err.detail)
        print(str(err), file=sys.stderr)
        return 1
    try:
        return int(args.handler(store, args))
    except UserError as err:
        log.warning("%s refused: %s (%s)", args.command, err, err.detail)
        print(str(err), file=sys.stderr)
        return 1
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            raise  # a reader that stopped early: guarded() handles it quietly
        log.exception("file error")
        print(FILE_ERROR, file=sys.stderr)
        return 1
    except sqlite3.OperationalError as err:
        log.exception("database error")
        msg = "数据文件正被占用或磁盘已满，操作未完成，请稍后再试。"
        print(msg if "locked" in str(err) or "full" in str(err) else
              "数据文件出错，操作未完成，详情已写入日志。", file=sys.stderr)
        return 1
    finally:
        store.close()


def guarded(code: Callable[[], int]) -> int:
    """Run a command; a reader that stops early (``| head``) is not an error."""
    try:
        return code()
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry for the command line without the GUI."""
    sys.exit(guarded(lambda: run(argv)))


if __name__ == "__main__":
    main()
