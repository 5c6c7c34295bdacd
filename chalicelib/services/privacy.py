"""A client's data, the other way round: export everything about one client, or erase them.

One registry, `SECTIONS`: each feature that keeps something about a client registers, in its own module,
what its part of an export is and how its part is erased (`section(...)`), and its module is named in
`FEATURE_MODULES` so it is loaded before either runs. The core's own sections (appointments, messages,
outbox, search words, audit log) are registered below; retention, marketing (consent, marketing messages),
plans and the waiting list register theirs in their own modules.

Erasure (domain/privacy.py says what is left): the contacts go on the do-not-contact list first, then each
section scrubs its part, then the client record is pseudonymised with its audit entry in one transaction,
then appointments booked meanwhile are scrubbed too. Every step is idempotent, so an erasure that failed
half way (a message being sent, a concurrent edit: 409) is simply asked for again, and erasing an erased
client changes nothing. Future appointments are cancelled through the ordinary change path (their time is
freed, the stream sees the cancellation) but without the cancellation message: the client asked to be
forgotten, a message would be one more copy of their address at a provider, and they know already.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from ..domain.audit import AuditEntry
from ..domain.clients import ClientProfile
from ..domain.do_not_contact import Contacts
from ..domain.model import Appointment, Catalog
from ..domain.principal import Principal
from ..domain.privacy import cancelled_on_erasure, is_scrubbed, pseudonymised, scrubbed, scrubbed_view
from ..domain.transitions import Action, next_status
from ..ports import AgendaStore, DoNotContact
from ..repositories import codecs, privacy as repository
from ..repositories.clients import ClientRepository
from . import agenda_changes, audit
from .backoffice import audit_view
from .clients import audit_view as client_view, visible

FORMAT = "turno.client-export/1"
SYSTEM = "system"  # the actor of erasures the retention job makes


@dataclass(frozen=True)
class Actor:
    """Who erases or exports: a staff member (from their Principal) or the system (retention)."""

    business_id: str
    staff_id: str
    email: str = ""
    level: int = 0

    @classmethod
    def of(cls, principal: Principal) -> "Actor":
        return cls(principal.business_id, principal.staff_id, principal.email, int(principal.level))

    def entry(self, action: str, target_kind: str, target_id: str, before: dict | None, after: dict | None,
              now: datetime) -> AuditEntry:
        before, after = audit.changed(before, after)
        return AuditEntry(business_id=self.business_id, at=now, actor_id=self.staff_id, actor_email=self.email,
                          actor_level=self.level, action=action, target_kind=target_kind, target_id=target_id,
                          before=before, after=after)


@dataclass
class Subject:
    """The client an export or erasure is about, as read when it started; sections read and write the rest."""

    store: AgendaStore
    clients: ClientRepository
    actor: Actor
    client: ClientProfile
    history: list[Appointment]
    now: datetime
    reason: str = "request"  # request | retention
    catalog: Catalog | None = None
    erased: dict[str, int] = field(default_factory=dict)

    @property
    def business_id(self) -> str:
        return self.actor.business_id


Exporter = Callable[[Subject], Any]  # JSON-able
Eraser = Callable[[Subject], int]  # how many records it changed (0 when there was nothing left to do)


@dataclass(frozen=True)
class Section:
    name: str
    export: Exporter | None = None
    erase: Eraser | None = None


SECTIONS: dict[str, Section] = {}
# Modules that register sections when imported (one line per feature: consent, plans, waiting requests...).
FEATURE_MODULES: list[str] = [
    "chalicelib.services.retention",
    "chalicelib.services.marketing_privacy",
    "chalicelib.services.plans_privacy",
    "chalicelib.services.waitlist_privacy",
]


def section(name: str, *, export: Exporter | None = None, erase: Eraser | None = None) -> None:
    """Register (or replace) a feature's part of a client's export and erasure."""
    SECTIONS[name] = Section(name, export, erase)


def sections() -> list[Section]:
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    return list(SECTIONS.values())


# -- use cases ------------------------------------------------------------------------------------------
def export(store: AgendaStore, clients: ClientRepository, principal: Principal, client_id: str,
           now: datetime) -> dict:
    """Everything about one client as JSON, sections in registration order; the export is audited."""
    subject = _subject(store, clients, Actor.of(principal), visible(clients, principal, client_id), now)
    subject.catalog = store.catalog(principal.business_id)
    body = {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "business": {"id": subject.catalog.business.id, "name": subject.catalog.business.name},
        "client": _profile_json(subject.client),
        **{s.name: s.export(subject) for s in sections() if s.export is not None},
    }
    audit.record(subject.actor.entry("client.export", "client", client_id, None,
                                     {"sections": [k for k in body if k not in ("format", "exported_at")]}, now))
    return body


@dataclass(frozen=True)
class Erasure:
    client: ClientProfile
    already: bool  # erased before: nothing was changed this time
    changed: dict[str, int]


def erase(store: AgendaStore, clients: ClientRepository, listed: DoNotContact, actor: Actor, client_id: str,
          now: datetime, *, reason: str = "request") -> Erasure:
    """Pseudonymise the client everywhere and put their contacts on the do-not-contact list (see the module)."""
    profile = clients.get(actor.business_id, client_id)
    if profile.erased_at is not None:
        return Erasure(profile, True, {})
    for contacts in (Contacts(profile.email, profile.phone), Contacts(None, profile.mobile)):
        listed.add(actor.business_id, contacts, now, reason)
    subject = _subject(store, clients, actor, profile, now, reason)
    for part in sections():
        if part.erase is not None:
            subject.erased[part.name] = part.erase(subject)
    entry = actor.entry("client.erase", "client", client_id, None,
                        {"reason": reason, **{k: v for k, v in subject.erased.items() if v}}, now)
    after = clients.update(actor.business_id, profile, pseudonymised(profile, now), also=[entry])
    # an appointment booked for them while this ran was written with their words: scrub it too
    subject.history = clients.history(actor.business_id, client_id)
    subject.erased["appointments"] = subject.erased.get("appointments", 0) + _erase_appointments(subject)
    return Erasure(after, False, subject.erased)


def _subject(store: AgendaStore, clients: ClientRepository, actor: Actor, profile: ClientProfile, now: datetime,
             reason: str = "request") -> Subject:
    return Subject(store, clients, actor, profile, clients.history(actor.business_id, profile.id), now, reason)


# -- the core's sections --------------------------------------------------------------------------------
def _profile_json(p: ClientProfile) -> dict:
    return {"id": p.id, **client_view(p), "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
            "erased_at": _iso(p.erased_at)}


def _export_appointments(subject: Subject) -> list[dict]:
    catalog = subject.catalog
    rows = []
    for a in sorted(subject.history, key=lambda a: (a.start, a.reference)):
        service, member = catalog.service(a.service_id), catalog.member(a.staff_id)
        rows.append({"reference": a.reference, "start": a.start.isoformat(), "end": a.end.isoformat(),
                     "status": a.status.value, "service": {"id": a.service_id, "name": service and service.name},
                     "staff": {"id": a.staff_id, "name": member and member.name}, "price": str(a.price),
                     "currency": a.currency, "source": a.source.value, "notes": a.notes,
                     "created_at": a.created_at.isoformat()})
    return rows


def _erase_appointments(subject: Subject) -> int:
    """Future ones cancelled (quietly, see the module), every one scrubbed of the client's words and notes."""
    changed = 0
    for before in subject.history:
        if cancelled_on_erasure(before, subject.now):
            after = scrubbed(before.with_status(next_status(before.status, Action.CANCEL), subject.now), subject.now)
            entry = subject.actor.entry("appointment.cancel", "appointment", before.reference,
                                        scrubbed_view(audit_view(before)),
                                        {**scrubbed_view(audit_view(after)), "reason": f"client erased ({subject.reason})"},
                                        subject.now)
        elif not is_scrubbed(before):
            after, entry = scrubbed(before, subject.now), None
        else:
            continue
        agenda_changes.change(subject.store, before, after, by=subject.actor.staff_id, audit=entry, tell_client=False)
        changed += 1
    return changed


def _export_messages(subject: Subject) -> list[dict]:
    return [{"at": m.at.isoformat(), "kind": m.kind, "channel": m.channel, "status": m.status, "to": m.to,
             "reference": m.reference, "error": m.error}
            for m in repository.message_log(subject.business_id, subject.client.id)]


def _erase_messages(subject: Subject) -> int:
    return repository.scrub_message_log(subject.business_id, subject.client.id)


def _outbox(subject: Subject):
    logged = [m.outbox_id for m in repository.message_log(subject.business_id, subject.client.id)]
    return repository.outbox(subject.business_id, subject.client.id, logged)


def _export_outbox(subject: Subject) -> list[dict]:
    return [{"id": m.id, "kind": m.kind.value if m.kind else None, "due": m.due.isoformat(), "status": m.status,
             "reference": m.reference, "deliveries": m.deliveries} for m in _outbox(subject)]


def _erase_outbox(subject: Subject) -> int:
    done = [repository.scrub_outbox(m, codecs.appointment_json(scrubbed(m.appointment, m.appointment.updated_at)))
            for m in _outbox(subject)]
    return sum(outcome != "kept" for outcome in done)


def _export_search_words(subject: Subject) -> list[str]:
    entries = repository.search_entries(subject.business_id, subject.client)
    return sorted({e.word for e in entries})


def _about(subject: Subject) -> list:
    items = repository.audit_about(subject.business_id, "client", subject.client.id)
    for a in subject.history:
        items += repository.audit_about(subject.business_id, "appointment", a.reference)
    return sorted(items, key=lambda i: i.sk)


def _export_audit(subject: Subject) -> list[dict]:
    return [{"at": i.at.isoformat(), "action": i.action, "by": i.actor_id, "target": i.target_id,
             "before": i.before, "after": i.after} for i in _about(subject)]


def _erase_audit(subject: Subject) -> int:
    return repository.scrub_audit(_about(subject))


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


section("appointments", export=_export_appointments, erase=_erase_appointments)
section("messages", export=_export_messages, erase=_erase_messages)
section("outbox", export=_export_outbox, erase=_erase_outbox)
section("search_words", export=_export_search_words)  # erased with the record (clients.update) and appointments
section("audit", export=_export_audit, erase=_erase_audit)
