"""Messages leave through the outbox: written with the booking change, sent by the job, once."""
from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.model import Approval, AppointmentStatus, BookingRules
from chalicelib.domain.messages import MessageKind
from chalicelib.domain.notification_settings import NotificationSettings
from chalicelib.repositories import messages
from chalicelib.repositories.notification_settings import save_notification_settings
from chalicelib.repositories.tables import OutboxItem
from tests import factories
from tests.api.helpers import post
from tests.notifications.delivery_helpers import (
    NOW, TUESDAY_11, book, client_id_of, deliver, emails, later, log_of, sms,
)


def outbox() -> list[OutboxItem]:
    return list(OutboxItem.scan())


def test_a_booking_and_its_outbox_item_are_one_write_and_nothing_is_sent_before_the_job(client, salon, ses):
    made = book(client)
    [item] = outbox()
    assert (item.reference, item.message_kind, item.status) == (made["reference"], "confirmed", "pending")
    assert emails() == [] and sms() == []


def test_a_refused_booking_leaves_no_outbox_item(client, salon, ses):
    book(client)
    taken = post(client, "/public/salon/bookings",
                 {"service": "svc_cut", "staff": "stf_ana", "start": TUESDAY_11,
                  "client": {"first_name": "Otra", "last_name": "Vez", "email": "otra@example.com"}})
    assert taken.status_code == 409
    assert len(outbox()) == 1


def test_an_automatically_confirmed_booking_sends_email_with_invitation_and_sms(client, salon, ses, store):
    made = book(client)
    report = deliver(client)
    [mail] = emails()
    assert mail.to == "eva@example.com" and made["reference"] in mail.text
    assert "/b/salon/manage/" + made["reference"] + "?token=" + made["manage_token"] in mail.text
    assert mail.ics and "METHOD:REQUEST" in mail.ics
    [(phone, text)] = sms()
    assert phone == "+34612345678" and text
    assert report["sent"] == 2
    log = log_of("biz_salon", client_id_of(store, made["reference"]))
    assert sorted((e.kind, e.channel, e.status) for e in log) == [
        ("confirmed", "email", "sent"), ("confirmed", "sms", "sent")]
    [sms_entry] = [e for e in log if e.channel == "sms"]
    assert sms_entry.segments >= 1 and sms_entry.encoding in ("GSM-7", "UCS-2") and sms_entry.provider_id
    assert outbox()[0].status == "done"


def test_a_second_run_sends_nothing_again(client, salon, ses):
    book(client)
    deliver(client)
    again = deliver(client)
    assert len(emails()) == 1 and len(sms()) == 1
    assert again["sent"] == 0


def test_manual_approval_sends_pending_then_confirmed_when_staff_approve(client, store, ses, clock):
    factories.seed(store, factories.salon(rules=BookingRules(approval=Approval.MANUAL)))
    made = book(client)
    deliver(client)
    assert [m.subject for m in emails()] and len(sms()) == 0  # pending goes by email only by default
    before = store.appointment(made["reference"])
    later(clock, minutes=5)
    factories.change(store, before, before.with_status(AppointmentStatus.CONFIRMED, clock["value"]))
    deliver(client)
    log = log_of("biz_salon", before.client_id)
    assert sorted((e.kind, e.channel) for e in log) == [
        ("confirmed", "email"), ("confirmed", "sms"), ("pending", "email")]


def test_staff_reject_a_pending_booking(client, store, ses, clock):
    factories.seed(store, factories.salon(rules=BookingRules(approval=Approval.MANUAL)))
    made = book(client)
    before = store.appointment(made["reference"])
    factories.change(store, before, before.with_status(AppointmentStatus.REJECTED, clock["value"]))
    deliver(client)
    kinds = sorted((e.kind, e.channel) for e in log_of("biz_salon", before.client_id))
    assert kinds == [("pending", "email"), ("rejected", "email"), ("rejected", "sms")]


@pytest.mark.parametrize("by", ["client", "business"])
def test_a_cancellation_is_told_whoever_cancels(client, salon, store, ses, clock, by):
    made = book(client)
    deliver(client)
    later(clock, minutes=1)
    if by == "client":
        response = post(client, f"/public/bookings/{made['reference']}/cancel?token={made['manage_token']}", {})
        assert response.status_code == 200
    else:
        before = store.appointment(made["reference"])
        factories.change(store, before, before.with_status(AppointmentStatus.CANCELLED, clock["value"]))
    deliver(client)
    assert len(emails()) == 2 and "METHOD:CANCEL" in emails()[1].ics
    assert len(sms()) == 2
    kinds = [e.kind for e in log_of("biz_salon", client_id_of(store, made["reference"]))]
    assert kinds.count("cancelled") == 2


def test_a_reschedule_says_the_new_time(client, salon, store, ses, clock):
    made = book(client)
    deliver(client)
    later(clock, minutes=1)
    moved = post(client, f"/public/bookings/{made['reference']}/reschedule?token={made['manage_token']}",
                 {"start": "2026-03-25T12:00:00+01:00"})
    assert moved.status_code == 200, moved.body
    [item] = [i for i in outbox() if i.message_kind == "rescheduled"]
    assert item.previous_start.isoformat().startswith("2026-03-24T10:00")
    deliver(client)
    assert len(emails()) == 2 and "12:00" in emails()[1].text
    assert "12:00" in sms()[1][1]


def test_staff_moving_a_booking_to_another_professional_tells_the_client(client, salon, store, ses, clock):
    made = book(client, start="2026-03-24T11:00:00+01:00")
    before = store.appointment(made["reference"])
    factories.change(store, before, replace(before, staff_id="stf_bea", updated_at=clock["value"]))
    [item] = [i for i in outbox() if i.message_kind == "rescheduled"]
    assert item.reference == made["reference"]


def test_toggles_per_kind_and_channel_are_honoured(client, salon, ses):
    save_notification_settings("biz_salon", NotificationSettings(
        email=frozenset(MessageKind), sms=frozenset(MessageKind) - {MessageKind.CONFIRMED}))
    book(client)
    deliver(client)
    assert len(emails()) == 1 and sms() == []


def test_a_client_without_email_gets_sms_only(client, salon, ses, store):
    made = book(client, email=None)
    deliver(client)
    assert emails() == [] and len(sms()) == 1
    assert [e.channel for e in log_of("biz_salon", client_id_of(store, made["reference"]))] == ["sms"]


def test_everything_off_sends_nothing_and_logs_nothing(client, salon, ses, store):
    save_notification_settings("biz_salon", NotificationSettings(email=frozenset(), sms=frozenset()))
    made = book(client)
    deliver(client)
    assert emails() == [] and sms() == []
    assert log_of("biz_salon", client_id_of(store, made["reference"])) == []
    assert outbox()[0].status == "done"


def test_counts_per_kind_and_channel_over_a_period(client, salon, ses, store, clock):
    first = book(client)
    book(client, start="2026-03-24T12:00:00+01:00", email="otro@example.com", phone=None)
    deliver(client)
    later(clock, minutes=1)
    post(client, f"/public/bookings/{first['reference']}/cancel?token={first['manage_token']}", {})
    deliver(client)
    from datetime import date

    found = {(c.kind, c.channel): (c.sent, c.failed) for c in
             messages.counts("biz_salon", date(2026, 3, 23), date(2026, 3, 23))}
    assert found == {("confirmed", "email"): (2, 0), ("confirmed", "sms"): (1, 0),
                     ("cancelled", "email"): (1, 0), ("cancelled", "sms"): (1, 0)}
    assert messages.counts("biz_salon", date(2026, 3, 24), date(2026, 3, 30)) == []


def test_the_ses_configuration_set_and_sms_sender_id_go_with_each_send(client, salon, ses, monkeypatch, settings_env):
    from chalicelib import wiring

    seen = {}
    real_email, real_sms = wiring.sesv2().send_email, wiring.sns().publish
    monkeypatch.setattr(wiring.sesv2(), "send_email", lambda **kw: seen.setdefault("email", kw) and real_email(
        **{k: v for k, v in kw.items() if k != "ConfigurationSetName"}))
    monkeypatch.setattr(wiring.sns(), "publish", lambda **kw: seen.setdefault("sms", kw) and real_sms(**kw))
    settings_env(TURNO_SES_CONFIGURATION_SET="turno-test-events", TURNO_SMS_SENDER_ID="Turno")
    book(client)
    deliver(client)
    assert seen["email"]["ConfigurationSetName"] == "turno-test-events"  # bounces reach our topic through it
    assert seen["sms"]["MessageAttributes"]["AWS.SNS.SMS.SenderID"]["StringValue"] == "Turno"
    assert seen["sms"]["MessageAttributes"]["AWS.SNS.SMS.SMSType"]["StringValue"] == "Transactional"
    assert len(emails()) == 1 and len(sms()) == 1


def test_a_client_with_only_a_mobile_number_gets_sms_there(salon, ses, store, clock, client):
    """Staff may record a mobile and no phone: messages still reach the client (issue 11)."""
    from chalicelib import wiring
    from chalicelib.domain.clients import ClientProfile
    from chalicelib.domain.model import Appointment, Source, new_reference

    profile = ClientProfile(id="cli_mobile", first_name="Marta", last_name="Móvil", mobile="+34611222333",
                            created_at=clock["value"])
    wiring.clients().create(salon.id, profile)
    cut = factories.services()[0]
    span, busy = cut.occupies(clock["value"].replace(day=24, hour=10))
    factories.book(store, Appointment(
        reference=new_reference(), business_id=salon.id, client_id=profile.id, service_id=cut.id,
        staff_id="stf_ana", start=span.start, end=span.end, busy=busy, status=AppointmentStatus.CONFIRMED,
        source=Source.BACKOFFICE, price=cut.price, currency="EUR", created_at=clock["value"],
        updated_at=clock["value"]))
    deliver(client)
    assert [to for to, _ in sms()] == ["+34611222333"] and emails() == []
