"""``gongkai boards|template|review-steps|proofread-whitelist|proofread-phrases``: 设置."""

from __future__ import annotations

import argparse
import re

from app.cli.shape import Subcommands, count, print_json
from app.errors import UserError
from app.facts import NOTICE_KINDS
from app.notices import boards, review
from app.store import Store


def cmd_boards(store: Store, args: argparse.Namespace) -> int:
    """``boards``: list the boards, or set the villages with ``--villages``."""
    rows = (boards.set_villages(store, args.villages.replace("，", ",").split(","))
            if args.villages is not None else boards.list_boards(store))
    for b in rows:
        print(b.name)
    return 0


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
        print_json(template.to_json())
        return 0
    changed = templates.township_changes(store, args.kind)
    print(f"【{args.kind}】模板")
    for name, label in templates.FIELD_LABELS.items():
        mark = "（本乡镇）" if name in changed else ""
        print(f"{label}：{getattr(template, name) or '（不印）'}{mark}")
    return 0


def cmd_review_steps(store: Store, args: argparse.Namespace) -> int:
    """``review-steps [N] [--reviewer 步骤=姓名,姓名 …] [--one-reviewer yes|no]``."""
    named = review.reviewers(store)
    # Every --reviewer is read before anything is written: a bad one changes nothing.
    for given in args.reviewer or []:
        step, sep, names = given.replace("＝", "=").partition("=")
        if not sep:
            raise UserError(f"「{given}」应写成 步骤=姓名，如 初审=王明,赵丽。")
        named[step.strip()] = [n for n in re.split(r"[,，、]", names) if n.strip()]
    with store.transaction():
        if args.count is not None:
            review.set_review_steps(store, args.count)
        if args.reviewer or args.one_reviewer:
            one = (args.one_reviewer == "yes") if args.one_reviewer else review.one_reviewer(store)
            review.set_reviewers(store, named, one)
    print("审核步骤：" + " → ".join(review.review_steps(store)))
    named = review.reviewers(store)
    for step in review.review_steps(store):
        print(f"{step}：{'、'.join(named[step]) or '不限'}")
    if review.one_reviewer(store):
        print("本镇只有一名审核人，同一人可审核各步。")
    return 0


def cmd_proofread_whitelist(store: Store, args: argparse.Namespace) -> int:
    """``proofread-whitelist [--set 词,词 | --add 词,词 | --remove 词,词] [--json]``."""
    from app.notices import proofing

    return _word_list(store, args, proofing.WHITELIST_KEY, "whitelist")


def cmd_proofread_phrases(store: Store, args: argparse.Namespace) -> int:
    """``proofread-phrases [--set 词,词 | --add 词,词 | --remove 词,词] [--json]``."""
    from app.notices import proofing

    return _word_list(store, args, proofing.PHRASES_KEY, "phrases")


def _word_list(store: Store, args: argparse.Namespace, key: str, name: str) -> int:
    from app.notices import proofing

    words = list(proofing.words(store, key))
    if args.set is not None:
        words = proofing.parse_words(args.set)
    words += [w for w in proofing.parse_words(args.add) if w not in words]
    gone = set(proofing.parse_words(args.remove))
    if args.set is not None or args.add is not None or gone:
        words = list(proofing.set_words(store, key, [w for w in words if w not in gone]))
    if args.json:
        print_json({name: words})
    else:
        print(f"{proofing.WORD_LISTS[key]}：" + ("、".join(words) if words else "（空）"))
    return 0


def register(sub: Subcommands) -> None:
    """Add ``boards``, ``template``, ``review-steps``, ``proofread-whitelist|phrases``."""
    p = sub.add_parser("boards", help="公开栏")
    p.add_argument("--villages", help="各村名称，用逗号分隔")
    p.set_defaults(handler=cmd_boards)

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
    p = sub.add_parser("review-steps", help="审核步骤数（1到3）和各步的审核人")
    p.add_argument("count", type=count(1, 3, "审核步骤数"), nargs="?", help="审核几步（1到3）")
    p.add_argument("--reviewer", action="append",
                   help="某一步的审核人，如 初审=王明,赵丽（可写多次；空名单表示不限）")
    p.add_argument("--one-reviewer", choices=["yes", "no"],
                   help="本镇只有一名审核人时为 yes：同一人可审核各步")
    p.set_defaults(handler=cmd_review_steps)
    for name, about, handler in (
            ("proofread-whitelist", "校对白名单：本乡镇的村名、人名和习惯用语，校对时不当作错误",
             cmd_proofread_whitelist),
            ("proofread-phrases", "本镇规范用语：镇党委、镇政府、各村的规范名称，写错一个字时提醒",
             cmd_proofread_phrases)):
        p = sub.add_parser(name, help=about)
        p.add_argument("--set", help="整个替换为这些词，用逗号分隔（空字符串表示清空）")
        p.add_argument("--add", help="加上这些词，用逗号分隔")
        p.add_argument("--remove", help="去掉这些词，用逗号分隔")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
