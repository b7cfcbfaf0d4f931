"""先审后发: the review steps a notice passes before it may go on a wall or to the county."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from app.errors import UserError
from app.facts import REVIEW_CHECKLIST, REVIEW_STEPS, STATUSES
from app.notices import actions, county_queue, interpretation, proofing
from app.notices.drafts import Notice, check_notice, get_notice
from app.store import Store, now_iso


def review_steps(store: Store) -> tuple[str, ...]:
    """The steps this township uses (set in 设置; three by default)."""
    count = int(store.get_setting("review_steps", "3") or 3)
    return REVIEW_STEPS[: max(1, min(3, count))]


def set_review_steps(store: Store, count: int) -> None:
    """Use the first ``count`` (1–3) of 初审, 审核, 审发."""
    if count not in (1, 2, 3):
        raise UserError("审核步骤只能设为1到3步。")
    store.set_settings({"review_steps": str(count)})


_REVIEWERS, _ONE_REVIEWER = "review.reviewers", "review.one_reviewer"
NAME_LIMIT = 20


def reviewers(store: Store) -> dict[str, list[str]]:
    """Who may pass each step, as set in 设置 › 审核步骤 (an empty list: anyone)."""
    try:
        stored = json.loads(store.get_setting(_REVIEWERS, "") or "{}")
    except json.JSONDecodeError:
        stored = {}
    stored = stored if isinstance(stored, dict) else {}
    return {step: [str(n) for n in stored.get(step, []) if isinstance(n, str)]
            if isinstance(stored.get(step), list) else [] for step in REVIEW_STEPS}


def one_reviewer(store: Store) -> bool:
    """Whether the township has said it has one reviewer for all its steps."""
    return store.get_setting(_ONE_REVIEWER, "0") == "1"


def set_reviewers(store: Store, named: dict[str, list[str]], one: bool = False) -> None:
    """Name who may pass each step; ``one`` lets the same person pass every step.

    Names are stripped and kept once each, at most 20 characters.
    """
    clean: dict[str, list[str]] = {step: [] for step in REVIEW_STEPS}
    for step, names in named.items():
        if step not in clean:
            raise UserError(f"没有「{step}」这一审核步骤，审核步骤是{'、'.join(REVIEW_STEPS)}。")
        for name in (n.strip() for n in names):
            if len(name) > NAME_LIMIT:
                raise UserError(f"{step}：审核人「{name}」太长了，姓名不超过{NAME_LIMIT}个字。")
            if name and name not in clean[step]:
                clean[step].append(name)
    store.set_settings({_REVIEWERS: json.dumps(clean, ensure_ascii=False),
                        _ONE_REVIEWER: "1" if one else "0"})


def text_hash(title: str, body: str, issuer: str, phone: str) -> str:
    """The SHA-256 of what a reviewer read: title, body, issuing unit and phone."""
    text = json.dumps([title, body, issuer, phone], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StepRecord:
    """One recorded review step, and whether it still counts."""

    round: int
    step: int
    step_name: str
    rev: int
    reviewer: str
    at: str
    outcome: str
    opinion: str
    reason: str
    checklist: dict[str, bool]
    override: str
    text_hash: str | None
    valid: bool
    #: Why a passed step no longer counts ("" while it does).
    void_reason: str = ""
    #: The proofreading findings open when the step was recorded (None: kept before
    #: proofreading existed, or a return).
    findings: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        """The review record of CONTRACT.md: each step with its ``rev`` and ``valid``."""
        return {"round": self.round, "step": self.step, "step_name": self.step_name,
                "rev": self.rev, "reviewer": self.reviewer, "at": self.at,
                "outcome": self.outcome, "opinion": self.opinion, "reason": self.reason,
                "checklist": self.checklist, "override": self.override,
                "text_hash": self.text_hash, "valid": self.valid,
                "void_reason": self.void_reason, "findings": self.findings}


def _records(store: Store, notice_id: str) -> list[StepRecord]:
    row = store.conn.execute("SELECT review_round, current_rev FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    if row is None:
        raise UserError(f"没有编号为「{notice_id}」的公开信息。")
    current = store.conn.execute(
        "SELECT title, body, issuer, phone FROM notice_revisions WHERE notice_id = ? AND rev = ?",
        (notice_id, row["current_rev"])).fetchone()
    now_hash = text_hash(current["title"], current["body"], current["issuer"], current["phone"])
    out = []
    for r in store.query("SELECT * FROM review_steps WHERE notice_id = ? ORDER BY id",
                         (notice_id,)):
        why = ""
        if r["outcome"] != "passed":
            why = "退回记录"
        elif r["round"] != row["review_round"]:
            why = "之后退回或重新报审，开始了新一轮审核"
        elif r["rev"] != row["current_rev"]:
            why = f"通过的是第{r['rev']}版，之后已改为第{row['current_rev']}版"
        elif r["text_hash"] is not None and r["text_hash"] != now_hash:
            why = "审核时的文字与现在的文字不一致"
        out.append(StepRecord(
            r["round"], r["step"], r["step_name"], r["rev"], r["reviewer"], r["at"],
            r["outcome"], r["opinion"], r["reason"], json.loads(r["checklist"]), r["override"],
            r["text_hash"], not why, why if r["outcome"] == "passed" else "",
            None if r["findings"] is None else json.loads(r["findings"])))
    return out


@dataclass(frozen=True)
class ReviewState:
    """Where a notice stands in its round of review."""

    steps: tuple[str, ...]
    passed: list[StepRecord]
    voided: list[StepRecord]

    @property
    def next_step(self) -> str | None:
        """The step to pass next (None when every step counts)."""
        return self.steps[len(self.passed)] if len(self.passed) < len(self.steps) else None

    def summary(self) -> str:
        """One sentence for the editor and ``notice show``."""
        done = "、".join(f"{r.step_name}（{r.reviewer}，第{r.rev}版）" for r in self.passed)
        parts = [f"已通过：{done}" if done else "尚无有效的审核"]
        if self.voided:
            names = "、".join(dict.fromkeys(r.step_name for r in self.voided))
            parts.append(f"{names}需重新审核（{self.voided[-1].void_reason}）")
        if self.next_step:
            parts.append(f"下一步：{self.next_step}")
        return "；".join(parts) + "。"


def review_state(store: Store, notice_id: str) -> ReviewState:
    """The steps that count now, and the passed steps of this round that an edit voided."""
    records = [r for r in _records(store, notice_id) if r.outcome == "passed"]
    row = store.conn.execute("SELECT review_round FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    steps = review_steps(store)
    passed = [r for r in records if r.valid][: len(steps)]
    voided = [r for r in records if not r.valid and r.round == row["review_round"]]
    return ReviewState(steps, passed, voided)


def parse_checked(text: str | None) -> list[str]:
    """The checklist items named on the command line (``不涉密,不含个人隐私,…``)."""
    return [p for p in re.split(r"[\s,，、;；]+", text or "") if p]


@dataclass(frozen=True)
class StepResult:
    """What ``notice approve`` did."""

    step: str
    approved: bool
    remaining: tuple[str, ...]


def approve(store: Store, notice_id: str, reviewer: str, opinion: str = "", *,
            checked: list[str] | tuple[str, ...] | None = None, override: str = "",
            rev: int | None = None) -> StepResult:
    """Record the next review step on the current revision; approved after the last.

    The checklist is answered item by item (``checked``), never presumed. An
    item the program can see is false needs a written ``override`` reason
    (a 要素 it cannot find), or cannot be confirmed at all (unmasked personal
    data). An open 严重 proofreading finding needs the ``override`` reason too;
    the findings open at the step are kept with it. ``rev`` is the revision
    the reviewer read: if the text changed since, nothing is recorded. Where
    the township names reviewers, only they pass their step, and no one
    passes two steps of one round unless the township has said it has one
    reviewer.
    """
    reviewer, override = reviewer.strip(), override.strip()
    if not reviewer:
        raise UserError("请写明审核人姓名。")
    notice = get_notice(store, notice_id)
    actions.require(notice.status, "approve")
    if rev is not None and rev != notice.rev:
        raise UserError(f"审核的是第{rev}版，但这条公开信息现在是第{notice.rev}版，"
                        "请看过最新的文字后再审核。")
    check = check_notice(store, notice_id)
    if check.findings:
        first = check.findings[0]
        raise UserError(f"文中还有{len(check.findings)}处个人信息未遮盖（如{first.label}），"
                        "请先遮盖后再审核。")
    given = list(dict.fromkeys(checked or ()))
    unknown = [c for c in given if c not in REVIEW_CHECKLIST]
    if unknown:
        raise UserError(f"核对项「{'、'.join(unknown)}」不存在，"
                        f"应为{'、'.join(REVIEW_CHECKLIST)}。")
    unconfirmed = [c for c in REVIEW_CHECKLIST if c not in given]
    if unconfirmed:
        raise UserError(f"以下核对项未确认：{'、'.join(unconfirmed)}；"
                        "审核通过须逐项确认。")
    if check.missing and not override:
        raise UserError(f"文中找不到要素「{'、'.join(check.missing)}」，不能确认要素齐全；"
                        "请补写，或写明通过的理由。")
    open_findings = proofing.placed(notice.title, notice.body,
                                    proofing.findings(store, notice))
    severe = [f for f in open_findings if f["severity"] == proofing.SEVERE]
    if severe and not override:
        worst = severe[0]
        raise UserError(f"文中还有{len(severe)}处严重的校对问题（如第{worst['line']}行"
                        f"第{worst['col']}字「{worst['text']}」：{worst['rule']}），"
                        "请先改正，或写明通过的理由（--override 理由）。")
    state = review_state(store, notice_id)
    step = state.next_step
    if step is None:  # every step counts already (steps were reduced in 设置)
        step = state.steps[-1]
    named = reviewers(store).get(step, [])
    if named and reviewer not in named:
        raise UserError(f"「{reviewer}」不是设置中「{step}」的审核人（{'、'.join(named)}）。")
    earlier = [r for r in state.passed if r.reviewer == reviewer]
    if earlier and not one_reviewer(store):
        raise UserError(f"「{reviewer}」已审过本轮的{earlier[0].step_name}，"
                        f"「{step}」须由另一人审核。")
    done = len(state.passed)
    last = done + 1 >= len(state.steps)
    if last and notice.interpret:
        _three_together(store, notice)
    marks = {name: True for name in REVIEW_CHECKLIST}
    digest = text_hash(notice.title, notice.body, notice.issuer, notice.phone)
    row = store.conn.execute("SELECT review_round FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO review_steps (notice_id, round, step, step_name, rev, reviewer, at,"
            " opinion, checklist, outcome, text_hash, override, findings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'passed', ?, ?, ?)",
            (notice_id, row["review_round"], done + 1, step, notice.rev, reviewer, now_iso(),
             opinion, json.dumps(marks, ensure_ascii=False), digest, override,
             json.dumps(proofing.record_of(open_findings), ensure_ascii=False)))
        if last:
            conn.execute("UPDATE notices SET status = 'approved', approved_rev = ?,"
                         " updated_at = ? WHERE id = ?", (notice.rev, now_iso(), notice_id))
            # Approved means ready for the county: queued in the same transaction,
            # so an approval is never without its place in the outbox.
            county_queue.enqueue(store, notice_id)
        store.audit("notice.approve" if last else "notice.review", notice_id,
                    {"step": step, "rev": notice.rev, "hash": digest, "opinion": opinion,
                     "override": override, "severe_findings": len(severe)}, actor=reviewer)
    return StepResult(step, last, state.steps[done + 1:])


def _three_together(store: Store, notice: Notice) -> None:
    """三同步: a notice marked 应解读 passes its last step only after a 解读 of it has."""
    if interpretation.passed_interpretations(notice):
        return
    drafts = [i for i in notice.interpretations if i["status"] == "draft"]
    if not drafts:
        raise UserError("这条公开信息已标为应解读，还没有起草它的政策解读；"
                        "须待解读审核通过后才能通过最后一步审核（三同步）。")
    first = drafts[0]
    state = review_state(store, first["id"])
    where = ("、".join(r.step_name for r in state.passed) + "已通过" if state.passed
             else "尚未审核")
    raise UserError(f"它的政策解读「{first['title']}」还是{STATUSES['draft']}（{where}），"
                    "须待解读审核通过后才能通过最后一步审核（三同步）。")


def send_back(store: Store, notice_id: str, reviewer: str, reason: str) -> None:
    """A step returns the notice to draft with a reason; review starts again after the edit."""
    reviewer, reason = reviewer.strip(), reason.strip()
    if not reviewer or not reason:
        raise UserError("退回时请写明审核人和退回理由。")
    notice = get_notice(store, notice_id)
    actions.require(notice.status, "return")
    row = store.conn.execute("SELECT review_round FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    state = review_state(store, notice_id)
    done = len(state.passed)
    step = state.steps[min(done, len(state.steps) - 1)]
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO review_steps (notice_id, round, step, step_name, rev, reviewer, at,"
            " outcome, reason, text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 'returned', ?, ?)",
            (notice_id, row["review_round"], done + 1, step, notice.rev, reviewer, now_iso(),
             reason, text_hash(notice.title, notice.body, notice.issuer, notice.phone)))
        conn.execute("UPDATE notices SET status = 'draft', approved_rev = NULL,"
                     " review_round = review_round + 1, updated_at = ? WHERE id = ?",
                     (now_iso(), notice_id))
        county_queue.drop_waiting(store, notice_id)
        store.audit("notice.return", notice_id, {"step": step, "reason": reason},
                    actor=reviewer)


def review_history(store: Store, notice_id: str) -> list[dict[str, Any]]:
    """Every step recorded for a notice, oldest first, each with ``rev`` and ``valid``."""
    return [r.to_json() for r in _records(store, notice_id)]
