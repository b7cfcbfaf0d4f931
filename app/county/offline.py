"""What may go on the county's website: 仅限线下公开 notices, and those sent as metadata only.

The township marks a notice ``offline_only`` when its item does not list
政府网站 or is for 特定群体; the county trusts that flag and checks the
notice's own ``channels`` and ``audience`` again (the item's, for a township
that does not send them yet), with the same rule from the shared vocabulary.
A notice marked ``metadata_only`` is kept without any body, whatever came.
"""

from __future__ import annotations

import json
from typing import Any

from app.facts import offline_only

#: What a staff member must write to put a 不上网 notice on the website all the same.
MAX_ONLINE_REASON = 1000


def payload_flags(payload: dict[str, Any]) -> tuple[bool, bool]:
    """(offline_only, metadata_only) of a NoticePayload JSON."""
    raw_notice, raw_item = payload.get("notice"), payload.get("item")
    notice = raw_notice if isinstance(raw_notice, dict) else {}
    item = raw_item if isinstance(raw_item, dict) else {}
    channels = notice["channels"] if "channels" in notice else item.get("channels")
    audience = notice["audience"] if "audience" in notice else item.get("audience")
    said = notice.get("offline_only") is True
    # Nothing to check against (neither the notice nor its item names channels): the flag.
    known = channels is not None or audience is not None
    offline = said or (known and offline_only(channels, audience))
    return offline, notice.get("metadata_only") is True


def flags(document: str) -> tuple[bool, bool]:
    """(offline_only, metadata_only) of a stored notice document (its JSON text)."""
    try:
        data = json.loads(document)
    except ValueError:
        return False, False
    return payload_flags(data) if isinstance(data, dict) else (False, False)


def without_body(payload: dict[str, Any]) -> dict[str, Any]:
    """A metadata-only payload as the county keeps it: no body, even if one came along."""
    notice = {k: v for k, v in (payload.get("notice") or {}).items() if k != "body"}
    return {**payload, "notice": notice}
