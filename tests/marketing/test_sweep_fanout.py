"""The dormant-client sweep fanned out per business through its SQS queue (moto's), as on AWS: the daily
schedule sends one unit per business with the sweep on (a query, no scan), the queue's function sweeps each
unit on its own. A unit delivered twice or concurrently sends nothing twice; a failing business is retried
alone (the partial batch response) and the others are done; a unit sweeps the local day it was made for."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.calendar import UTC
from chalicelib.domain.marketing import ConsentChange, MarketingSettings, SweepMode
from chalicelib.repositories import marketing
from infra.local.queues import QueuePump, create_sweep_queue, lambda_event
from tests.factories import NOW
from tests.marketing.helpers import ClientAgenda, add_client, grant, run_job
from tests.notifications.delivery_helpers import emails

SIXTY_DAYS = MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60)
TODAY = "wb_2026-03-23"


@pytest.fixture
def sweep_queue(aws, client, settings_env, request):
    """The stage's sweep queue on moto (visibility 0: a failed unit is received again at once) and its pump."""
    import boto3

    sqs = boto3.client("sqs", region_name="eu-west-1")
    url, arn = create_sweep_queue(sqs, f"turno-test-sweep-{abs(hash(request.node.nodeid))}", visibility_timeout=0)
    settings_env(TURNO_SWEEP_QUEUE_URL=url)
    pump = QueuePump(sqs, url, arn, lambda event: client.lambda_.invoke("sweep_business", event).payload,
                     region="eu-west-1")
    pump.sqs_client = sqs
    yield pump
    sqs.delete_queue(QueueUrl=url)


@pytest.fixture
def two_salons(client, store, salon, clock, ses):
    """The salon (Madrid) and a second one (Rome) sweep at 60 days; each has one dormant client with email
    consent, last seen on 10 January."""
    from tests import factories

    factories.seed(store, factories.salon(id="biz_rome", slug="rome", name="Salone Roma", timezone="Europe/Rome",
                                          locale="it"))
    agenda = ClientAgenda(client, store)
    for business in ("biz_salon", "biz_rome"):
        marketing.save_settings(business, SIXTY_DAYS, NOW)
        add_client(f"cli_{business}", "Gina", "Test", email=f"gina@{business}.example", business=business)
        agenda.visit(f"cli_{business}", "2026-01-10T10:00:00+00:00", business=business)
        marketing.record_consent(business, f"cli_{business}", [ConsentChange(
            "email", "marketing", True, "backoffice", "stf_owner", NOW - timedelta(days=90), "News by email")])
    return agenda


def units(pump) -> list[dict]:
    got = pump.sqs_client.receive_message(QueueUrl=pump.url, MaxNumberOfMessages=10).get("Messages") or []
    return sorted((json.loads(m["Body"]) for m in got), key=lambda u: u["business_id"])


def test_the_schedule_sends_one_unit_per_sweeping_business_by_a_query(client, store, clock, sweep_queue):
    for business in ("biz_a", "biz_b"):
        marketing.save_settings(business, SIXTY_DAYS, NOW)
    marketing.save_settings("biz_off", MarketingSettings(sweep=SweepMode.OFF), NOW)
    with counting_dynamodb_calls() as calls:
        assert run_job(client, "sweep_dormant_clients") == {"businesses": 2}
    assert [c.operation for c in calls] == ["Query"], calls.detail()  # the sweep's list; never a scan
    assert units(sweep_queue) == [{"business_id": "biz_a", "at": "2026-03-23T07:00:00Z"},
                                  {"business_id": "biz_b", "at": "2026-03-23T07:00:00Z"}]


def queued() -> dict[str, int]:
    """Win-backs queued today, per business."""
    return {b: len(list(marketing.campaign_messages(b, TODAY))) for b in ("biz_salon", "biz_rome")}


def test_two_businesses_two_units_each_swept_on_its_own(client, two_salons, sweep_queue):
    assert run_job(client, "sweep_dormant_clients") == {"businesses": 2}
    assert sweep_queue.poll() == 2 and sweep_queue.poll() == 0  # both done, the queue is empty
    assert queued() == {"biz_salon": 1, "biz_rome": 1}
    run_job(client, "deliver_marketing")
    assert sorted(m.to for m in emails()) == ["gina@biz_rome.example", "gina@biz_salon.example"]


def test_a_unit_delivered_twice_or_a_second_run_sends_nothing_twice(client, two_salons, sweep_queue):
    run_job(client, "sweep_dormant_clients")
    run_job(client, "sweep_dormant_clients")  # EventBridge may deliver the schedule twice
    messages = sweep_queue.sqs_client.receive_message(QueueUrl=sweep_queue.url, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 4
    event = lambda_event(messages, sweep_queue.arn, "eu-west-1")
    for _ in range(2):  # and SQS may deliver each unit twice
        assert client.lambda_.invoke("sweep_business", event).payload == {"batchItemFailures": []}
    assert queued() == {"biz_salon": 1, "biz_rome": 1}
    run_job(client, "deliver_marketing")
    run_job(client, "deliver_marketing")
    assert len(emails()) == 2


def test_concurrent_deliveries_of_the_same_unit_queue_one_win_back(client, two_salons, sweep_queue, serialised_moto):
    from chalicelib.jobs import marketing as marketing_jobs

    run_job(client, "sweep_dormant_clients")
    messages = sweep_queue.sqs_client.receive_message(QueueUrl=sweep_queue.url, MaxNumberOfMessages=10)["Messages"]
    event = lambda_event(messages, sweep_queue.arn, "eu-west-1")
    answers = []
    # the function's body itself in each thread (chalice.test.Client swaps os.environ per call: not thread-safe);
    # moto's tables are not thread-safe either, so its calls take turns (DynamoDB's writes are per item)
    threads = [threading.Thread(target=lambda: answers.append(marketing_jobs.sweep_batch(event))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [{"batchItemFailures": []}] * 4
    assert queued() == {"biz_salon": 1, "biz_rome": 1}


def test_a_failing_business_is_retried_alone_and_the_others_are_done(client, store, two_salons, sweep_queue,
                                                                     monkeypatch):
    from chalicelib.repositories import client_stats

    real = client_stats.by_last_visit

    def broken_in_rome(business_id, *args, **kwargs):
        if business_id == "biz_rome":
            raise RuntimeError("Rome's partition is throttled")
        return real(business_id, *args, **kwargs)

    monkeypatch.setattr(client_stats, "by_last_visit", broken_in_rome)
    run_job(client, "sweep_dormant_clients")
    assert sweep_queue.poll() == 2
    assert queued() == {"biz_salon": 1, "biz_rome": 0}
    # Rome's unit is back on the queue and its claim was given back: the retry sweeps the day at once
    monkeypatch.setattr(client_stats, "by_last_visit", real)
    assert sweep_queue.poll() == 1 and sweep_queue.poll() == 0
    assert queued() == {"biz_salon": 1, "biz_rome": 1}


def test_a_unit_sweeps_the_local_day_it_was_made_for_across_the_dst_change(client, two_salons, sweep_queue, clock):
    # Madrid and Rome leave summer time on Sunday 25 October 2026. The schedule runs at 22:30 UTC on the 24th
    # (00:30 CEST on the 25th); Madrid's unit arrives late, at 23:30 UTC on the 25th: 00:30 CET on the 26th.
    for business in ("biz_salon", "biz_rome"):
        two_salons.visit(f"cli_{business}", "2026-08-25T22:30:00+00:00", business=business)  # the 26th, local
    clock["value"] = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    run_job(client, "sweep_dormant_clients")
    clock["value"] = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)
    assert sweep_queue.poll() == 2
    swept = {b: [m.campaign_id for m in marketing.campaign_messages(b, "wb_2026-10-25")] for b in ("biz_salon",
                                                                                                  "biz_rome")}
    assert swept == {"biz_salon": ["wb_2026-10-25"], "biz_rome": ["wb_2026-10-25"]}  # 60 local days after the 26 Aug
    # the 26th's own schedule finds the 26th (61 days: already won back, within 30 days): nothing more
    run_job(client, "sweep_dormant_clients")
    assert sweep_queue.poll() == 2
    assert [list(marketing.campaign_messages(b, "wb_2026-10-26")) for b in ("biz_salon", "biz_rome")] == [[], []]


def test_a_malformed_unit_fails_alone(client, two_salons, sweep_queue):
    event = {"Records": [
        {"messageId": "bad", "receiptHandle": "r1", "body": '{"business_id": "biz_salon"}', "attributes": {},
         "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": sweep_queue.arn,
         "awsRegion": "eu-west-1"},
        {"messageId": "good", "receiptHandle": "r2", "body": json.dumps({"business_id": "biz_rome",
                                                                         "at": "2026-03-23T10:00:00Z"}),
         "attributes": {}, "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
         "eventSourceARN": sweep_queue.arn, "awsRegion": "eu-west-1"}]}
    answer = client.lambda_.invoke("sweep_business", event).payload
    assert answer == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
    assert queued() == {"biz_salon": 0, "biz_rome": 1}


def test_make_dev_provisions_the_queue_and_pumps_it_into_the_function(client, two_salons, settings_env):
    """`make dev`'s step makes the queue on moto and names it to the app; its pump hands units to the function."""
    from app import app
    from infra.local import devstack
    from infra.local.queues import provision, sweep_pump

    assert "infra.local.queues:provision" in devstack.STEPS
    env = {"AWS_REGION": "eu-west-1", "TURNO_STAGE": "test"}
    assert provision(env) and env["TURNO_SWEEP_QUEUE"] == "turno-test-sweep"
    assert provision(dict(env))  # a restart with kept state finds the queue there
    settings_env(TURNO_SWEEP_QUEUE_URL=env["TURNO_SWEEP_QUEUE_URL"])
    pump = sweep_pump(devstack.ROOT, "eu-west-1", app=app)
    try:
        run_job(client, "sweep_dormant_clients")
        assert pump.poll() == 2 and pump.poll() == 0
        assert queued() == {"biz_salon": 1, "biz_rome": 1}
    finally:
        pump.sqs.delete_queue(QueueUrl=pump.url)
