"""``gongkai notice …``: drafts, checks, masking, review, posting, printing, withdrawal, and
the 解读 and channels of issue 20 (``interpret``, ``export``, ``channel``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.shape import Subcommands, count, day, day_of, print_json, revision
from app.errors import UserError
from app.facts import INTERPRETATION_FORMS, NOTICE_KINDS, REVIEW_CHECKLIST, STATUSES
from app.notices import boards, drafts, proofing, review
from app.notices.privacy import lines_and_columns
from app.store import Store


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
                             _read_body(args.body_file), args.formed, args.author or "",
                             explains=args.explains, form=args.form,
                             policy_title=args.policy_title or "",
                             policy_number=args.policy_number or "")
    if args.json:
        print_json(n.to_json())
    else:
        print(_notice_line(n))
        if not n.calendar_known:
            print("注意：期限涉及的年份节假日安排尚未载入，已按周一至周五计算。", file=sys.stderr)
    return 0


def cmd_notice_show(store: Store, args: argparse.Namespace) -> int:
    """``notice show``."""
    n = drafts.get_notice(store, drafts.resolve_id(store, args.id), args.rev)
    if args.json:
        state = review.review_state(store, n.id)
        proofs = proofing.placed(n.title, n.body, proofing.findings(store, n))
        print_json(n.to_json() | {"revisions": drafts.revisions(store, n.id),
                                   "proofreading": proofs,
                                   "reviews": review.review_history(store, n.id),
                                   "next_step": state.next_step if n.status == "draft"
                                   else None})
        return 0
    print(_notice_line(n))
    for line in _link_lines(n):
        print(line)
    if n.status == "draft":
        print("审核：" + review.review_state(store, n.id).summary())
    if n.sync == "returned":
        print(f"县级平台退回：{n.county_reason or '未说明理由'}")
    if n.publicity:
        print(f"公示期：{n.publicity['start'] or '张贴之日起'} 至 {n.publicity['end'] or '—'}")
    for p in n.postings:
        print(f"张贴：{p['board']} {p['posted']}" + (f"，{p['taken_down']}撤下"
                                                  if p["taken_down"] else ""))
    print()
    print(n.body)
    return 0


def _link_lines(n: drafts.Notice) -> list[str]:
    """The 解读 links of a notice, one line each, with the other's county URL."""
    lines = ["应解读：须与政策解读同步审签、同步发布（三同步）。"] if n.interpret else []
    if n.policy_title:
        lines.append(f"解读的政策：《{n.policy_title}》{n.policy_number}")
    others = ([("解读的是", n.explains)] if n.explains else []) + [
        ("政策解读", i) for i in n.interpretations]
    for word, other in others:
        url = f"  {other['county_url']}" if other["county_url"] else ""
        lines.append(f"{word}：{other['id'][:8]} [{STATUSES.get(other['status'], '')}]"
                     f" {other['title']}{url}")
    return lines


def cmd_notice_list(store: Store, args: argparse.Namespace) -> int:
    """``notice list``: every notice, newest first."""
    rows = [drafts.get_notice(store, i) for i in drafts.list_ids(store, args.status)]
    if args.json:
        print_json([n.to_json() for n in rows])
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
    """``notice check``: missing 要素, personal data, and characters no face can print."""
    notice_id = drafts.resolve_id(store, args.id)
    result = proofing.check_notice(store, notice_id)
    body = drafts.get_notice(store, notice_id)
    text = body.title + "\n" + body.body
    from app.printing.pdf_fonts import missing, unprintable_sentence  # reportlab: only here

    unprintable = missing(text)
    if args.json:
        print_json({**result.to_json(), "unprintable": unprintable})
        return 0
    print("要素齐全。" if not result.missing else "尚未写到的要素：" + "、".join(result.missing))
    if unprintable:
        print(unprintable_sentence(unprintable))
    if not result.findings:
        print("未发现个人信息。")
    places = lines_and_columns(text, [f.start for f in result.findings])
    for f, (line, col) in zip(result.findings, places, strict=True):
        print(f"第{line}行第{col}字：{f.label} {f.text} → {f.masked}")
    if not result.proofreading:
        print("未发现校对问题。")
    for entry in result.proofreading:
        print(proofing.finding_line(entry))
    return 0


def cmd_notice_fix(store: Store, args: argparse.Namespace) -> int:
    """``notice fix``: apply a proofreading fix (or every first fix) as a new revision."""
    notice_id = drafts.resolve_id(store, args.id)
    if args.all:
        n, done = proofing.fix_all(store, notice_id, args.author or "")
        print(f"已改正 {done} 处校对问题（第{n.rev}版）。" if done
              else "没有可以自动改正的校对问题。")
        return 0
    if args.finding is None:
        raise UserError("请用 --finding N 指明改正第几处（见 notice check），或用 --all 全部改正。")
    n = proofing.fix_notice(store, notice_id, args.finding, args.choice - 1, args.author or "")
    print(f"已改正第{args.finding}处校对问题（第{n.rev}版）。")
    return 0


def cmd_notice_mask(store: Store, args: argparse.Namespace) -> int:
    """``notice mask``: mask every finding in a new revision."""
    n, count = drafts.mask_notice(store, drafts.resolve_id(store, args.id), args.author or "")
    print(f"已遮盖 {count} 处个人信息（第{n.rev}版）。" if count else "未发现需要遮盖的个人信息。")
    return 0


def cmd_notice_approve(store: Store, args: argparse.Namespace) -> int:
    """``notice approve``: record the next review step."""
    result = review.approve(store, drafts.resolve_id(store, args.id), args.reviewer,
                            args.opinion or "", checked=review.parse_checked(args.checked),
                            override=args.override or "", rev=args.rev)
    if result.approved:
        print(f"{result.step}通过，审核完成，可以张贴和报送。")
    else:
        print(f"{result.step}通过，下一步：{'、'.join(result.remaining)}。")
    return 0


def cmd_notice_revise(store: Store, args: argparse.Namespace) -> int:
    """``notice revise``: 修改后重新报审 (back to draft, a new round of review)."""
    n = drafts.revise(store, drafts.resolve_id(store, args.id), args.reason, args.author or "")
    print(f"已转为草稿（第{n.rev}版），修改后请重新审核；审核通过后下次同步时报送县级平台。")
    return 0


def cmd_notice_return(store: Store, args: argparse.Namespace) -> int:
    """``notice return``: back to draft with a reason."""
    review.send_back(store, drafts.resolve_id(store, args.id), args.reviewer, args.reason)
    print("已退回修改。")
    return 0


def cmd_notice_post(store: Store, args: argparse.Namespace) -> int:
    """``notice post``: it went up on a board."""
    notice_id = drafts.resolve_id(store, args.id)
    warning = boards.post(store, notice_id, args.board, args.date,
                          Path(args.photo) if args.photo else None)
    n = drafts.get_notice(store, notice_id)
    end = (n.publicity or {}).get("end")
    print(f"已记录张贴于「{args.board}」" + (f"，公示期至{end}" if end else "") + "。")
    if warning:
        print("注意：" + warning)
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
    from app.printing.output import PrintOptions, output_format, render_notice

    if args.graphic:
        from app.printing.graphic import write_graphic

        made = write_graphic(store, drafts.resolve_id(store, args.id), Path(args.out))
        print(f"已生成图解：{made}")
        return 0
    fmt = output_format(Path(args.out), args.format)
    options = PrintOptions(fmt, args.paper or "", args.copies_per_sheet, args.qr_url or "")
    done = render_notice(store, drafts.resolve_id(store, args.id), Path(args.out), options)
    print(done.summary())
    for note in done.notes:  # the page turned, the table set smaller, a character no face has
        print(note)
    return 0

#: The channels ``notice export`` makes something for.
EXPORTS = ("电子屏", "广播", "两微一端")


def cmd_notice_interpret(store: Store, args: argparse.Namespace) -> int:
    """``notice interpret``: this notice needs its 解读 (三同步), or no longer."""
    from app.notices.interpretation import set_interpret

    notice_id = drafts.resolve_id(store, args.id)
    set_interpret(store, notice_id, args.state == "on")
    print("已标为应解读：审核最后一步须待政策解读审核通过（三同步）。" if args.state == "on"
          else "已取消应解读。")
    return 0


def cmd_notice_export(store: Store, args: argparse.Namespace) -> int:
    """``notice export``: what a channel needs, written to ``--out``."""
    notice_id = drafts.resolve_id(store, args.id)
    out = Path(args.out)
    result: dict[str, Any]
    if args.channel == "电子屏":
        from app.printing.screen import export_screen, parse_size

        pages = export_screen(store, [notice_id], out, parse_size(args.size or "1920x1080"))
        result = {"channel": args.channel, "files": [str(p) for p in pages]}
        text = f"已生成{len(pages)}页屏幕画面：{out}"
    elif args.channel == "广播":
        from app.printing.broadcast import export_broadcast

        made = export_broadcast(store, notice_id, out)
        result = {"channel": args.channel, "files": [str(made.script)]
                  + ([str(made.audio)] if made.audio else []), "no_audio": made.no_audio}
        text = f"已生成广播稿：{made.script}" + (f"；录音：{made.audio}" if made.audio
                                               else f"；{made.no_audio}" if made.no_audio else "")
    else:
        from app.printing.social import export_social

        files = export_social(store, notice_id, out)
        result = {"channel": args.channel, "files": [str(p) for p in files]}
        text = f"已生成两微一端图文（{len(files)}个文件）：{out}"
    if args.json:
        print_json(result)
    else:
        print(text)
    return 0


def cmd_notice_channel(store: Store, args: argparse.Namespace) -> int:
    """``notice channel``: the notice went out on that channel (or a record of it was wrong)."""
    from app.notices.channels import record_channel, withdraw_record

    notice_id = drafts.resolve_id(store, args.id)
    if args.withdraw is not None:
        withdraw_record(store, notice_id, args.withdraw, args.note or "", args.channel)
        print(f"已撤销第{args.withdraw}条渠道记录。")
        return 0
    done = record_channel(store, notice_id, args.channel, args.date, args.url or "",
                          args.note or "", args.place or "", args.count, args.until,
                          replaces=args.replaces)
    print(f"已记录（第{done.number}条）：{done.channel} {done.text()}"
          + (f"，更正第{done.replaces}条" if done.replaces else ""))
    return 0


def cmd_notice_channels(store: Store, args: argparse.Namespace) -> int:
    """``notice channels``: the checklist of the notice's channels and their records."""
    from app.notices.channels import channel_duties

    notice_id = drafts.resolve_id(store, args.id)
    duties = channel_duties(store, notice_id)
    if args.json:
        print_json([{"channel": d.channel, "output": d.output, "required": d.required,
                     "done": d.done, "records": [
                         {"number": r.number, "kind": r.kind, "day": r.day.isoformat(),
                          "until": r.until.isoformat() if r.until else None, "url": r.url,
                          "place": r.place, "count": r.count, "note": r.note,
                          "replaces": r.replaces} for r in d.records]} for d in duties])
        return 0
    for d in duties:
        print(f"{'☑' if d.done else '☐'} {d.channel}（{d.output}）{d.status()}"
              + ("" if d.required else "　目录未要求"))
        for r in d.records:
            print(f"    {f'第{r.number}条 ' if r.number else ''}{r.text()}")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``notice …``: new, show, list, edit, check, mask, approve, revise, return, post, …"""
    nt = sub.add_parser("notice", help="公开信息").add_subparsers(dest="action", required=True)
    p = nt.add_parser("new", help="从目录事项起草")
    p.add_argument("--item", help="目录事项（解读本机的公开信息时可省略，沿用其事项）")
    p.add_argument("--title")
    p.add_argument("--kind", default="公示", choices=list(NOTICE_KINDS))
    p.add_argument("--explains", metavar="NOTICE_ID", help="政策解读：所解读的公开信息")
    p.add_argument("--form", choices=list(INTERPRETATION_FORMS),
                   help="政策解读的形式：文字解读、简明问答、图解（默认文字）")
    p.add_argument("--policy-title", metavar="标题", help="政策解读：所解读的政策文件标题")
    p.add_argument("--policy-number", metavar="文号", help="政策解读：所解读的政策文件文号")
    p.add_argument("--body-file")
    p.add_argument("--formed", type=day_of("信息形成日期"), help="信息形成日期（默认今天）")
    p.add_argument("--author")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_new)
    p = nt.add_parser("show", help="查看")
    p.add_argument("id")
    p.add_argument("--rev", type=revision, help="查看第几版（默认当前版本）")
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
    p = nt.add_parser("fix", help="按校对建议改正（生成新版本）")
    p.add_argument("id")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--finding", type=count(1, 10_000, "校对问题序号"), metavar="N",
                       help="改正第几处（按 notice check 列出的顺序，从1数起）")
    p.add_argument("--choice", type=count(1, 100, "改法序号"), default=1, metavar="K",
                   help="用第几种改法（默认第1种）")
    which.add_argument("--all", action="store_true", help="每处都用第1种改法")
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_fix)
    p = nt.add_parser("mask", help="遮盖个人信息")
    p.add_argument("id")
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_mask)
    p = nt.add_parser("approve", help="记录一步审核")
    p.add_argument("id")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--checked", default="",
                   help="逐项确认的核对项，用逗号分隔：" + "、".join(REVIEW_CHECKLIST))
    p.add_argument("--override",
                   help="确有理由通过时写明理由（如要素另见附件、严重校对问题系原文照录），"
                        "记入审核记录")
    p.add_argument("--rev", type=revision, help="审核的版本（默认当前版本；已改过则拒绝）")
    p.add_argument("--opinion")
    p.set_defaults(handler=cmd_notice_approve)
    p = nt.add_parser("revise", help="修改后重新报审（已审核、已公开或被县级退回的）")
    p.add_argument("id")
    p.add_argument("--reason", required=True)
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_revise)
    p = nt.add_parser("return", help="退回修改")
    p.add_argument("id")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_notice_return)
    p = nt.add_parser("post", help="记录张贴")
    p.add_argument("id")
    p.add_argument("--board", required=True)
    p.add_argument("--date", type=day, help="张贴日期（默认今天）")
    p.add_argument("--photo")
    p.set_defaults(handler=cmd_notice_post)
    p = nt.add_parser("takedown", help="记录撤下")
    p.add_argument("id")
    p.add_argument("--board", required=True)
    p.add_argument("--date", type=day, help="撤下日期（默认今天）")
    p.set_defaults(handler=cmd_notice_takedown)

    p = nt.add_parser("render", help="生成公告张贴稿（PDF 或 Word）")
    p.add_argument("id")
    p.add_argument("--format", choices=["pdf", "docx"],
                   help="不写时按 --out 的扩展名（.pdf 或 .docx）")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx")
    p.add_argument("--paper", choices=["A4", "A3"], help="默认按模板（一般为 A4）")
    p.add_argument("--copies-per-sheet", type=count(1, 2, "每张纸印的份数"), default=1,
                   metavar="1|2", help="每张纸印几份（两份只用于明白纸）")
    p.add_argument("--qr-url", help="明白纸上二维码指向的网上版本地址")
    p.add_argument("--graphic", action="store_true",
                   help="政策解读的图解（一图读懂）：--out 写 .png（宽1080像素）或 .pdf")
    p.set_defaults(handler=cmd_notice_render)
    p = nt.add_parser("withdraw", help="撤回（保留记录）")
    p.add_argument("id")
    p.add_argument("--reason", required=True)
    p.add_argument("--author")
    p.set_defaults(handler=cmd_notice_withdraw)
    p = nt.add_parser("interpret", help="应解读（三同步）：政策文件须与解读同步审签、同步发布")
    p.add_argument("id")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(handler=cmd_notice_interpret)
    p = nt.add_parser("export", help="按渠道生成：电子屏画面、广播稿、两微一端图文")
    p.add_argument("id")
    p.add_argument("--channel", required=True, choices=list(EXPORTS))
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--size", metavar="1920x1080", help="电子屏的分辨率（默认 1920x1080）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_export)
    p = nt.add_parser("channel", help="记录已通过某一渠道公开（电子屏、广播、两微一端、入户……）")
    p.add_argument("id")
    p.add_argument("--channel", required=True, metavar="名称")
    p.add_argument("--date", type=day_of("日期"), metavar="日期", help="默认今天")
    p.add_argument("--until", type=day_of("截止日期"), metavar="日期", help="电子屏播放到哪天")
    p.add_argument("--url", metavar="URL", help="两微一端、网站的发布地址")
    p.add_argument("--place", metavar="地点", help="村名、查阅点")
    p.add_argument("--count", type=count(1, 1_000_000, "份数"), metavar="N",
                   help="入户发放的明白纸份数")
    p.add_argument("--note", metavar="说明", help="说明；撤销记录时写理由")
    p.add_argument("--replaces", type=count(1, 1_000_000_000, "记录编号"), metavar="N",
                   help="这条记录更正第N条（原记录保留，不再计入）")
    p.add_argument("--withdraw", type=count(1, 1_000_000_000, "记录编号"), metavar="N",
                   help="撤销记错的第N条记录（--note 写理由）")
    p.set_defaults(handler=cmd_notice_channel)
    p = nt.add_parser("channels", help="公开渠道清单：目录要求的各渠道及已记录的公开情况")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_notice_channels)
