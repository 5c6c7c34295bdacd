"""Exactly once: duplicated and overlapping job runs, SES/SNS failures and their retries, interrupted sends."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from chalicelib import wiring
from chalicelib.notifications import delivery, outbox
from chalicelib.repositories import messages
from chalicelib.repositories.tables import OutboxItem
from tests.notifications.delivery_helpers import book, client_id_of, deliver, emails, later, log_of, sms


class Flaky:
    """A boto3 client whose `operation` fails the first `failures` times, like an SES/SNS outage."""

    def __init__(self, real, operation: str, failures: int) -> None:
        self.real, self.operation, self.failures, self.calls = real, operation, failures, 0

    def __getattr__(self, name):
        attribute = getattr(self.real, name)
        if name != self.operation:
            return attribute

        def call(**kwargs):
            self.calls += 1
            if self.calls <= self.failures:
                raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, name)
            return attribute(**kwargs)

        return call


class LostReply:
    """A boto3 client whose `operation` reaches the provider, which sends the message, and then the answer
    is lost (a read timeout, a dropped connection) the first `losses` times."""

    def __init__(self, real, operation: str, losses: int, error=ReadTimeoutError) -> None:
        self.real, self.operation, self.losses, self.error, self.calls = real, operation, losses, error, 0

    def __getattr__(self, name):
        attribute = getattr(self.real, name)
        if name != self.operation:
            return attribute

        def call(**kwargs):
            self.calls += 1
            answer = attribute(**kwargs)  # the provider accepted it
            if self.calls <= self.losses:
                raise self.error(endpoint_url="https://provider.invalid/")
            return answer

        return call


@pytest.fixture
def flaky_ses(ses, monkeypatch):
    def install(failures: int) -> Flaky:
        flaky = Flaky(wiring.sesv2(), "send_email", failures)
        monkeypatch.setattr(wiring, "sesv2", lambda: flaky)
        return flaky

    return install


def test_an_ses_failure_leaves_the_email_for_the_retry_and_the_sms_goes_once(client, salon, store, clock,
                                                                             flaky_ses):
    flaky_ses(1)
    made = book(client)
    first = deliver(client)
    assert emails() == [] and len(sms()) == 1 and first["retry"] == 1
    [item] = OutboxItem.scan()
    assert item.deliveries["email"]["status"] == "retry" and item.deliveries["sms"]["status"] == "sent"

    assert deliver(client)["sent"] == 0  # not due yet: the backoff is one minute
    later(clock, minutes=1)
    assert deliver(client)["sent"] == 1
    assert len(emails()) == 1 and len(sms()) == 1
    later(clock, hours=1)
    deliver(client)
    assert len(emails()) == 1 and len(sms()) == 1
    log = log_of("biz_salon", client_id_of(store, made["reference"]))
    assert sorted((e.channel, e.status) for e in log) == [("email", "sent"), ("sms", "sent")]


def test_an_sns_failure_is_retried_without_sending_the_email_again(client, salon, ses, monkeypatch, clock):
    flaky = Flaky(wiring.sns(), "publish", 2)
    monkeypatch.setattr(wiring, "sns", lambda: flaky)
    book(client)
    deliver(client)
    later(clock, minutes=1)
    deliver(client)
    assert len(sms()) == 0
    later(clock, minutes=2)
    deliver(client)
    assert len(emails()) == 1 and len(sms()) == 1 and flaky.calls == 3


def test_a_refused_message_is_retried_until_the_appointment_starts_then_failed_and_listed(client, salon, store,
                                                                                        clock, flaky_ses):
    """Given SES refuses every email, when the job keeps running, then the email is tried again well beyond
    15 minutes, up to the appointment's start (Tuesday 10:00 UTC); the last try before it is failed and listed."""
    from datetime import datetime, timezone

    flaky = flaky_ses(10_000)
    made = book(client)
    start = datetime(2026, 3, 24, 10, 0, tzinfo=timezone.utc)
    tries_at = []
    while clock["value"] < start + timedelta(hours=2):
        before = flaky.calls
        deliver(client)
        if flaky.calls > before:
            tries_at.append(clock["value"])
        later(clock, minutes=30)
    assert emails() == [] and flaky.calls == len(tries_at) > 5
    assert tries_at[-1] < start and tries_at[-1] >= start - outbox.LONGEST_WAIT - timedelta(minutes=30)
    [item] = OutboxItem.scan()
    assert item.status == "failed" and item.due_pk is None
    failed = messages.client_log("biz_salon", client_id_of(store, made["reference"]), status="failed")
    assert [(e.channel, e.kind, e.attempts) for e in failed] == [("email", "confirmed", flaky.calls)]
    assert "Rate exceeded" in failed[0].error and failed[0].at == tries_at[-1]  # the next try would be too late


def test_a_throttle_that_lasts_an_hour_delays_the_message_but_does_not_lose_it(client, salon, clock, flaky_ses):
    flaky = flaky_ses(8)  # 1, 2, 4, 8, 16, 30, 30, 30 minutes: refused for about two hours
    book(client)
    for _ in range(30):
        deliver(client)
        later(clock, minutes=10)
    assert len(emails()) == 1 and flaky.calls == 9


def test_a_retry_a_late_job_finds_after_the_appointment_started_is_failed_not_sent(client, salon, store, clock,
                                                                                   flaky_ses):
    flaky = flaky_ses(1)
    made = book(client)  # Tuesday 10:00 UTC
    deliver(client)
    later(clock, hours=28)  # the job stopped, and runs again at 11:00 on Tuesday
    deliver(client)
    assert emails() == [] and flaky.calls == 1
    failed = messages.client_log("biz_salon", client_id_of(store, made["reference"]), status="failed")
    assert [e.channel for e in failed] == ["email"] and "too late" in failed[0].error


def test_the_backoff_doubles_up_to_30_minutes_between_tries(clock):
    now = clock["value"]
    far = now + timedelta(days=7)
    waits = [(outbox.retry_at(now, n, far) - now).total_seconds() / 60 for n in range(1, 9)]
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    assert outbox.retry_at(now, 10_000, far) == now + timedelta(minutes=30)


def test_retries_stop_at_the_appointments_start_or_after_a_day(clock):
    now = clock["value"]
    start = now + timedelta(hours=3)
    assert outbox.retry_until(now, start) == start  # a confirmation or a reminder: until the appointment
    assert outbox.retry_until(now, now - timedelta(hours=1)) == now + timedelta(hours=24)  # already started
    assert outbox.retry_until(now, None) == now + timedelta(hours=24)
    assert outbox.retry_at(start - timedelta(minutes=31), 20, start) == start - timedelta(minutes=1)
    assert outbox.retry_at(start - timedelta(minutes=30), 20, start) is None  # the next try would be too late
    assert outbox.retry_at(start - timedelta(seconds=30), 1, start) is None


def test_a_run_that_saw_the_item_late_sends_nothing_twice(client, salon, store, clock, ses):
    book(client)
    seen_by_slow_run = list(messages.due_outbox(clock["value"]))
    deliver(client)  # a second run overtakes it and sends everything
    slow = delivery.Run(clock["value"], store, wiring.senders())
    for item in seen_by_slow_run:
        delivery.deliver(item, slow)
    assert len(emails()) == 1 and len(sms()) == 1 and slow.report["sent"] == 0


def test_two_runs_at_the_same_time_send_each_message_once(client, salon, store, clock, ses, serialised_moto):
    for hour in ("10", "11", "12"):
        book(client, start=f"2026-03-24T{hour}:00:00+01:00", email=f"c{hour}@example.com", phone=None)
    barrier = threading.Barrier(2)
    reports = []

    def run():
        barrier.wait()
        reports.append(delivery.drain(delivery.Run(clock["value"], store, wiring.senders())))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.to for m in emails()) == ["c10@example.com", "c11@example.com", "c12@example.com"]
    assert sum(r["sent"] for r in reports) == 3


def test_a_run_that_died_mid_send_is_not_sent_again_but_shown_as_failed(client, salon, store, clock, ses):
    made = book(client)
    [item] = messages.due_outbox(clock["value"])
    assert messages.claim(item, clock["value"] + outbox.LEASE)  # claimed, then the Lambda died before recording anything
    assert deliver(client)["sent"] == 0  # the claim still holds
    later(clock, minutes=outbox.LEASE.seconds // 60)
    deliver(client)
    assert emails() == [] and sms() == []
    failed = messages.client_log("biz_salon", client_id_of(store, made["reference"]), status="failed")
    assert sorted(e.channel for e in failed) == ["email", "sms"]
    assert all("interrupted" in e.error for e in failed)


def test_an_item_whose_business_is_gone_does_not_hold_up_the_others(client, salon, store, clock, ses):
    from chalicelib.repositories.tables import BusinessItem

    book(client)
    book(client, start="2026-03-24T12:00:00+01:00", email="otra@example.com", phone=None)
    [first, second] = sorted(OutboxItem.scan(), key=lambda i: i.due_sk)
    first.update(actions=[OutboxItem.appointment.set({**first.appointment, "business_id": "biz_gone"})])  # as if its business were deleted
    report = deliver(client)
    second_email = store.client("biz_salon", second.client_id).email
    assert [m.to for m in emails()] == [second_email]
    assert OutboxItem.get(first.pk, first.sk).status == "done"  # nobody to tell: done, nothing sent
    assert report.get("errors", 0) == 0


def test_a_transaction_conflict_on_the_days_counter_does_not_turn_a_sent_message_into_a_failed_one(
        client, salon, store, clock, ses, monkeypatch):
    """Given two runs finishing together, when DynamoDB cancels this run's bookkeeping for the other's
    update of the same day's counter, then it is recorded on the next try: sent, logged and counted once."""
    from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

    real = messages.TransactWrite
    cancelled = []

    class ConflictOnce(real):
        def __exit__(self, *exc):
            if not cancelled and exc[0] is None:
                cancelled.append(True)  # DynamoDB cancelled it: nothing of it is written
                cause = VerboseClientError(
                    {"Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"}},
                    "TransactWriteItems", {}, cancellation_reasons=[
                        None, None, CancellationReason(code="TransactionConflict",
                                                       message="Transaction is ongoing for the item")])
                raise TransactWriteError("Failed to write transaction items", cause)
            return super().__exit__(*exc)

    monkeypatch.setattr(messages, "TransactWrite", ConflictOnce)
    monkeypatch.setattr(messages, "FINISH_PAUSE", 0)
    made = book(client)
    report = deliver(client)
    assert cancelled and report["sent"] == 2 and report.get("errors", 0) == 0
    later(clock, hours=1)
    deliver(client)
    assert len(emails()) == 1 and len(sms()) == 1
    log = log_of("biz_salon", client_id_of(store, made["reference"]))
    assert sorted((e.channel, e.status) for e in log) == [("email", "sent"), ("sms", "sent")]
    [item] = OutboxItem.scan()
    assert item.status == "done"
    day = clock["value"].date()
    counted = messages.counts("biz_salon", day - timedelta(days=1), day)
    assert sorted((c.channel, c.sent, c.failed) for c in counted) == [("email", 1, 0), ("sms", 1, 0)]


def test_a_message_whose_answer_was_lost_is_not_sent_again_and_is_shown_unconfirmed(client, salon, store, clock,
                                                                                  ses, monkeypatch):
    """Given SES sent the email but its answer timed out (and SNS's connection closed after the SMS went out),
    when the jobs run again and again, then each message went out once, and the log says `unconfirmed`."""
    email_lost = LostReply(wiring.sesv2(), "send_email", 1)
    sms_lost = LostReply(wiring.sns(), "publish", 1, error=ConnectionClosedError)
    monkeypatch.setattr(wiring, "sesv2", lambda: email_lost)
    monkeypatch.setattr(wiring, "sns", lambda: sms_lost)
    made = book(client)
    first = deliver(client)
    assert first["unconfirmed"] == 2 and first["retry"] == 0
    for _ in range(6):
        later(clock, minutes=20)
        deliver(client)
    assert len(emails()) == 1 and len(sms()) == 1 and email_lost.calls == 1 and sms_lost.calls == 1
    log = log_of("biz_salon", client_id_of(store, made["reference"]))
    assert sorted((e.channel, e.status) for e in log) == [("email", "unconfirmed"), ("sms", "unconfirmed")]
    assert all("not confirmed" in e.error for e in log)
    [item] = OutboxItem.scan()
    assert item.status == "done" and item.due_pk is None


def test_a_reminder_whose_answer_was_lost_is_not_sent_again(client, salon, store, clock, ses, monkeypatch):
    from tests.notifications.delivery_helpers import remind

    book(client)
    deliver(client)
    lost = LostReply(wiring.sesv2(), "send_email", 1)
    monkeypatch.setattr(wiring, "sesv2", lambda: lost)
    sent_before = len(emails())
    later(clock, hours=23)  # the 24-hour reminder of Tuesday 11:00 is due
    remind(client)
    deliver(client)
    for _ in range(4):
        later(clock, minutes=10)
        remind(client)
        deliver(client)
    assert len(emails()) == sent_before + 1 and lost.calls == 1


def test_botocore_does_not_resend_on_its_own_after_a_lost_answer(ses, monkeypatch):
    """The senders' clients make one HTTP request per send: botocore's own retries would resend a message
    the provider may already have accepted."""
    from chalicelib.adapters.aws_senders import AwsSenders
    from chalicelib.ports import SendUnconfirmedError

    wiring.sesv2.cache_clear()
    wiring.sns.cache_clear()
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # botocore's backoff, if it retried
    tries = {"sesv2": 0, "sns": 0}

    def lose(service):
        def handler(**kwargs):
            tries[service] += 1
            raise ReadTimeoutError(endpoint_url="https://provider.invalid/")
        return handler

    ses_client, sns_client = wiring.sesv2(), wiring.sns()
    ses_client.meta.events.register_first("before-send.sesv2.SendEmail", lose("sesv2"))
    sns_client.meta.events.register_first("before-send.sns.Publish", lose("sns"))
    try:
        senders = AwsSenders(lambda: ses_client, lambda: sns_client)
        from tests.contract.test_senders import EMAIL, SENDER, SMS
        with pytest.raises(SendUnconfirmedError):
            senders.email(EMAIL, SENDER)
        with pytest.raises(SendUnconfirmedError):
            senders.sms(SMS)
        assert tries == {"sesv2": 1, "sns": 1}
    finally:
        wiring.sesv2.cache_clear()
        wiring.sns.cache_clear()
