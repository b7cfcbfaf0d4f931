"""先审后发: the review steps a notice passes before it may go on a wall or to the county."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.errors import UserError
from app.facts import REVIEW_CHECKLIST, REVIEW_STEPS
from app.notices import county_queue
from app.notices.drafts import check_notice, get_notice
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


@dataclass(frozen=True)
class StepResult:
    """What one ``notice approve`` did."""

    step: str
    approved: bool
    remaining: tuple[str, ...]


def _passed(store: Store, notice_id: str, round_: int) -> list[Any]:
    return store.query("SELECT * FROM review_steps WHERE notice_id = ? AND round = ?"
                       " AND outcome = 'passed' ORDER BY step", (notice_id, round_))


def approve(store: Store, notice_id: str, reviewer: str, opinion: str = "",
            checklist: dict[str, bool] | None = None) -> StepResult:
    """Record the next review step; the notice is approved when the last step passes.

    Refused while the text still holds unmasked personal data.
    """
    reviewer = reviewer.strip()
    if not reviewer:
        raise UserError("请写明审核人姓名。")
    notice = get_notice(store, notice_id)
    if notice.status != "draft":
        raise UserError("只有草稿需要审核；这条公开信息已经审核过了。")
    found = check_notice(store, notice_id).findings
    if found:
        first = found[0]
        raise UserError(f"文中还有{len(found)}处个人信息未遮盖（如{first.label}），"
                        "请先遮盖后再审核。")
    row = store.conn.execute("SELECT review_round FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    round_ = row["review_round"]
    steps = review_steps(store)
    done = len(_passed(store, notice_id, round_))
    step = steps[done]
    marks = {name: bool((checklist or {}).get(name, True)) for name in REVIEW_CHECKLIST}
    last = done + 1 == len(steps)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO review_steps (notice_id, round, step, step_name, rev, reviewer, at,"
            " opinion, checklist, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'passed')",
            (notice_id, round_, done + 1, step, notice.rev, reviewer, now_iso(), opinion,
             json.dumps(marks, ensure_ascii=False)))
        if last:
            conn.execute("UPDATE notices SET status = 'approved', approved_rev = ?,"
                         " updated_at = ? WHERE id = ?", (notice.rev, now_iso(), notice_id))
            # Approved means ready for the county: queued in the same transaction,
            # so an approval is never without its place in the outbox.
            county_queue.enqueue(store, notice_id)
        store.audit("notice.approve" if last else "notice.review", notice_id,
                    {"step": step, "rev": notice.rev, "opinion": opinion}, actor=reviewer)
    return StepResult(step, last, steps[done + 1:])


def send_back(store: Store, notice_id: str, reviewer: str, reason: str) -> None:
    """A step returns the notice to draft with a reason; review starts again after the edit."""
    reviewer, reason = reviewer.strip(), reason.strip()
    if not reviewer or not reason:
        raise UserError("退回时请写明审核人和退回理由。")
    notice = get_notice(store, notice_id)
    if notice.status not in ("draft", "approved"):
        raise UserError("已公开或已撤回的公开信息不能退回，请先撤回。")
    row = store.conn.execute("SELECT review_round FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    round_ = row["review_round"]
    steps = review_steps(store)
    done = len(_passed(store, notice_id, round_))
    step = steps[min(done, len(steps) - 1)]
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO review_steps (notice_id, round, step, step_name, rev, reviewer, at,"
            " outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, 'returned', ?)",
            (notice_id, round_, done + 1, step, notice.rev, reviewer, now_iso(), reason))
        conn.execute("UPDATE notices SET status = 'draft', approved_rev = NULL,"
                     " review_round = review_round + 1, updated_at = ? WHERE id = ?",
                     (now_iso(), notice_id))
        county_queue.drop_waiting(store, notice_id)
        store.audit("notice.return", notice_id, {"step": step, "reason": reason},
                    actor=reviewer)


def review_history(store: Store, notice_id: str) -> list[dict[str, Any]]:
    """Every step recorded for a notice, oldest first."""
    rows = store.query("SELECT round, step, step_name, rev, reviewer, at, opinion, checklist,"
                       " outcome, reason FROM review_steps WHERE notice_id = ? ORDER BY id",
                       (notice_id,))
    return [dict(r, checklist=json.loads(r["checklist"])) for r in rows]
