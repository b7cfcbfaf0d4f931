"""``gongkai catalog …``: the township's catalog, its domains, county tables in and out."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.catalog import domains, search
from app.catalog.importing import ImportReport, export_catalog, import_catalog
from app.catalog.item import CatalogItem
from app.catalog.items import get_item, item_revisions, list_items
from app.catalog.timelimits import describe_rule
from app.cli.shape import Subcommands, count, print_json, revision
from app.errors import UserError
from app.facts import offline_only
from app.notices import county_copy
from app.store import Store
from app.township import get_township


def cmd_domains(store: Store, args: argparse.Namespace) -> int:
    """``catalog domains``: the domains with their item counts."""
    rows = domains.list_domains(store, include_hidden=args.all)
    if args.json:
        print_json([d.to_json() for d in rows])
    else:
        for d in rows:
            print(f"{d.name}\t{d.items} 项" + ("（已隐藏）" if d.hidden else ""))
        print(f"共 {len(rows)} 个领域，{sum(d.items for d in rows)} 项")
    return 0


def _print_items(items: list[CatalogItem], as_json: bool) -> None:
    if as_json:
        print_json([i.to_json() for i in items])
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
        print_json(item.to_json() | {"revisions": item_revisions(store, item.id),
                                     "offline_only": offline_only(item.channels, item.audience),
                                     "metadata_only": county_copy.metadata_only(store, item.id)})
        return 0
    print(f"{item.id}  {item.domain}  {item.title()}")
    print("公开内容（要素）：" + "；".join(item.elements))
    print(f"公开依据：{item.basis}")
    print(f"公开时限：{item.time_limit}（{describe_rule(item.rule)}）")
    print(f"公开主体：{item.subject}")
    print("公开渠道和载体：" + "、".join(item.channels))
    print("公开对象：" + "、".join(item.audience) + "  公开方式：" + "、".join(item.mode)
          + "  公开层级：" + "、".join(item.levels))
    if offline_only(item.channels, item.audience):
        print("仅限线下公开，不上网（未列政府网站，或公开对象为特定群体）。")
    if county_copy.metadata_only(store, item.id):
        print("报送县级平台时只报元数据，不含正文。")
    return 0


def cmd_metadata_only(store: Store, args: argparse.Namespace) -> int:
    """``catalog metadata-only ITEM on|off``: this item's notices go to the county without body."""
    item = get_item(store, args.id)
    again = county_copy.set_metadata_only(store, item.id, args.state == "on")
    print((f"「{item.title()}」的公开信息报送县级平台时只报标题、日期、数量、张贴和照片，不含正文。"
           if args.state == "on" else f"「{item.title()}」的公开信息报送县级平台时含正文。")
          + (f"已报送过的{again}条将在下次同步时按此重新报送。" if again else ""))
    return 0


def cmd_search(store: Store, args: argparse.Namespace) -> int:
    """``catalog search``: best match first."""
    hits = search.search(store, args.text, limit=args.limit)
    if args.json:
        print_json([h.item.to_json() | {"score": round(h.score, 2)} for h in hits])
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
                            mapping=domain_mapping(args.map))
    print_import(report, args.json)
    return 0


def domain_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``--map 表中名=领域`` pairs as a dict, or one sentence for a malformed pair."""
    mapping = {}
    for pair in pairs or []:
        label, sep, target = pair.partition("=")
        if not sep:
            raise UserError(f"「{pair}」应写成 表中领域名=本乡镇领域名。")
        mapping[label] = target
    return mapping


def print_import(report: ImportReport, as_json: bool, details: bool = False) -> None:
    """An import's outcome (or preview): JSON, or the summary, new domains, warnings."""
    if as_json:
        print_json(report.to_json())
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

def cmd_catalog_interpret(store: Store, args: argparse.Namespace) -> int:
    """``catalog interpret``: the item's notices need a 解读 (三同步), or no longer."""
    from app.notices.interpretation import set_item_interpret

    set_item_interpret(store, args.item, args.state == "on")
    print(f"事项「{args.item}」" + ("今后起草的公开信息均标为应解读（三同步）。"
                                 if args.state == "on" else "今后起草的公开信息不再标为应解读。"))
    return 0


def register(sub: Subcommands) -> None:
    """Add ``catalog domains|list|show|search|import|export`` and the domain commands."""
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
    p.add_argument("--rev", type=revision, help="查看第几版（默认当前版本）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)
    p = cat.add_parser("search", help="搜索事项")
    p.add_argument("text")
    p.add_argument("--limit", type=count(1, 1000, "条数"), default=50,
                   help="最多列出几项（1到1000）")
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
    p = cat.add_parser("metadata-only", help="报送县级平台时只报元数据（不含正文），或恢复")
    p.add_argument("id", help="目录事项编号")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(handler=cmd_metadata_only)
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
    p = cat.add_parser("interpret", help="应解读：此事项的公开信息须同步解读（三同步）")
    p.add_argument("item")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(handler=cmd_catalog_interpret)
