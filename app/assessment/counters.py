"""The counters a rules file may name: what each counts (the clerk's words), its records' kind.

Kept apart from :mod:`app.assessment.assess` (which re-exports it) so that the
rules reader can check a file's counter names without the counting itself.
"""

from __future__ import annotations

#: What a rules file's indicator may count, from the desk's own records: the clerk's words
#: and the kind of record each deduction names (the 佐证材料 file sorts its material so).
COUNTERS: dict[str, tuple[str, str]] = {
    "late_notices": ("公开不及时的信息", "notice"),
    "missing_periods": ("应公开未公开的期次", "plan"),
    "standing_unconfirmed": ("长期公开未按期复核", "plan"),
    "postings_without_photo": ("公开栏张贴无照片", "notice"),
    "privacy_after_approval": ("审核通过后仍含个人信息", "notice"),
    "returned_by_county": ("被县级平台退回的信息", "notice"),
    "late_requests": ("依申请公开超期答复", "request"),
    "unanswered_requests": ("依申请公开逾期未答复", "request"),
    "annual_report_missing": ("年度报告未按时发布", "report"),
    "rectify_overdue": ("整改逾期未完成或逾期完成", "problem"),
}
