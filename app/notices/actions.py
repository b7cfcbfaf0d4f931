"""What may be done to a notice in each status: one table for the command line and the window.

Every function of app that changes a notice asks :func:`require` first, and
the editor enables its buttons from :func:`allowed`, so the two faces can
never disagree about a transition (a test walks every pair through both).
"""

from __future__ import annotations

from app.errors import UserError
from app.facts import STATUSES

#: The actions on a notice and what the clerk calls them (the editor's buttons).
ACTIONS: dict[str, str] = {
    "edit": "保存",
    "mask": "遮盖个人信息",
    "approve": "审核通过",
    "return": "退回",
    "post": "记录张贴",
    "revise": "修改后重新报审",
    "withdraw": "撤回",
}

# Editing an approved notice voids its review and sends it back to draft, so
# "edit" stays open there; a published notice hangs on a wall and is reported,
# so it changes only through 修改后重新报审 (a new round of review).
_ALLOWED: dict[str, frozenset[str]] = {
    "draft": frozenset({"edit", "mask", "approve", "return", "withdraw"}),
    "approved": frozenset({"edit", "mask", "return", "post", "revise", "withdraw"}),
    "published": frozenset({"post", "revise", "withdraw"}),
    "withdrawn": frozenset(),
}

#: What a refusal says cannot be done any more, by action.
_VERBS: dict[str, str] = {"edit": "修改", "mask": "修改", "approve": "审核", "return": "退回",
                          "post": "张贴", "revise": "重新报审", "withdraw": "撤回"}

_WHY: dict[tuple[str, str], str] = {
    ("draft", "post"): "还没有审核通过，不能张贴（先审后发）。",
    ("draft", "revise"): "草稿可以直接修改，不需要重新报审。",
    ("approved", "approve"): "这条公开信息已经审核通过了。",
    ("published", "edit"): "已公开的公开信息不能直接修改，请先点「修改后重新报审」。",
    ("published", "mask"): "已公开的公开信息不能直接修改，请先点「修改后重新报审」。",
    ("published", "approve"): "这条公开信息已经公开，不在审核中；要修改请先「修改后重新报审」。",
    ("published", "return"): "已公开的公开信息不能退回；要修改请点「修改后重新报审」，"
                             "要停止公开请撤回。",
}


def allowed(status: str) -> frozenset[str]:
    """The actions open to a notice of this status."""
    return _ALLOWED.get(status, frozenset())


def refusal(status: str, action: str) -> str | None:
    """Why ``action`` is refused in ``status``, in one sentence; None when it is allowed."""
    if action not in ACTIONS:
        raise ValueError(action)
    if action in allowed(status):
        return None
    if status == "withdrawn":
        return ("这条公开信息已经撤回了。" if action == "withdraw"
                else f"这条公开信息已撤回，不能再{_VERBS[action]}。")
    return _WHY.get((status, action),
                    f"{STATUSES.get(status, status)}的公开信息不能{ACTIONS[action]}。")


def require(status: str, action: str) -> None:
    """Raise the refusal (:class:`UserError`) unless ``action`` is open in ``status``."""
    why = refusal(status, action)
    if why:
        raise UserError(why)
