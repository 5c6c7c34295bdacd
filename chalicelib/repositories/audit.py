"""The audit log's items: written inside the transaction of the change they describe, listed newest first."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.calendar import UTC
from ..domain.model import new_id
from ..errors import ValidationError
from .tables import AuditItem


@dataclass(frozen=True)
class AuditEntry:
    """One backoffice change: who (staff id, email, level), what (action on a target), when, and the
    changed fields before and after (None for a creation's before or a deletion's after)."""

    business_id: str
    at: datetime
    actor_id: str
    actor_email: str
    actor_level: int
    action: str
    target_kind: str
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit_item(entry: AuditEntry) -> AuditItem:
    """The item to add to the change's own TransactWrite, so a change is never stored unaudited."""
    at = entry.at.astimezone(UTC)
    return AuditItem(
        pk=f"BIZ#{entry.business_id}#AUDIT", sk=f"{at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{new_id('aud')}",
        at=at, actor_id=entry.actor_id, actor_email=entry.actor_email, actor_level=entry.actor_level,
        action=entry.action, target_kind=entry.target_kind, target_id=entry.target_id,
        before=entry.before, after=entry.after,
    )


def entries(business_id: str, *, limit: int, cursor: str | None = None) -> tuple[list[AuditEntry], str | None]:
    """A page of the log, newest first, and the cursor of the next page (None at the end)."""
    start_key = _decode(cursor, business_id) if cursor else None
    result = AuditItem.query(f"BIZ#{business_id}#AUDIT", scan_index_forward=False, limit=limit,
                             last_evaluated_key=start_key)
    found = [_entry(business_id, item) for item in result]
    last = result.last_evaluated_key
    return found, _encode(last["sk"]["S"]) if last else None


def _entry(business_id: str, item: AuditItem) -> AuditEntry:
    return AuditEntry(business_id=business_id, at=item.at, actor_id=item.actor_id, actor_email=item.actor_email,
                      actor_level=int(item.actor_level), action=item.action, target_kind=item.target_kind,
                      target_id=item.target_id, before=item.before, after=item.after)


def _encode(sk: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"sk": sk}).encode()).decode().rstrip("=")


def _decode(cursor: str, business_id: str) -> dict:
    """The cursor only carries the sort key: the partition is always the caller's business."""
    try:
        sk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["sk"]
        if not isinstance(sk, str):
            raise ValueError(sk)
    except (ValueError, KeyError, TypeError):
        raise ValidationError("not a cursor this list gave out", field="cursor", code="invalid_cursor") from None
    return {"pk": {"S": f"BIZ#{business_id}#AUDIT"}, "sk": {"S": sk}}
