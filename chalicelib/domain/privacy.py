"""What is left of a client after erasure: pure rules, no I/O (services/privacy.py applies them).

Erasure pseudonymises rather than deletes. The client record stays, under the same id, as "Erased client":
their appointments keep pointing at it, so revenue, commissions and report counters (the business's
accounting) are unchanged, while nothing that names, reaches or identifies the person is kept: names,
email, phones, fiscal code and notes go from the record, from every appointment and its search words, from
the outbox's copies and the message log's addresses, and from the audit log's before/after views.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from .clients import ClientProfile
from .model import Appointment, AppointmentStatus
from . import search

ERASED_FIRST_NAME, ERASED_LAST_NAME = "Erased", "client"
ERASED = "[erased]"  # what an audit view or a message's address shows in place of personal data
# Audit views' fields that may hold personal data: client fields, and the free texts staff type (notes,
# a cancellation's or an override's reason) that may name the client or their health.
PERSONAL_AUDIT_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "mobile", "fiscal_code", "notes",
                                   "reason", "override_reason"})
# An outbox delivery's fields that may hold the address or echo it (a provider's error text).
PERSONAL_DELIVERY_FIELDS = ("to", "error")


def pseudonymised(profile: ClientProfile, now: datetime) -> ClientProfile:
    """The record as kept after erasure; id, creation date and revision history stay."""
    return replace(profile, first_name=ERASED_FIRST_NAME, last_name=ERASED_LAST_NAME, email=None, phone=None,
                   mobile=None, fiscal_code=None, notes="", updated_at=now, erased_at=now)


def erased_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, contact words) an erased client's appointments are found by: the pseudonym only."""
    return search.who(ERASED_FIRST_NAME, ERASED_LAST_NAME, None, None, None)


def scrubbed(appointment: Appointment, now: datetime) -> Appointment:
    """The appointment without its client's words and its notes; time, service, staff, status and price stay."""
    words, contacts = erased_words()
    return replace(appointment, notes="", client_words=words, client_contacts=contacts, updated_at=now)


def is_scrubbed(appointment: Appointment) -> bool:
    words, contacts = erased_words()
    return (not appointment.notes and tuple(appointment.client_words) == words
            and tuple(appointment.client_contacts) == contacts)


def cancelled_on_erasure(appointment: Appointment, now: datetime) -> bool:
    """Future appointments are cancelled: nobody will come to them. One that has begun is history."""
    return appointment.start > now and appointment.status in (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)


def scrubbed_view(view: dict[str, Any] | None) -> dict[str, Any] | None:
    """An audit entry's before/after with the personal fields replaced (the keys stay: what changed, not to what)."""
    if view is None:
        return None
    return {k: (ERASED if k in PERSONAL_AUDIT_FIELDS and v not in (None, "") else v) for k, v in view.items()}


def scrubbed_deliveries(deliveries: dict[str, dict]) -> dict[str, dict]:
    """An outbox item's per-channel results without the address (status, provider id and segments stay)."""
    return {channel: {k: (ERASED if k in PERSONAL_DELIVERY_FIELDS and v else v) for k, v in (d or {}).items()}
            for channel, d in deliveries.items()}


def scrubbed_offer(offer: dict[str, Any] | None) -> dict[str, Any] | None:
    """A waiting-list offer's outbox copy (domain/offer_messages.py) with its contact pseudonymised: which
    request, round and opening stay, the name, email and phone go."""
    if not offer or not offer.get("contact"):
        return offer
    contact = offer["contact"]
    return {**offer, "contact": {"first_name": ERASED_FIRST_NAME, "last_name": ERASED_LAST_NAME, "email": None,
                                 "phone": None, "client_id": contact.get("client_id")}}
