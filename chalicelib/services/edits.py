"""Storing a backoffice edit of the business, its services or its team together with its audit entry."""
from __future__ import annotations

from datetime import datetime

from ..domain.principal import Principal
from ..repositories import catalog_admin
from ..repositories.catalog_admin import Versioned
from . import audit


def save(principal: Principal, changed: list[Versioned], action: str, kind: str, target: str,
         before: dict | None, after: dict | None, now: datetime) -> None:
    """Store the change with its audit entry, in one transaction; an edit that changes nothing writes nothing."""
    if before is not None and before == after:
        return
    catalog_admin.save(principal.business_id, changed, audit.entry(principal, action, kind, target, before, after, now))
