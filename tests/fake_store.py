"""An in-memory AgendaStore for use-case tests: the same answers and refusals as DynamoDB's, no I/O.

tests/store_contract.py runs one suite against this, moto and DynamoDB Local, so it cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from chalicelib.domain.agenda_change import AgendaChange, LockUnit
from chalicelib.domain.availability import Minutes
from chalicelib.domain.busy import busy_by_resource
from chalicelib.domain.desks import Desk
from chalicelib.domain.model import Appointment, Business, Catalog, Client, ResourceRef, Service, Staff
from chalicelib.domain.plans import LedgerEntry, PlanUsedUpError, SoldPlan, UnitsMove, with_available
from chalicelib.domain.special_days import SpecialDays
from chalicelib.errors import ConflictError, ContactTakenError, NotFoundError, SlotUnavailableError


@dataclass
class FakeAgendaStore:
    businesses: dict[str, Business] = field(default_factory=dict)
    staff: dict[str, dict[str, Staff]] = field(default_factory=dict)
    services: dict[str, dict[str, Service]] = field(default_factory=dict)
    desks: dict[str, dict[str, Desk]] = field(default_factory=dict)
    clients: dict[tuple[str, str], Client] = field(default_factory=dict)
    contacts: dict[tuple[str, str], str] = field(default_factory=dict)  # (business, "email#..") -> client id
    appointments: dict[str, Appointment] = field(default_factory=dict)
    locks: dict[tuple[str, LockUnit], set[str]] = field(default_factory=dict)
    rows: list[Any] = field(default_factory=list)  # what changes carried: outbox messages, audit entries...
    failures: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    writes: int = 0
    special_days: dict[str, SpecialDays] = field(default_factory=dict)  # closures and special hours, by business
    sold_plans: dict[tuple[str, str], SoldPlan] = field(default_factory=dict)  # (business, plan id) -> its units

    # -- catalog -------------------------------------------------------------------------------
    def business_id(self, slug: str) -> str:
        found = next((b.id for b in self.businesses.values() if b.slug == slug), None)
        if found is None:
            raise NotFoundError("no such business", field="business")
        return found

    def catalog(self, business_id: str) -> Catalog:
        if business_id not in self.businesses:
            raise NotFoundError("no such business", field="business")
        return Catalog(self.businesses[business_id],
                       tuple(sorted(self.staff.get(business_id, {}).values(), key=lambda s: s.name)),
                       tuple(sorted(self.services.get(business_id, {}).values(), key=lambda s: (s.category, s.name))),
                       desks=tuple(sorted(self.desks.get(business_id, {}).values(), key=lambda d: d.number)),
                       special_days=self.special_days.get(business_id, SpecialDays()))

    def save_business(self, business: Business) -> None:
        self.businesses[business.id] = business

    def save_staff(self, business_id: str, staff: Staff) -> None:
        self.staff.setdefault(business_id, {})[staff.id] = staff

    def save_service(self, business_id: str, service: Service) -> None:
        self.services.setdefault(business_id, {})[service.id] = service

    def save_desk(self, business_id: str, desk: Desk) -> None:
        self.desks.setdefault(business_id, {})[desk.id] = desk

    # -- clients and appointments ----------------------------------------------------------------
    def contacts_and_locks(self, business_id: str, email: str | None, phone: str | None,
                           units: Iterable[LockUnit]) -> tuple[str | None, set[LockUnit]]:
        keys = [k for k in (email and f"email#{email}", phone and f"phone#{phone}") if k]
        client_id = next((self.contacts[(business_id, k)] for k in keys if (business_id, k) in self.contacts), None)
        return client_id, {u for u in units if self.locks.get((business_id, u))}

    def client(self, business_id: str, client_id: str) -> Client:
        try:
            return self.clients[(business_id, client_id)]
        except KeyError:
            raise NotFoundError("no such client", field="client") from None

    def appointments_between(self, business_id: str, start: datetime, end: datetime) -> list[Appointment]:
        return sorted((a for a in self.appointments.values()
                       if a.business_id == business_id and a.busy.start < end and start < a.busy.end),
                      key=lambda a: (a.start, a.reference))

    def busy_between(self, business_id: str, start: datetime, end: datetime) -> dict[ResourceRef, list[Minutes]]:
        return busy_by_resource(self.appointments_between(business_id, start, end))

    def appointment(self, reference: str) -> Appointment:
        try:
            return self.appointments[reference]
        except KeyError:
            raise NotFoundError("no such booking", field="reference") from None

    def write(self, change: AgendaChange) -> None:
        self.write_all((change,))

    def write_all(self, changes) -> None:
        """Check every condition of every change first, then apply everything: all or nothing, refusals in
        the store's order."""
        for change in changes:
            self._check(change)
        units = [u for change in changes for u in change.claims]
        assert len(units) == len(set(units)), "one transaction may not claim a unit twice"
        plans = self._units_after([r for change in changes for r in change.records if isinstance(r, UnitsMove)])
        self.writes += 1
        self.sold_plans.update(plans)
        for change in changes:
            self._apply(change)

    def _check(self, change: AgendaChange) -> None:
        after, business_id = change.after, change.after.business_id
        if after.exclusive and any(self.locks.get((business_id, u)) for u in change.claims):
            raise SlotUnavailableError("that time is no longer available", field="start")
        client = change.new_client
        if client is not None:
            if (business_id, client.id) in self.clients or any((business_id, k) in self.contacts for k in _keys(client)):
                raise ContactTakenError("a client with these details was just created")
        stored = self.appointments.get(after.reference)
        if (stored is not None) if change.before is None else (stored is None or stored.updated_at != change.before.updated_at):
            raise ConflictError("the booking was changed meanwhile; reload it", code="booking_changed")

    def _apply(self, change: AgendaChange) -> None:
        after, business_id = change.after, change.after.business_id
        self.appointments[after.reference] = after
        client = change.new_client
        if client is not None:
            self.clients[(business_id, client.id)] = client
            for key in _keys(client):
                self.contacts[(business_id, key)] = client.id
        for record in change.records:  # a record with a key replaces the row with that key, as a put does
            key = getattr(record, "key", None)
            self.rows[:] = [r for r in self.rows if key is None or getattr(r, "key", None) != key]
            self.rows.append(record)
        for row in change.removals:
            if row in self.rows:
                self.rows.remove(row)
        for unit in change.releases:
            self.locks.get((business_id, unit), set()).discard(after.reference)
        for unit in change.claims:
            self.locks.setdefault((business_id, unit), set()).add(after.reference)

    def _units_after(self, moves: list[UnitsMove]) -> dict[tuple[str, str], SoldPlan]:
        """The plans' units after the change's moves, as DynamoDB's condition has them: a move takes a unit
        only while one is available (and finds its plan), else the whole change is refused."""
        found: dict[tuple[str, str], SoldPlan] = {}
        for move in moves:
            key = (move.business_id, move.plan_id)
            plan = found.get(key) or self.sold_plans.get(key)
            if plan is None or plan.client_id != move.client_id or not 0 <= move.item < len(plan.available) \
                    or plan.available[move.item] + move.delta < 0:
                raise PlanUsedUpError("the plan's last unit was just taken; check what it covers again", field="plan")
            available = list(plan.available)
            available[move.item] += move.delta
            found[key] = with_available(plan, available)
        return found

    # -- plans (as repositories/plans.py keeps them) -----------------------------------------------
    def sell(self, plan: SoldPlan, entries: list[LedgerEntry], ends_at: datetime) -> None:
        self.sold_plans[(plan.business_id, plan.id)] = plan
        self.rows.extend(entries)

    def plan(self, business_id: str, client_id: str, plan_id: str) -> SoldPlan:
        found = self.sold_plans.get((business_id, plan_id))
        if found is None or found.client_id != client_id:
            raise NotFoundError("no such plan", field="plan")
        return found

    # -- wrong secret codes --------------------------------------------------------------------
    def recent_code_failures(self, business_id: str, address: str, since: float) -> list[float]:
        return [f for f in self.failures.get((business_id, address), []) if f >= since]

    def save_code_failures(self, business_id: str, address: str, failures: list[float], keep: int) -> None:
        self.failures[(business_id, address)] = list(failures)


def _keys(client: Client) -> list[str]:
    return [k for k in (client.email and f"email#{client.email}", client.phone and f"phone#{client.phone}") if k]
