"""The audit log's entry: who changed what in the backoffice, when, and the changed fields."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .events import Event


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
    # what the change did that other features react to (domain/freed_time.py: time given back); the
    # stream hands them on from the entry's first write, as it does an appointment's (domain/events.py)
    events: tuple[Event, ...] = ()
