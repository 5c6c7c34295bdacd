"""DynamoDB Local's real stream, read as `make dev` reads it (infra/local/stream.py): what a committed
change recorded reaches the stream function once, with the images Lambda would hand it."""
from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.domain.events import EventName
from chalicelib.jobs import stream
from chalicelib.notifications import delivery
from chalicelib.repositories.tables import Item
from chalicelib.services import booking
from chalicelib.services.booking import BookingRequest, ClientDetails
from infra.local.stream import StreamPump
from tests.factories import NOW

KEY = b"turno-test-insecure-signing-key"


class Outbox:
    """Senders that keep what they were given (the real ones are moto's or AWS's, not DynamoDB Local's)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def email(self, message, sender: str) -> str:
        self.sent.append(("email", message.to))
        return f"email-{len(self.sent)}"

    def sms(self, message) -> str:
        self.sent.append(("sms", message.to))
        return f"sms-{len(self.sent)}"


@pytest.fixture
def pump(dynamodb, store, monkeypatch):
    outbox, heard, reports = Outbox(), [], []
    # the features subscribe when first loaded: loaded here, not into the stand-in below (lost to later tests)
    from chalicelib.jobs import client_activity, marketing, report_counters, waitlist_offers  # noqa: F401
    monkeypatch.setattr(stream, "SUBSCRIBERS", {name: [heard.append] for name in EventName})

    def invoke(event: dict) -> None:
        reports.append(stream.handle(event["Records"], delivery.Run(NOW, store, send=outbox)))

    pump = StreamPump(Item.Meta.table_name, invoke, region="eu-west-1")
    pump.poll()  # from the end of the stream, as `make dev` starts
    return pump, outbox, heard, reports


def test_a_booking_reaches_the_stream_function_with_its_events_and_message(store, salon, pump):
    pump, outbox, heard, _ = pump
    made = booking.book(store, salon.slug, BookingRequest(
        "svc_cut", "stf_ana", datetime.fromisoformat("2026-03-24T11:00:00+01:00"),
        ClientDetails("Eva", "Stream", "eva.stream@example.com", "+34600111222")), "127.0.0.1", NOW)
    assert pump.poll() >= 2  # the appointment, the new client, its contact keys, words, the outbox item...
    assert [(e.name, e.reference) for e in heard] == [(EventName.BOOKED, made.appointment.reference)]
    assert sorted(outbox.sent) == [("email", "eva.stream@example.com"), ("sms", "+34600111222")]
    # delivering the message updated its outbox item and armed the reminders: records with no new event
    pump.poll()
    assert len(heard) == 1 and len(outbox.sent) == 2


def test_a_cancellation_frees_the_time_once(store, salon, pump):
    pump, outbox, heard, _ = pump
    made = booking.book(store, salon.slug, BookingRequest(
        "svc_color", "stf_ana", datetime.fromisoformat("2026-03-24T15:00:00+01:00"),
        ClientDetails("Leo", "Stream", "leo.stream@example.com", None)), "127.0.0.1", NOW)
    from chalicelib.domain.access import manage_token

    reference = made.appointment.reference
    booking.cancel_by_client(store, reference, manage_token(KEY, reference), KEY, NOW)
    pump.poll()
    pump.poll()
    names = [e.name for e in heard if e.reference == reference]
    assert names == [EventName.BOOKED, EventName.CANCELLED, EventName.TIME_FREED]
    freed = heard[-1]
    assert (freed.interval.start, freed.interval.end) == (made.appointment.busy.start, made.appointment.busy.end)


def test_time_off_removed_reaches_the_stream_function_once_from_the_change_s_audit_entry(store, salon, pump):
    from chalicelib.domain.model import ResourceRef
    from chalicelib.domain.principal import Level, Principal
    from chalicelib.services import team

    pump, _, heard, _ = pump
    manager = Principal(business_id=salon.id, staff_id="stf_boss", level=Level.MANAGER, email="boss@example.com")
    team.update_member(manager, "stf_bea", {"time_off": []}, NOW, agenda=(store, None))  # her Thursday off
    pump.poll()
    pump.poll()
    freed = [e for e in heard if e.name is EventName.TIME_FREED and e.business_id == salon.id]
    assert [(e.reference, e.resource, e.by) for e in freed] == [("staff:stf_bea", ResourceRef("staff", "stf_bea"),
                                                                "stf_boss")]
    assert freed[0].interval.start.isoformat() == "2026-03-26T09:00:00+00:00"  # 10:00-19:00 in Madrid
