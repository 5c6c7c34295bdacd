"""The catalog from the backoffice: the services a business offers (name, duration, buffers, price,
status) and who performs each."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from ..domain.booking import LOCK_UNIT_MINUTES, check_service_shape
from ..domain.fields import (
    checked_choice, checked_ids, checked_integer, checked_price, checked_text, reject_unknown,
)
from ..domain.model import Service, ServiceStatus, new_id
from ..domain.principal import Principal
from ..domain.views import service_view
from ..errors import NotFoundError, ValidationError
from ..repositories import catalog_admin
from ..repositories.catalog_admin import CatalogSnapshot, Versioned
from . import edits

FIELDS = {"name", "description", "category", "duration_minutes", "buffer_before_minutes",
          "buffer_after_minutes", "price", "status", "staff", "requires_desk"}


def services(principal: Principal) -> tuple[list[Service], dict[str, list[str]]]:
    """Every service (any status), and who performs each."""
    snap = catalog_admin.snapshot(principal.business_id)
    found = sorted((v.value for v in snap.services.values()), key=lambda s: (s.category, s.name))
    return found, performers(snap)


def service(principal: Principal, service_id: str) -> tuple[Service, list[str]]:
    snap = catalog_admin.snapshot(principal.business_id)
    if service_id not in snap.services:
        raise NotFoundError("no such service", field="service")
    return snap.services[service_id].value, performers(snap).get(service_id, [])


def create_service(principal: Principal, data: dict, now: datetime) -> tuple[Service, list[str]]:
    reject_unknown(data, FIELDS)
    if "name" not in data or "duration_minutes" not in data or "price" not in data:
        missing = next(f for f in ("name", "duration_minutes", "price") if f not in data)
        raise ValidationError("this field is required", field=missing, code="required")
    draft = Service(id=new_id("svc"), name="", duration_minutes=LOCK_UNIT_MINUTES, price=Decimal(0))
    return _write_service(principal, None, draft, data, now)


def update_service(principal: Principal, service_id: str, data: dict, now: datetime) -> tuple[Service, list[str]]:
    reject_unknown(data, FIELDS)
    return _write_service(principal, service_id, None, data, now)


def _write_service(principal: Principal, service_id: str | None, draft: Service | None, data: dict,
                   now: datetime) -> tuple[Service, list[str]]:
    snap = catalog_admin.snapshot(principal.business_id)
    if service_id is not None:
        if service_id not in snap.services:
            raise NotFoundError("no such service", field="service")
        record = snap.services[service_id]
    else:
        record = Versioned(draft, None)
    before = record.value
    after = before
    if "name" in data:
        after = replace(after, name=checked_text(data["name"], "name", 120))
    for name, limit in (("description", 2000), ("category", 80)):
        if name in data:
            after = replace(after, **{name: checked_text(data[name], name, limit, required=False,
                                                             multiline=name == "description") or ""})
    for name in ("duration_minutes", "buffer_before_minutes", "buffer_after_minutes"):
        if name in data:
            after = replace(after, **{name: checked_integer(data[name], name, 0, 24 * 60)})
    check_service_shape(after.duration_minutes, after.buffer_before_minutes, after.buffer_after_minutes)
    if "price" in data:
        after = replace(after, price=checked_price(data["price"], currency=snap.business.value.currency))
    if "status" in data:
        after = replace(after, status=checked_choice(ServiceStatus, data["status"], "status"))
    if "requires_desk" in data:
        if not isinstance(data["requires_desk"], bool):
            raise ValidationError("must be true or false", field="requires_desk", code="wrong_type")
        after = replace(after, requires_desk=data["requires_desk"])
    performers_before = sorted(performers(snap).get(before.id, []))
    changed: list[Versioned] = [Versioned(after, record.revision)]
    performers_after = performers_before
    if "staff" in data:
        wanted = set(checked_ids(data["staff"], "staff"))
        unknown = wanted - set(snap.staff)
        if unknown:
            raise NotFoundError("no such staff member", field="staff")
        for staff_id, versioned in snap.staff.items():
            has = versioned.value.performs(after.id)
            if has != (staff_id in wanted):
                ids = versioned.value.service_ids | {after.id} if not has else versioned.value.service_ids - {after.id}
                changed.append(Versioned(replace(versioned.value, service_ids=frozenset(ids)), versioned.revision))
        performers_after = sorted(wanted)
    action = "service.create" if service_id is None else "service.update"
    edits.save(principal, changed, action, "service", after.id,
               None if service_id is None else {**service_view(before), "staff": performers_before},
               {**service_view(after), "staff": performers_after}, now)
    return after, performers_after


def performers(snap: CatalogSnapshot) -> dict[str, list[str]]:
    """service id -> the staff ids who perform it."""
    found: dict[str, list[str]] = {}
    for staff_id in sorted(snap.staff):
        for service_id in snap.staff[staff_id].value.service_ids:
            found.setdefault(service_id, []).append(staff_id)
    return found
