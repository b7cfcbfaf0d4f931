"""``gongkai request …``: the 依申请公开 register from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app import clock
from app.cli.shape import Subcommands, count, day, day_of, print_json, year
from app.errors import UserError
from app.facts import (
    APPLICANT_TYPES,
    LETTER_KINDS,
    ORGANISATION_TYPES,
    REQUEST_CHANNELS,
    REQUEST_FILE_KINDS,
    REQUEST_OUTCOMES,
)
from app.info_requests import cases
from app.info_requests.cases import InfoRequest
from app.store import Store


def _print(request: InfoRequest, as_json: bool, store: Store | None = None) -> None:
    if as_json:
        data: dict[str, Any] = request.to_json()
        if store is not None:
            data["history"] = cases.history(store, request.id)
        print_json(data)
        return
    for line in cases.describe(request):
        print(line)


def cmd_new(store: Store, args: argparse.Namespace) -> int:
    """``request new``: enter a request in the register."""
    request = cases.register(store, args.applicant, args.type, args.received,
                             args.content, channel=args.channel,
                             organisation_type=args.org_type, contact=args.contact or "",
                             id_number=args.id_number or "", address=args.address or "",
                             delivery=args.delivery or "")
    if args.json:
        _print(request, True)
    else:
        due = request.clock.due.isoformat() if request.clock.due else "暂停"
        print(f"已登记 {request.id}，答复期限 {due}")
    return 0


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    """``request show``: one request with its clock and case file."""
    _print(cases.get_request(store, args.id), args.json, store)
    return 0


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    """``request list``: the register, a line each."""
    rows = cases.list_requests(store, year=args.year, open_only=args.open)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        due = r.clock.due.isoformat() if r.clock.due else r.clock.paused
        print(f"{r.id}\t{r.state_label}\t{r.received.isoformat()}\t期限 {due}\t{r.applicant}")
    if not rows:
        print("登记簿里没有符合条件的申请。")
    return 0


def cmd_letter(store: Store, args: argparse.Namespace) -> int:
    """``request letter ID KIND``: print the draft, save an edit, write a file or keep it."""
    from app.info_requests import letters
    from app.printing.output import PrintOptions

    if args.text_file:
        try:
            text = Path(args.text_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"无法读取文书文字文件「{args.text_file}」（须为UTF-8文本）。",
                            str(exc)) from exc
        draft = letters.save_letter(store, args.id, args.kind, text)
    elif args.reset:
        draft = letters.reset_letter(store, args.id, args.kind)
    else:
        draft = letters.get_letter(store, args.id, args.kind)
    said: list[str] = []
    if args.draft and (args.keep or not args.out):
        raise UserError("--draft 只用于把还没填完的文书另存为草稿文件（和 --out 一起用）。")
    if args.out:
        out = Path(args.out)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("pdf", "docx"):
            raise UserError(f"文书只能保存为 PDF 或 Word（.docx）文件，「{out.name}」不是。")
        # Without --draft the file is the letter as sent: no blanks, and its 文号.
        if draft.to_fill and not args.draft:
            raise UserError(letters.blanks_sentence(
                draft.to_fill, "填好后才能另存为正式文书（只要草稿请加 --draft）。"))
        done = letters.render_letter(store, draft.request_id, args.kind, out,
                                     PrintOptions(fmt), final=not args.draft)
        pages = f"，共 {done.pages} 页" if done.pages else ""
        said.append(f"已生成{args.kind}草稿 {out}{pages}（还有{len(draft.to_fill)}处【】待填写）。"
                    if done.draft else done.summary())
    if args.keep:
        letters.keep_letter(store, draft.request_id, args.kind)
        said.append(f"已把{draft.title}存入 {draft.request_id} 的案卷。")
    if args.json:
        print_json(draft.to_json())
        return 0
    if said:
        print("\n".join(said))
        return 0
    print(f"{draft.title}\n{draft.number or '（文号在存入案卷或生成正式文件时编定）'}"
          f"\n\n{draft.addressee}：")
    print(draft.body)
    if draft.stale:
        print("注意：登记的办理情况在文书修改之后变了，请核对。", file=sys.stderr)
    if draft.to_fill:
        print(f"注意：还有{len(draft.to_fill)}处【】需要填写。", file=sys.stderr)
    return 0


def cmd_prefix(store: Store, args: argparse.Namespace) -> int:
    """``request prefix [文号前缀]``: show or set the letters' 文号 prefix."""
    from app.info_requests import letters

    prefix = (letters.set_letter_prefix(store, args.prefix) if args.prefix is not None
              else letters.letter_prefix(store))
    if args.json:
        print_json({"prefix": prefix, "example": letters.unnumbered(store, clock.today().year)})
    else:
        print(f"文书文号：{prefix}〔年份〕N号（每年从1号编起）")
    return 0


def _then_show(handler: Any) -> Any:
    def run(store: Store, args: argparse.Namespace) -> int:
        _print(handler(store, args), args.json)
        return 0
    run.__doc__ = handler.__doc__
    return run


def register(sub: Subcommands) -> None:
    """Add ``request``: new, show, list, edit, correction, resume, consult, extend, answer,
    deliver, attach, letter and prefix."""
    rq = sub.add_parser("request", help="依申请公开登记").add_subparsers(dest="action",
                                                                  required=True)

    def verb(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        p = rq.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
        return p

    p = verb("new", "登记一件申请", cmd_new)
    p.add_argument("--applicant", required=True, help="申请人姓名或名称")
    p.add_argument("--type", required=True, choices=list(APPLICANT_TYPES))
    p.add_argument("--org-type", choices=list(ORGANISATION_TYPES),
                   help="法人或其他组织的类型（年度报告分列）")
    p.add_argument("--received", required=True, type=day_of("收到申请的日期"),
                   help="收到申请的日期")
    p.add_argument("--content", required=True, help="申请公开的内容")
    p.add_argument("--channel", default="当面提交", choices=list(REQUEST_CHANNELS))
    p.add_argument("--contact", help="联系方式或通讯地址")
    p.add_argument("--id-number", help="申请人身份证件号码（法人或其他组织填统一社会信用代码）")
    p.add_argument("--address", help="申请人通讯地址")
    p.add_argument("--delivery", choices=list(cases.delivery_ways()), help="申请人选择的获取方式")
    p = verb("show", "查看一件申请及其期限", cmd_show)
    p.add_argument("id")
    p = verb("list", "登记簿", cmd_list)
    p.add_argument("--year", type=year, help="收到申请的年份")
    p.add_argument("--open", action="store_true", help="只列未答复的")
    p = verb("edit", "补登或更正申请人的信息", _then_show(
        lambda s, a: cases.update_applicant(s, a.id, a.id_number, a.address, a.delivery,
                                            a.contact)))
    p.add_argument("id")
    p.add_argument("--id-number", help="身份证件号码")
    p.add_argument("--address", help="通讯地址")
    p.add_argument("--delivery", choices=list(cases.delivery_ways()), help="获取方式")
    p.add_argument("--contact", help="联系方式")
    p = verb("correction", "记录发出补正通知（期限暂停）", _then_show(
        lambda s, a: cases.send_correction(s, a.id, a.date, items=a.items or "")))
    p.add_argument("id")
    p.add_argument("--date", type=day, help="日期（默认今天）")
    p.add_argument("--items", help="需要申请人补正的事项（写进补正通知书）")
    p = verb("resume", "收到补正材料或第三方意见（期限恢复）", _then_show(
        lambda s, a: cases.resume(s, a.id, a.date, opinion=a.opinion)))
    p.add_argument("id")
    p.add_argument("--date", type=day, help="日期（默认今天）")
    p.add_argument("--opinion", choices=list(cases.opinions()),
                   help="第三方的意见（是否同意公开），日期即 --date")
    p = verb("consult", "记录征求第三方意见（所用时间不计入期限）", _then_show(
        lambda s, a: cases.consult(s, a.id, a.party, a.date)))
    p.add_argument("id")
    p.add_argument("--party", required=True, help="第三方名称")
    p.add_argument("--date", type=day, help="日期（默认今天）")
    p = verb("extend", "延长答复期限（一次，至多20个工作日）", _then_show(
        lambda s, a: cases.extend(s, a.id, a.days, a.approver, a.date, reason=a.reason or "")))
    p.add_argument("id")
    p.add_argument("--days", type=count(1, cases.EXTENSION_MAX_WORKDAYS, "延长的工作日天数"),
                   default=cases.EXTENSION_MAX_WORKDAYS)
    p.add_argument("--approver", required=True, help="批准延期的负责人")
    p.add_argument("--reason", help="延期理由（写进延期答复告知书）")
    p.add_argument("--date", type=day, help="日期（默认今天）")
    p = verb("answer", "记录答复（按年度报告的办理结果分类）", _then_show(
        lambda s, a: cases.answer(s, a.id, a.outcome, a.item, a.reason or "", a.date,
                                  referred_to=a.referred_to or "")))
    p.add_argument("id")
    p.add_argument("--outcome", required=True, choices=list(REQUEST_OUTCOMES))
    p.add_argument("--item", help="不予公开、无法提供、不予处理、其他处理的具体情形")
    p.add_argument("--reason", help="理由和依据")
    p.add_argument("--referred-to", help="不属于本机关负责公开时，负责公开的机关及其联系方式")
    p.add_argument("--date", type=day, help="日期（默认今天）")
    p = verb("deliver", "记录答复书送达（日期和方式）", _then_show(
        lambda s, a: cases.serve(s, a.id, a.way, a.date)))
    p.add_argument("id")
    p.add_argument("--way", required=True, choices=list(cases.served_ways()), help="送达方式")
    p.add_argument("--date", type=day, help="送达日期")
    p = verb("prefix", "查看或设置文书文号的前缀（如 青政依复）", cmd_prefix)
    p.add_argument("prefix", nargs="?", help="新的前缀；空字符串恢复默认")
    p = verb("attach", "把材料归入案卷", _then_show(
        lambda s, a: cases.attach(s, a.id, Path(a.file), a.kind)))
    p.add_argument("id")
    p.add_argument("file")
    p.add_argument("--kind", required=True, choices=list(REQUEST_FILE_KINDS))
    p = verb("letter", "起草、修改、打印文书（登记回执、补正通知、延期通知、征求意见函、答复书）",
             cmd_letter)
    p.add_argument("id")
    p.add_argument("kind", metavar="文书", help="、".join(LETTER_KINDS))
    edit = p.add_mutually_exclusive_group()
    edit.add_argument("--text-file", metavar="FILE.txt", help="用这个文件里的文字替换文书正文")
    edit.add_argument("--reset", action="store_true", help="放弃修改，恢复按模板起草的文字")
    p.add_argument("--out", metavar="FILE.pdf|FILE.docx", help="另存为 PDF 或 Word 文件")
    p.add_argument("--keep", action="store_true", help="生成 PDF 并存入案卷")
    p.add_argument("--draft", action="store_true",
                   help="还有【】没填时也另存（带“草稿”标记、不编文号）；没有这一项时有【】的文书不能另存")
