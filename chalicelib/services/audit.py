"""The audit log: who changed what in the backoffice, when, and the changed fields before and after.

Changes write their entry in their own transaction (`entry()` here, handed to the change's write), so a
change is never stored without its entry; `record()` is for a change that has no transaction of its own.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.principal import Principal
from ..errors import ValidationError
from ..repositories import audit as repository
from ..domain.audit import AuditEntry

MAX_PAGE = 100


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """Only the fields that differ (a creation has no before, a deletion no after)."""
    if before is None or after is None:
        return before, after
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def entry(principal: Principal, action: str, target_kind: str, target_id: str, before: dict | None,
          after: dict | None, now: datetime) -> AuditEntry:
    """The entry for a change `principal` makes now; `before`/`after` are whole JSON views, trimmed here."""
    before, after = changed(before, after)
    return AuditEntry(business_id=principal.business_id, at=now, actor_id=principal.staff_id,
                      actor_email=principal.email, actor_level=int(principal.level), action=action,
                      target_kind=target_kind, target_id=target_id, before=before, after=after)


def record(audit_entry: AuditEntry) -> None:
    repository.save(audit_entry)


def listing(principal: Principal, limit: int = 50, cursor: str | None = None) -> tuple[list[AuditEntry], str | None]:
    """The caller's business's log, newest first (the partition comes from the principal, never the cursor)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be between 1 and {MAX_PAGE}", field="limit", code="out_of_range")
    return repository.entries(principal.business_id, limit=limit, cursor=cursor)
