"""Exactly once: duplicated and overlapping job runs, SES/SNS failures and their retries, interrupted sends."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

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


def test_after_the_last_try_the_message_is_failed_and_listed_for_the_client(client, salon, store, clock, flaky_ses):
    flaky = flaky_ses(100)
    made = book(client)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        deliver(client)
        later(clock, minutes=30)
    assert flaky.calls == outbox.MAX_ATTEMPTS and emails() == []
    [item] = OutboxItem.scan()
    assert item.status == "failed" and item.due_pk is None
    failed = messages.client_log("biz_salon", client_id_of(store, made["reference"]), status="failed")
    assert [(e.channel, e.kind, e.attempts) for e in failed] == [("email", "confirmed", outbox.MAX_ATTEMPTS)]
    assert "Rate exceeded" in failed[0].error


def test_the_backoff_doubles(clock):
    now = clock["value"]
    waits = [(outbox.retry_at(now, n) - now).total_seconds() / 60 for n in range(1, outbox.MAX_ATTEMPTS)]
    assert waits == [1, 2, 4, 8] and outbox.retry_at(now, outbox.MAX_ATTEMPTS) is None


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
