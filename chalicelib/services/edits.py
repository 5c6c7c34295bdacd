"""Storing a backoffice edit of the business, its services or its team together with its audit entry."""
from __future__ import annotations

from datetime import datetime

from ..domain.freed_time import freed_events
from ..domain.model import Catalog
from ..domain.principal import Principal
from ..repositories import catalog_admin
from ..repositories.catalog_admin import Versioned
from . import audit


def save(principal: Principal, changed: list[Versioned], action: str, kind: str, target: str,
         before: dict | None, after: dict | None, now: datetime,
         calendar: tuple[Catalog, Catalog] | None = None) -> None:
    """Store the change with its audit entry, in one transaction; an edit that changes nothing writes nothing.
    `calendar`: the catalog before and after a change of hours, whose freed time the entry then carries."""
    if before is not None and before == after:
        return
    entry = audit.entry(principal, action, kind, target, before, after, now)
    catalog_admin.save(principal.business_id, changed, freed_events(*calendar, entry) if calendar else entry)
