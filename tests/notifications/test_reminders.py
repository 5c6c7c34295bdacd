"""The reminder job: found by a query on the `due` index, sent once, following cancellations,
reschedules and DST. Leads are elapsed time: 48 hours before is 48 real hours, whatever the clocks do."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib import wiring
from chalicelib.domain.calendar import UTC
from chalicelib.domain.model import AppointmentStatus
from chalicelib.jobs import reminders
from chalicelib.notifications import delivery, outbox
from chalicelib.domain.messages import MessageKind
from chalicelib.domain.notification_settings import NotificationSettings
from chalicelib.repositories import messages
from chalicelib.repositories.notification_settings import save_notification_settings
from chalicelib.repositories.tables import AppointmentItem
from tests.api.helpers import post
from tests.notifications.delivery_helpers import book, client_id_of, deliver, emails, later, log_of, remind, sms

MON_10Z = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # 24 hours before Tuesday 11:00 in Madrid


def at(clock, when: datetime) -> None:
    clock["value"] = when


def leads(*hours: float) -> None:
    save_notification_settings("biz_salon", NotificationSettings(
        reminder_lead_times=tuple(timedelta(hours=h) for h in hours)))


def reminders_sent(store, reference) -> list[tuple[str, str]]:
    return sorted((e.channel, e.at.isoformat()) for e in log_of("biz_salon", client_id_of(store, reference))
                  if e.kind == "reminder")


def test_a_reminder_goes_24_hours_before_once(client, salon, store, ses, clock):
    made = book(client)  # Tuesday 11:00 Madrid = 10:00 UTC, booked Monday 07:00 UTC
    deliver(client)  # the confirmation; it also schedules the reminder
    at(clock, MON_10Z - timedelta(minutes=1))
    assert remind(client)["reminders"] == 0
    at(clock, MON_10Z)
    assert remind(client)["reminders"] == 1
    assert remind(client)["reminders"] == 0
    later(clock, minutes=5)
    remind(client)
    deliver(client)
    assert reminders_sent(store, made["reference"]) == [("email", "2026-03-23T10:00:00+00:00"),
                                                         ("sms", "2026-03-23T10:00:00+00:00")]
    assert len(emails()) == 2 and len(sms()) == 2
    assert AppointmentItem.get(f"APPT#{made['reference']}", "APPT").due_pk is None  # nothing more to remind


def test_two_lead_times_send_two_reminders_each_once(client, salon, store, ses, clock):
    leads(24, 2)
    made = book(client)
    deliver(client)
    for when in (MON_10Z, MON_10Z + timedelta(minutes=5), datetime(2026, 3, 24, 8, 0, tzinfo=UTC),
                 datetime(2026, 3, 24, 8, 5, tzinfo=UTC), datetime(2026, 3, 24, 9, 55, tzinfo=UTC)):
        at(clock, when)
        remind(client)
    sent = reminders_sent(store, made["reference"])
    assert [t for c, t in sent if c == "email"] == ["2026-03-23T10:00:00+00:00", "2026-03-24T08:00:00+00:00"]
    assert len(sent) == 4


def test_a_cancelled_appointment_is_not_reminded_and_not_even_read(client, salon, store, ses, clock):
    made = book(client)
    deliver(client)
    later(clock, minutes=1)
    post(client, f"/public/bookings/{made['reference']}/cancel?token={made['manage_token']}", {})
    deliver(client)
    assert list(messages.due_reminders(MON_10Z + timedelta(days=1))) == []
    at(clock, MON_10Z)
    assert remind(client)["reminders"] == 0
    assert reminders_sent(store, made["reference"]) == []


def test_a_rejected_or_past_appointment_found_in_the_index_is_dropped(client, salon, store, ses, clock):
    made = book(client)
    deliver(client)
    at(clock, datetime(2026, 3, 24, 10, 30, tzinfo=UTC))  # the job was down until after the appointment
    assert remind(client)["reminders"] == 0
    assert reminders_sent(store, made["reference"]) == []
    assert list(messages.due_reminders(clock["value"])) == []


def test_a_rescheduled_appointment_is_reminded_relative_to_its_new_time(client, salon, store, ses, clock):
    made = book(client)
    deliver(client)
    later(clock, minutes=1)
    moved = post(client, f"/public/bookings/{made['reference']}/reschedule?token={made['manage_token']}",
                 {"start": "2026-03-25T12:00:00+01:00"})
    assert moved.status_code == 200
    deliver(client)
    at(clock, MON_10Z)
    assert remind(client)["reminders"] == 0
    at(clock, datetime(2026, 3, 24, 11, 0, tzinfo=UTC))
    assert remind(client)["reminders"] == 1
    assert reminders_sent(store, made["reference"])[0] == ("email", "2026-03-24T11:00:00+00:00")


def test_a_booking_made_after_a_reminder_was_due_gets_only_the_later_ones(client, salon, store, ses, clock):
    leads(24, 2)
    at(clock, datetime(2026, 3, 23, 12, 0, tzinfo=UTC))  # 22 hours before Tuesday 11:00 Madrid
    made = book(client)
    deliver(client)
    for when in (datetime(2026, 3, 23, 12, 5, tzinfo=UTC), datetime(2026, 3, 24, 8, 0, tzinfo=UTC)):
        at(clock, when)
        remind(client)
    assert [t for c, t in reminders_sent(store, made["reference"]) if c == "email"] == ["2026-03-24T08:00:00+00:00"]


def test_reminders_switched_off_send_nothing(client, salon, store, ses, clock):
    save_notification_settings("biz_salon", NotificationSettings(
        email=frozenset(MessageKind) - {MessageKind.REMINDER}, sms=frozenset()))
    made = book(client)
    deliver(client)
    at(clock, MON_10Z)
    remind(client)
    assert reminders_sent(store, made["reference"]) == [] and len(emails()) == 1


def test_a_run_that_saw_a_reminder_late_sends_nothing_twice(client, salon, store, ses, clock):
    made = book(client)
    deliver(client)
    at(clock, MON_10Z)
    seen = list(messages.due_reminders(clock["value"]))
    remind(client)
    for due in seen:
        reminder = outbox.reminder_message(due, clock["value"])
        assert messages.take_reminder(due, outbox.next_reminder(due, clock["value"]), reminder) is None
    assert len(reminders_sent(store, made["reference"])) == 2


def test_two_reminder_runs_at_once_send_each_reminder_once(client, salon, store, ses, clock, serialised_moto):
    for hour in ("10", "11", "12"):
        book(client, start=f"2026-03-24T{hour}:00:00+01:00", email=f"c{hour}@example.com", phone=None)
    deliver(client)
    at(clock, datetime(2026, 3, 23, 11, 0, tzinfo=UTC))
    barrier, reports = threading.Barrier(2), []

    def run():
        barrier.wait()
        reports.append(reminders.send_due_reminders(delivery.Run(clock["value"], store, wiring.senders())))

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    reminder_mails = [m.to for m in emails()[3:]]
    assert sorted(reminder_mails) == ["c10@example.com", "c11@example.com", "c12@example.com"]
    assert sum(r["reminders"] for r in reports) == 3


def test_across_the_spring_dst_change_a_48_hour_lead_is_48_real_hours(client, salon, store, ses, clock):
    # Monday 30 March 09:00 in Madrid is 07:00 UTC (summer time since Sunday 29 March, 02:00).
    leads(48)
    made = book(client, start="2026-03-30T09:00:00+02:00")
    deliver(client)
    item = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")
    assert item.due_sk.startswith("2026-03-28T07:00:00Z")  # Saturday 08:00 in Madrid, not 09:00
    at(clock, datetime(2026, 3, 28, 6, 59, tzinfo=UTC))
    assert remind(client)["reminders"] == 0
    at(clock, datetime(2026, 3, 28, 7, 0, tzinfo=UTC))
    assert remind(client)["reminders"] == 1


def test_across_the_autumn_dst_change_too(store, salon, clock):
    from chalicelib.notifications.outbox import reminder_due

    start = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # Monday 10:00 in Madrid (winter time since Sunday)
    due, _ = reminder_due(start, [timedelta(hours=24)], datetime(2026, 10, 1, tzinfo=UTC))
    assert due == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # Sunday 10:00 in Madrid: the clock went back
    assert (start - due) == timedelta(hours=24)


@pytest.mark.parametrize("due", [0, 1, 4])
def test_a_run_reads_the_index_not_the_table_and_its_cost_grows_with_what_is_due(client, salon, store, ses,
                                                                                  clock, due):
    # given `due` appointments whose reminder is due and eight that are not (later in the week)
    for i in range(due):
        book(client, start=f"2026-03-24T{9 + i:02d}:00:00+01:00", email=f"due{i}@example.com", phone=None)
    for i in range(8):
        book(client, start=f"2026-03-{25 + i // 4}T{14 + i % 4}:00:00+01:00", email=f"later{i}@example.com",
             phone=None)
    deliver(client)
    # when the job runs with them due
    at(clock, datetime(2026, 3, 23, 14, 0, tzinfo=UTC))
    with counting_dynamodb_calls() as calls:
        report = reminders.send_due_reminders(delivery.Run(clock["value"], store, wiring.senders()))
    # then it queried the index (one query per day partition), never scanned, and paid per due reminder
    assert report["reminders"] == due and len(emails()) == 8 + 2 * due
    ops = calls.operations()
    assert ops["Scan"] == 0 and ops["Query"] == messages.LOOKBACK_DAYS + 1 + (2 if due else 0), calls.detail()
    per_business = 2 if due else 0  # the catalog and the notification settings, once per business per run
    assert len(calls) == messages.LOOKBACK_DAYS + 1 + per_business + due * PER_REMINDER, calls.detail()


# take (1 transaction) + claim (1 update) + client (1 get) + marks (1 batch get) + record (1 transaction)
PER_REMINDER = 5
