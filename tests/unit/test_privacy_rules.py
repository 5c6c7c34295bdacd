"""The pure rules of erasure and the do-not-contact list (domain/privacy.py, domain/do_not_contact.py)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.do_not_contact import Contacts, digests, normalised
from chalicelib.domain.privacy import (
    ERASED, cancelled_on_erasure, pseudonymised, scrubbed_deliveries, scrubbed_view,
)
from chalicelib.domain.model import AppointmentStatus
from tests.factories import NOW
from tests.unit.test_agenda_change import appointment

KEY = b"unit-key"


def test_a_pseudonymised_client_keeps_only_id_and_dates():
    profile = ClientProfile("cli_1", "Ana", "Ruiz", "ana@mail.example", "+34611222333", "+34622333444", "X1234567Z",
                            "likes mornings", created_at=NOW - timedelta(days=900), revision=3)
    after = pseudonymised(profile, NOW)
    assert (after.id, after.created_at, after.revision, after.erased_at) == ("cli_1", profile.created_at, 3, NOW)
    assert (after.first_name, after.last_name, after.email, after.phone, after.mobile, after.fiscal_code,
            after.notes) == ("Erased", "client", None, None, None, None, "")
    assert after.contact_keys() == []


def test_audit_views_keep_their_keys_and_lose_personal_values():
    view = {"first_name": "Ana", "email": "ana@mail.example", "status": "confirmed", "notes": "", "reason": "ill",
            "client": "cli_1", "phone": None}
    assert scrubbed_view(view) == {"first_name": ERASED, "email": ERASED, "status": "confirmed", "notes": "",
                                   "reason": ERASED, "client": "cli_1", "phone": None}
    assert scrubbed_view(None) is None


def test_deliveries_lose_the_address_and_the_providers_text_only():
    deliveries = {"email": {"status": "sent", "to": "ana@mail.example", "provider_id": "p1"},
                  "sms": {"status": "failed", "to": "+34611222333", "error": "bad number +34611222333", "segments": 1}}
    assert scrubbed_deliveries(deliveries) == {
        "email": {"status": "sent", "to": ERASED, "provider_id": "p1"},
        "sms": {"status": "failed", "to": ERASED, "error": ERASED, "segments": 1}}


def test_contacts_are_normalised_before_hashing_and_the_business_is_part_of_the_hash():
    assert normalised("email", "  Ana@Mail.EXAMPLE ") == "ana@mail.example"
    assert normalised("phone", "0034 611 22 23 33") == "+34611222333"
    assert normalised("phone", "not a phone") == "not a phone" and normalised("email", " ") is None
    same = digests(KEY, "biz_a", Contacts("ANA@mail.example", "+34 611 222 333"))
    assert same == digests(KEY, "biz_a", Contacts("ana@mail.example", "0034611222333"))
    assert [d.split("#")[0] for d in same] == ["email", "phone"] and "ana" not in "".join(same)
    assert set(same).isdisjoint(digests(KEY, "biz_b", Contacts("ana@mail.example", "+34611222333")))
    assert set(same).isdisjoint(digests(b"other", "biz_a", Contacts("ana@mail.example", "+34611222333")))
    assert digests(KEY, "biz_a", Contacts()) == []


def test_only_future_pending_or_confirmed_appointments_are_cancelled():
    booked = appointment()  # confirmed
    before_it, after_it = booked.start - timedelta(hours=1), booked.start + timedelta(minutes=1)
    assert cancelled_on_erasure(booked, before_it)
    assert cancelled_on_erasure(replace(booked, status=AppointmentStatus.PENDING), before_it)
    assert not cancelled_on_erasure(booked, after_it)  # begun: history
    for status in (AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED):
        assert not cancelled_on_erasure(replace(booked, status=status), before_it)
