"""One codec per entity: domain value <-> DynamoDB item, and nowhere else.

A field added to an entity is added here once (and to its model in tables.py); every reader and
writer of that entity goes through these functions, so nothing can silently drop it.
`item_of` turns the rows a change carries (outbox messages, audit entries, search words, history
links) into items: a new kind of row is one more encoder in `ENCODERS`.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Callable

from ..domain.audit import AuditEntry
from ..domain.calendar import UTC, Interval, WeeklyHours
from ..domain.clients import ClientProfile, HistoryEntry
from ..domain.desks import Desk, Holiday
from ..domain.events import Event
from ..domain.messages import DueReminder, LoggedMessage, MessageCount, MessageKind, OutboxMessage
from ..domain.model import (
    Appointment,
    AppointmentStatus,
    Approval,
    BookingRules,
    Business,
    Client,
    ClientChanges,
    Service,
    ServiceStatus,
    Source,
    Staff,
    new_id,
)
from ..domain.retention import ClientSeen
from ..domain.plans import (
    EntryKind,
    ItemKind,
    LateRule,
    LedgerEntry,
    MergeTask,
    PlanHold,
    PlanItem,
    PlanTemplate,
    PlanTerms,
    SoldPlan,
    UnitsMove,
    Validity,
    ValidityUnit,
)
from ..domain.search import SearchEntry
from .tables import (
    AppointmentItem,
    AuditItem,
    BusinessItem,
    ClientAppointmentItem,
    ClientItem,
    ClientSeenItem,
    DeskItem,
    Item,
    MessageCountItem,
    MessageLogItem,
    MergeTaskItem,
    OutboxItem,
    PlanLedgerItem,
    PlanTemplateItem,
    SearchEntryItem,
    SoldPlanItem,
    ServiceItem,
    StaffItem,
)


def iso(instant: datetime) -> str:
    """The UTC second an instant falls in, as sort keys spell it."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def due_key(queue: str, when: datetime, ident: str) -> tuple[str, str]:
    """Where work waits in the sparse `due` index: one partition per UTC day, sorted by due instant."""
    return f"DUE#{queue}#{when.astimezone(UTC).date().isoformat()}", f"{iso(when)}#{ident}"


# -- the catalog ---------------------------------------------------------------------------------------
def business_item(b: Business, revision: int | None = None) -> BusinessItem:
    rules = {name: value.value if isinstance(value, Enum) else value for name, value in asdict(b.rules).items()}
    return BusinessItem(
        pk=f"BIZ#{b.id}", sk="PROFILE", id=b.id, slug=b.slug, name=b.name, timezone=b.timezone, locale=b.locale,
        currency=b.currency, opening_hours=b.opening_hours.to_json(), rules=rules, secret_code=b.secret_code,
        phone=b.phone, revision=revision,
    )


def business(item: BusinessItem) -> Business:
    rules = dict(item.rules or {})
    for name, kind in (("approval", Approval), ("client_changes", ClientChanges)):
        if name in rules:
            rules[name] = kind(rules[name])
    return Business(
        id=item.id, slug=item.slug, name=item.name, timezone=item.timezone, locale=item.locale,
        currency=item.currency, opening_hours=WeeklyHours.from_json(item.opening_hours),
        rules=BookingRules(**rules), secret_code=item.secret_code, phone=item.phone,
    )


def staff_item(business_id: str, s: Staff, revision: int | None = None) -> StaffItem:
    return StaffItem(
        pk=f"BIZ#{business_id}", sk=f"STAFF#{s.id}", id=s.id, name=s.name, service_ids=sorted(s.service_ids),
        hours=s.hours.to_json(), time_off=[{"start": iso(i.start), "end": iso(i.end)} for i in s.time_off],
        secret_code=s.secret_code, email=s.email, phone=s.phone, revision=revision,
    )


def staff(item: StaffItem) -> Staff:
    return Staff(
        id=item.id, name=item.name, service_ids=frozenset(item.service_ids or ()),
        hours=WeeklyHours.from_json(item.hours),
        time_off=tuple(Interval(datetime.fromisoformat(t["start"]), datetime.fromisoformat(t["end"]))
                       for t in item.time_off or ()),
        secret_code=item.secret_code, email=item.email, phone=item.phone,
    )


def service_item(business_id: str, s: Service, revision: int | None = None) -> ServiceItem:
    return ServiceItem(
        pk=f"BIZ#{business_id}", sk=f"SERVICE#{s.id}", id=s.id, name=s.name, description=s.description,
        category=s.category, duration_minutes=s.duration_minutes, buffer_before_minutes=s.buffer_before_minutes,
        buffer_after_minutes=s.buffer_after_minutes, price=str(s.price), status=s.status.value, revision=revision,
        requires_desk=s.requires_desk or None,
    )


def service(item: ServiceItem) -> Service:
    return Service(
        id=item.id, name=item.name, description=item.description, category=item.category,
        duration_minutes=int(item.duration_minutes), buffer_before_minutes=int(item.buffer_before_minutes),
        buffer_after_minutes=int(item.buffer_after_minutes), price=Decimal(item.price),
        status=ServiceStatus(item.status), requires_desk=bool(item.requires_desk),
    )


def desk_item(business_id: str, d: Desk, revision: int | None = None) -> DeskItem:
    return DeskItem(
        pk=f"BIZ#{business_id}", sk=f"DESK#{d.id}", id=d.id, number=d.number, service_ids=sorted(d.service_ids),
        hours=d.hours.to_json(), operator_id=d.operator_id, description=d.description, open=d.open,
        holidays=[h.to_json() for h in sorted(d.holidays)], revision=revision,
    )


def desk(item: DeskItem) -> Desk:
    return Desk(
        id=item.id, number=int(item.number), service_ids=frozenset(item.service_ids or ()),
        hours=WeeklyHours.from_json(item.hours), operator_id=item.operator_id, description=item.description or "",
        open=bool(item.open), holidays=tuple(Holiday(date.fromisoformat(h["first"]), date.fromisoformat(h["last"]),
                                                     bool(h.get("yearly"))) for h in item.holidays or ()),
    )


# -- clients -------------------------------------------------------------------------------------------
def client_item(business_id: str, p: ClientProfile) -> ClientItem:
    return ClientItem(
        pk=f"BIZ#{business_id}#CLIENT", sk=p.id, id=p.id, first_name=p.first_name, last_name=p.last_name,
        email=p.email, phone=p.phone, mobile=p.mobile, fiscal_code=p.fiscal_code, notes=p.notes,
        created_at=p.created_at, updated_at=p.updated_at, revision=p.revision or None, erased_at=p.erased_at,
    )


def client_profile(item: ClientItem) -> ClientProfile:
    return ClientProfile(
        id=item.id, first_name=item.first_name, last_name=item.last_name, email=item.email, phone=item.phone,
        mobile=item.mobile, fiscal_code=item.fiscal_code, notes=item.notes or "", created_at=item.created_at,
        updated_at=item.updated_at, revision=int(item.revision or 0), erased_at=item.erased_at,
    )


def client(item: ClientItem) -> Client:
    """The booking core's view of a client (what messages address)."""
    return client_profile(item).as_client()


# -- appointments --------------------------------------------------------------------------------------
def appointment_item(a: Appointment, events: tuple[Event, ...] = ()) -> AppointmentItem:
    """The item, with the events of the change that wrote it (the stream carries them on)."""
    return AppointmentItem(
        pk=f"APPT#{a.reference}", sk="APPT", agenda_pk=f"BIZ#{a.business_id}",
        agenda_sk=f"{iso(a.start)}#{a.reference}", reference=a.reference, business_id=a.business_id,
        client_id=a.client_id, service_id=a.service_id, staff_id=a.staff_id, start=a.start, end=a.end,
        busy_start=a.busy.start, busy_end=a.busy.end, status=a.status.value, source=a.source.value,
        price=str(a.price), currency=a.currency, notes=a.notes, exclusive=a.exclusive,
        created_at=a.created_at, updated_at=a.updated_at, events=[e.to_json() for e in events] or None,
        client_words=list(a.client_words) or None, client_contacts=list(a.client_contacts) or None,
        plan=a.plan.to_json() if a.plan else None,
        desk_id=a.desk_id, operator_id=a.operator_id,
    )


def appointment(item: AppointmentItem) -> Appointment:
    return Appointment(
        reference=item.reference, business_id=item.business_id, client_id=item.client_id,
        service_id=item.service_id, staff_id=item.staff_id, start=item.start, end=item.end,
        busy=Interval(item.busy_start, item.busy_end), status=AppointmentStatus(item.status),
        source=Source(item.source), price=Decimal(item.price), currency=item.currency, notes=item.notes,
        exclusive=item.exclusive, created_at=item.created_at, updated_at=item.updated_at,
        client_words=tuple(item.client_words or ()), client_contacts=tuple(item.client_contacts or ()),
        plan=PlanHold.from_json(item.plan) if item.plan else None,
        desk_id=item.desk_id, operator_id=item.operator_id,
    )


def events(item: AppointmentItem | AuditItem) -> tuple[Event, ...]:
    return tuple(Event.from_json(e) for e in item.events or ())


def appointment_json(a: Appointment) -> dict:
    """The appointment as JSON, for an outbox message's snapshot of it."""
    item = appointment_item(a)
    return {name: _json_value(getattr(item, name)) for name in _SNAPSHOT}


def appointment_from_json(data: dict) -> Appointment:
    values = {name: data.get(name) for name in _SNAPSHOT}
    for name in ("start", "end", "busy_start", "busy_end", "created_at", "updated_at"):
        values[name] = datetime.fromisoformat(values[name])
    values["notes"] = values["notes"] or ""
    values["exclusive"] = True if values["exclusive"] is None else values["exclusive"]
    return appointment(AppointmentItem(**values))


_SNAPSHOT = ("reference", "business_id", "client_id", "service_id", "staff_id", "start", "end", "busy_start",
             "busy_end", "status", "source", "price", "currency", "notes", "exclusive", "created_at", "updated_at",
             "client_words", "client_contacts", "desk_id", "operator_id")


def _json_value(value: Any) -> Any:
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def due_reminder(item: AppointmentItem) -> DueReminder:
    return DueReminder(appointment=appointment(item),
                       leads=tuple(timedelta(minutes=int(m)) for m in item.reminder_leads or ()),
                       lead=timedelta(minutes=int(item.reminder_lead or 0)), due_key=item.due_sk)


# -- rows a change carries -----------------------------------------------------------------------------
OUTBOX = "OUTBOX"


def outbox_item(m: OutboxMessage) -> OutboxItem:
    due_pk, due_sk = due_key(OUTBOX, m.due, m.id)
    return OutboxItem(
        pk=f"OUTBOX#{m.id}", sk="OUTBOX", id=m.id, business_id=m.business_id, reference=m.reference,
        client_id=m.client_id, message_kind=m.kind.value if m.kind else None,
        appointment=appointment_json(m.appointment), previous_start=m.previous_start, created_at=m.due,
        status=m.status, attempts=m.attempts, deliveries=m.deliveries, due_pk=due_pk, due_sk=due_sk,
        agenda_pk=outbox_of_pk(m.business_id, m.client_id), agenda_sk=f"{iso(m.due)}#{m.id}", offer=m.offer,
    )


def outbox_of_pk(business_id: str, client_id: str) -> str:
    """A client's outbox items in the `agenda` index: what an export shows and an erasure scrubs."""
    return f"BIZ#{business_id}#OUTBOXOF#{client_id}"


def outbox_message(item: OutboxItem) -> OutboxMessage:
    return OutboxMessage(
        id=item.id, appointment=appointment_from_json(item.appointment),
        kind=MessageKind(item.message_kind) if item.message_kind else None, due=item.created_at,
        previous_start=item.previous_start, status=item.status, attempts=int(item.attempts or 0),
        deliveries=dict(item.deliveries or {}), claim=item.claim, due_key=item.due_sk,
        offer=getattr(item, "offer", None),
    )


def logged_message(item: MessageLogItem) -> LoggedMessage:
    return LoggedMessage(
        outbox_id=item.outbox_id, reference=item.reference, client_id=item.client_id, kind=item.message_kind,
        channel=item.channel, status=item.status, to=item.to, at=item.at, attempts=int(item.attempts or 0),
        segments=int(item.segments) if item.segments is not None else None, encoding=item.encoding,
        provider_id=item.provider_id, error=item.error,
    )


def message_count(item: MessageCountItem) -> MessageCount:
    return MessageCount(day=item.day, kind=item.message_kind, channel=item.channel, sent=int(item.sent or 0),
                        failed=int(item.failed or 0), skipped=int(item.skipped or 0),
                        unconfirmed=int(item.unconfirmed or 0), segments=int(item.segments or 0))


def audit_item(entry: AuditEntry) -> AuditItem:
    at = entry.at.astimezone(UTC)
    sk = f"{at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{new_id('aud')}"
    return AuditItem(
        pk=f"BIZ#{entry.business_id}#AUDIT", sk=sk,
        at=at, actor_id=entry.actor_id, actor_email=entry.actor_email, actor_level=entry.actor_level,
        action=entry.action, target_kind=entry.target_kind, target_id=entry.target_id,
        before=entry.before, after=entry.after, events=[e.to_json() for e in entry.events] or None,
        agenda_pk=audit_of_pk(entry.business_id, entry.target_kind, entry.target_id), agenda_sk=sk,
    )


def audit_of_pk(business_id: str, target_kind: str, target_id: str) -> str:
    """The entries about one client or appointment in the `agenda` index: an erasure finds them there."""
    return f"BIZ#{business_id}#AUDITOF#{target_kind}#{target_id}"


def audit_entry(business_id: str, item: AuditItem) -> AuditEntry:
    return AuditEntry(business_id=business_id, at=item.at, actor_id=item.actor_id, actor_email=item.actor_email,
                      actor_level=int(item.actor_level), action=item.action, target_kind=item.target_kind,
                      target_id=item.target_id, before=item.before, after=item.after)


def search_pk(business_id: str, kind: str) -> str:
    return f"BIZ#{business_id}#FIND#{kind}"


def search_item(e: SearchEntry) -> SearchEntryItem:
    """Sort key <word>#<target>: a prefix of the sort key is a prefix of the word."""
    return SearchEntryItem(pk=search_pk(e.business_id, e.kind), sk=f"{e.word}#{e.target}", target=e.target,
                           words=list(e.words), contacts=list(e.contacts) or None)


def search_entry(business_id: str, kind: str, item: SearchEntryItem) -> SearchEntry:
    return SearchEntry(business_id, kind, item.sk.rsplit("#", 1)[0], item.target, tuple(item.words or ()),
                       tuple(item.contacts or ()))


def history_pk(business_id: str, client_id: str) -> str:
    return f"BIZ#{business_id}#HISTORY#{client_id}"


def history_item(h: HistoryEntry) -> ClientAppointmentItem:
    return ClientAppointmentItem(pk=history_pk(h.business_id, h.client_id), sk=h.reference, client_id=h.client_id,
                                 reference=h.reference)


def seen_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#SEEN"


def idle_pk(business_id: str) -> str:
    """Clients by when they were last seen, in the `agenda` index (repositories/retention.py)."""
    return f"BIZ#{business_id}#IDLE"


def seen_item(seen: ClientSeen) -> ClientSeenItem:
    return ClientSeenItem(pk=seen_pk(seen.business_id), sk=seen.client_id, client_id=seen.client_id,
                          last_seen=seen.at, agenda_pk=idle_pk(seen.business_id),
                          agenda_sk=f"{iso(seen.at)}#{seen.client_id}")
# -- plans (domain/plans.py) -----------------------------------------------------------------------------
def plan_items_json(items) -> list[dict]:
    return [{"kind": i.kind.value, "ref": i.ref, "quantity": i.quantity} for i in items]


def plan_items(data: list[dict]) -> tuple[PlanItem, ...]:
    return tuple(PlanItem(ItemKind(i["kind"]), i["ref"], int(i["quantity"])) for i in data)


def plan_template_item(t: PlanTemplate, revision: int | None = None) -> PlanTemplateItem:
    return PlanTemplateItem(pk=f"BIZ#{t.business_id}", sk=f"PLAN#{t.id}", id=t.id, name=t.name,
                            items=plan_items_json(t.items), price=str(t.price), validity_amount=t.validity.amount,
                            validity_unit=t.validity.unit.value, active=t.active, revision=revision)


def plan_template(business_id: str, item: PlanTemplateItem) -> PlanTemplate:
    return PlanTemplate(id=item.id, business_id=business_id, name=item.name, items=plan_items(item.items),
                        price=Decimal(item.price), validity=Validity(int(item.validity_amount),
                                                                      ValidityUnit(item.validity_unit)),
                        active=bool(item.active), revision=int(item.revision or 0))


def plan_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#PLAN"


def sold_plan_sk(client_id: str, plan_id: str) -> str:
    return f"SOLD#{client_id}#{plan_id}"


PLAN_EXPIRY = "PLANEXP"


def sold_plan_item(p: SoldPlan, ends_at: datetime) -> SoldPlanItem:
    t = p.terms
    due_pk, due_sk = due_key(PLAN_EXPIRY, ends_at, f"{p.business_id}#{p.client_id}#{p.id}")
    return SoldPlanItem(
        pk=plan_pk(p.business_id), sk=sold_plan_sk(p.client_id, p.id), id=p.id, client_id=p.client_id,
        template_id=p.template_id, terms={"name": t.name, "items": plan_items_json(t.items), "price": str(t.price),
                                          "currency": t.currency, "validity": [t.validity.amount, t.validity.unit.value],
                                          "late_rule": t.late_rule.value},
        start=p.start.isoformat(), end=p.end.isoformat(), sold_at=p.sold_at, sold_by=p.sold_by,
        available=list(p.available), expired=p.expired, due_pk=due_pk, due_sk=due_sk,
        agenda_pk=plan_end_pk(p.business_id), agenda_sk=sold_plan_agenda_sk(p.end, p.id),
    )


def sold_plan(business_id: str, item: SoldPlanItem) -> SoldPlan:
    t = item.terms
    terms = PlanTerms(t["name"], plan_items(t["items"]), Decimal(t["price"]), t["currency"],
                      Validity(int(t["validity"][0]), ValidityUnit(t["validity"][1])), LateRule(t["late_rule"]))
    return SoldPlan(id=item.id, business_id=business_id, client_id=item.client_id, template_id=item.template_id,
                    terms=terms, start=date.fromisoformat(item.start), end=date.fromisoformat(item.end),
                    sold_at=item.sold_at, sold_by=item.sold_by, available=tuple(int(n) for n in item.available),
                    expired=bool(item.expired))


def ledger_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#PLANLOG"


def plan_end_pk(business_id: str) -> str:
    """The agenda index's partition of a business's sold plans, by their last valid day."""
    return f"BIZ#{business_id}#PLANEND"


def instant_key(instant: datetime) -> str:
    """A UTC instant to the microsecond, as the ledger's sort keys spell it."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ledger_item(e: LedgerEntry) -> PlanLedgerItem:
    at = instant_key(e.at)
    return PlanLedgerItem(pk=ledger_pk(e.business_id), sk=f"{e.plan_id}#{at}#{e.id}", plan_id=e.plan_id, item=e.item,
                          entry=e.kind.value, units=e.units, at=e.at, by=e.by, reference=e.reference, reason=e.reason,
                          paid=None if e.paid is None else str(e.paid),
                          agenda_pk=ledger_pk(e.business_id), agenda_sk=ledger_agenda_sk(e.at, e.plan_id, e.id))


def ledger_agenda_sk(at: datetime, plan_id: str, entry_id: str) -> str:
    """A ledger row's place in the agenda index: by instant, across the business's plans."""
    return f"{instant_key(at)}#{plan_id}#{entry_id}"


def sold_plan_agenda_sk(end: date, plan_id: str) -> str:
    """A sold plan's place in the agenda index: by its last valid day."""
    return f"{end.isoformat()}#{plan_id}"


def ledger_entry(business_id: str, item: PlanLedgerItem) -> LedgerEntry:
    return LedgerEntry(business_id, item.plan_id, int(item.item), EntryKind(item.entry), int(item.units), item.at,
                       item.by, item.reference, item.reason or "", item.sk.rsplit("#", 1)[1],
                       None if item.paid is None else Decimal(item.paid))


def merge_task_item(t: MergeTask) -> MergeTaskItem:
    first, second = sorted(t.client_ids)
    return MergeTaskItem(pk=f"BIZ#{t.business_id}#MERGE", sk=f"{first}#{second}", client_ids=[first, second],
                         reference=t.reference, at=t.at)


def merge_task(business_id: str, item: MergeTaskItem) -> MergeTask:
    return MergeTask(business_id, tuple(item.client_ids), item.reference, item.at)


def units_update(m: UnitsMove) -> tuple[Item, list, Any]:
    """A plan's units moved by an agenda change, never below zero: (item, actions, condition)."""
    units = SoldPlanItem.available[m.item]
    return (SoldPlanItem(pk=plan_pk(m.business_id), sk=sold_plan_sk(m.client_id, m.plan_id)),
            [units.set(units + m.delta)],
            (units >= -m.delta) if m.delta < 0 else SoldPlanItem.pk.exists())


ENCODERS: dict[type, Callable[[Any], Item]] = {
    OutboxMessage: outbox_item,
    AuditEntry: audit_item,
    SearchEntry: search_item,
    HistoryEntry: history_item,
    ClientSeen: seen_item,
    LedgerEntry: ledger_item,
    MergeTask: merge_task_item,
}
# Rows a change updates under a condition, with the refusal it stands for (store.REFUSALS).
GUARDED: dict[type, tuple[Callable[[Any], tuple[Item, list, Any]], str]] = {
    UnitsMove: (units_update, "plan"),
}


def item_of(record: Any) -> Item:
    try:
        encode = ENCODERS[type(record)]
    except KeyError:
        raise TypeError(f"no item for a {type(record).__name__}: add its encoder to codecs.ENCODERS") from None
    return encode(record)
