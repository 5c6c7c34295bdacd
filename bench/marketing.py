"""`python -m bench.marketing [clients]`: the dormant view and the dormant-client sweep on one business of
50,000 clients and 500,000 appointments (10 each), under moto. Prints DynamoDB calls (by operation) and CPU
per business; asserts nothing. The clients' figures are written directly (as the stream would have kept
them), their last visits spread over two years, every other one with email consent."""
from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal

os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
                   "AWS_DEFAULT_REGION": "eu-west-1", "TURNO_STAGE": "test", "POWERTOOLS_LOG_LEVEL": "WARNING",
                   "POWERTOOLS_METRICS_DISABLED": "true"})
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(_name, None)

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)


def build(clients: int) -> None:
    from chalicelib import wiring
    from chalicelib.domain.clients import ClientProfile
    from chalicelib.domain.marketing import ClientStats, MarketingSettings, SweepMode, Visit
    from chalicelib.domain.model import AppointmentStatus as S
    from chalicelib.repositories import client_stats, marketing
    from chalicelib.repositories.clients import client_pk
    from chalicelib.repositories.marketing_tables import ConsentItem
    from chalicelib.repositories.store import create_tables
    from chalicelib.repositories.tables import ClientItem
    from tests import factories

    create_tables()
    factories.seed(wiring.store())
    rng = random.Random(15)
    figures, consent = [], []
    with ClientItem.batch_write() as batch:
        for n in range(clients):
            cid = f"cli_{n:06d}"
            batch.save(ClientItem(client_pk("biz_salon"), cid, id=cid, first_name=f"Client{n}", last_name="Bench",
                                  email=f"c{n}@example.com", created_at=NOW))
            last = NOW - timedelta(days=rng.randint(1, 730))
            visits = [Visit(f"R{n:06d}{i:02d}", S.COMPLETED, (last - timedelta(days=35 * i)).date(),
                            last - timedelta(days=35 * i), "svc_cut", Decimal("25.00")) for i in range(10)]
            figures.append(ClientStats.of(cid, visits))
            if n % 2 == 0:
                consent.append(cid)
    client_stats.put_many("biz_salon", figures)
    with ConsentItem.batch_write() as batch:
        for cid in consent:
            batch.save(ConsentItem("BIZ#biz_salon#CONSENT", cid, version=1, latest=[{
                "channel": "email", "purpose": "marketing", "granted": True, "source": "backoffice", "by": "bench",
                "at": NOW.isoformat(), "wording": "yes"}]))
    marketing.save_settings("biz_salon", MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60), NOW)


def measure(label: str, run) -> None:
    from bench.counting import counting_dynamodb_calls

    started = time.process_time()
    with counting_dynamodb_calls() as calls:
        result = run()
    cpu = time.process_time() - started
    operations = Counter(c.operation for c in calls)
    print(f"{label}: {len(calls)} DynamoDB calls {dict(operations)}, CPU {cpu * 1000:.0f} ms, {result}")


def main(clients: int) -> None:
    from moto import mock_aws

    with mock_aws():
        started = time.perf_counter()
        build(clients)
        print(f"built {clients} clients / {clients * 10} appointments' figures in {time.perf_counter() - started:.0f} s")
        from chalicelib import wiring
        from chalicelib.domain.marketing import Audience
        from chalicelib.services import marketing_views, winback

        store = wiring.store()
        catalog = store.catalog("biz_salon")
        measure("dormant view, first page of 50 (absent 90 days)",
                lambda: len(marketing_views.page(store, catalog, Audience("dormant", days=90), NOW, None, 50).members))
        measure("dormant-client sweep, first day (fixed 60 days)",
                lambda: dict(winback.sweep(store, wiring.clients(), None, "biz_salon", NOW)))
        measure("dormant-client sweep, same day again",
                lambda: dict(winback.sweep(store, wiring.clients(), None, "biz_salon", NOW)))
        measure("dormant-client sweep, next day",
                lambda: dict(winback.sweep(store, wiring.clients(), None, "biz_salon", NOW + timedelta(days=1))))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
