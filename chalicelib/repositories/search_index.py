"""The items that let the backoffice find clients without scanning: per-business word items and
each client's list of appointments. They are written in the same transaction as the client or
appointment they come from (store.book / store.change / repositories.clients), so they never drift.

Word items: pk BIZ#<business>#WORD, sk <word>#<client id>#<origin>, origin being `n` (name, fiscal
code), `k` (email, phone, mobile: never matched for level 6) or `a<reference>` (an appointment's notes
and status). One client's items for a word are contiguous, so a search pages by client id.
"""
from __future__ import annotations

from typing import Iterable

from ..domain import search
from ..domain.model import Appointment, Client
from .tables import ClientAppointmentItem, SearchWordItem

NAME, CONTACT, APPOINTMENT = "n", "k", "a"


def word_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#WORD"


def history_pk(business_id: str, client_id: str) -> str:
    return f"BIZ#{business_id}#HISTORY#{client_id}"


def client_keys(client_id: str, first_name: str, last_name: str, fiscal_code: str | None, email: str | None,
                phone: str | None, mobile: str | None) -> set[str]:
    """Sort keys of a client's own word items."""
    keys = {f"{w}#{client_id}#{NAME}" for w in search.client_words(first_name, last_name, fiscal_code)}
    keys |= {f"{w}#{client_id}#{CONTACT}" for w in search.contact_words(email, phone, mobile)}
    return keys


def appointment_keys(appointment: Appointment | None) -> set[str]:
    if appointment is None:
        return set()
    origin = f"{APPOINTMENT}{appointment.reference}"
    return {f"{w}#{appointment.client_id}#{origin}"
            for w in search.appointment_words(appointment.notes, appointment.status.value)}


def word_items(business_id: str, keys: Iterable[str]) -> list[SearchWordItem]:
    pk = word_pk(business_id)
    return [SearchWordItem(pk=pk, sk=key, client_id=key.split("#")[1]) for key in sorted(keys)]


def on_book(appointment: Appointment, new_client: Client | None) -> list:
    """New items for a new appointment (and for a new client booked with it)."""
    business_id = appointment.business_id
    keys = appointment_keys(appointment)
    if new_client is not None:
        keys |= client_keys(new_client.id, new_client.first_name, new_client.last_name, None,
                            new_client.email, new_client.phone, None)
    link = ClientAppointmentItem(pk=history_pk(business_id, appointment.client_id), sk=appointment.reference,
                                 client_id=appointment.client_id, reference=appointment.reference)
    return [link, *word_items(business_id, keys)]


def on_change(before: Appointment, after: Appointment) -> tuple[list[SearchWordItem], list[SearchWordItem]]:
    """(items to put, items to delete) when an appointment's notes or status change; usually none."""
    old, new = appointment_keys(before), appointment_keys(after)
    return word_items(after.business_id, new - old), word_items(after.business_id, old - new)
