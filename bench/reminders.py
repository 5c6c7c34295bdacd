"""Reminder job figures: reminders sent per second and DynamoDB calls per due reminder (moto, in process).

    python -m bench.reminders

Seeds one salon with `due` confirmed appointments whose reminder is due and 20 that are not, lets the
outbox job confirm them (which schedules their reminders), then times one run of the reminder job.
moto answers in microseconds and SES/SNS are moto too, so the rate is the code's own ceiling, not AWS's.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1", "TURNO_STAGE": "test"})
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE", "TURNO_LOCAL_OUTBOX"):
    os.environ.pop(_name, None)

from .counting import counting_dynamodb_calls  # noqa: E402
from .report import table  # noqa: E402

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)
NOT_DUE = 20  # moto copies the whole table on every transaction: keep the world small


def run_once(due: int) -> dict:
    import boto3
    from moto import mock_aws

    from chalicelib import wiring
    from chalicelib.domain.calendar import Interval, WeeklyHours
    from chalicelib.domain.model import Appointment, AppointmentStatus, Client, Source, Staff, new_reference
    from chalicelib.jobs import reminders
    from chalicelib.notifications import delivery
    from tests import factories

    with mock_aws():
        from chalicelib.repositories.store import create_tables
        from chalicelib.repositories.tables import IdempotencyRecord, Item

        for model in (Item, IdempotencyRecord, *Item.__subclasses__()):
            model._connection = None
        create_tables()
        wiring.store.cache_clear()
        for cached in ("sesv2", "sns"):
            getattr(wiring, cached).cache_clear()
        boto3.client("sesv2", region_name="eu-west-1").create_email_identity(EmailIdentity="no-reply@turno.example")
        store = wiring.store()
        hours = WeeklyHours.from_json({d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                                           "sun")})
        members = [Staff(f"stf_{i:03d}", f"P{i}", frozenset({"svc_cut"}), hours) for i in range(10)]
        business = factories.seed(store, members=members)
        total = due + NOT_DUE
        for i in range(total):
            # due ones start Tuesday 10:00 UTC (24 h reminder due Monday 10:00); the rest days later
            start = datetime(2026, 3, 24, 10, tzinfo=timezone.utc) if i < due else \
                datetime(2026, 3, 27, 10, tzinfo=timezone.utc) + timedelta(hours=i % 8)
            member = members[i % len(members)].id
            if i >= due:
                start += timedelta(days=(i // (len(members) * 8)))
            end = start + timedelta(minutes=30)
            client = Client(f"cli_{i:05d}", "Eva", f"N{i}", email=f"c{i}@example.com", phone=None)
            factories.book(store, Appointment(
                reference=new_reference(), business_id=business.id, client_id=client.id, service_id="svc_cut",
                staff_id=member, start=start, end=end, busy=Interval(start, end), status=AppointmentStatus.CONFIRMED,
                source=Source.ONLINE, price=Decimal("25.00"), currency="EUR", created_at=NOW, updated_at=NOW,
                exclusive=False), client)
        delivery.drain(delivery.Run(NOW, store, wiring.senders()))  # confirmations; schedules every reminder
        at = datetime(2026, 3, 23, 10, 0, tzinfo=timezone.utc)
        with counting_dynamodb_calls() as calls:
            began = time.perf_counter()
            report = reminders.send_due_reminders(delivery.Run(at, store, wiring.senders()))
            took = time.perf_counter() - began
        return {"due": due, "stored": total, "sent": report["sent"], "seconds": took, "calls": len(calls),
                "queries": calls.operations()["Query"], "scans": calls.operations()["Scan"]}


def run(sizes=(0, 5, 20)) -> list[dict]:
    return [run_once(due) for due in sizes]


def main() -> None:
    rows = []
    for r in run():
        per = (r["calls"] - 5) / r["due"] if r["due"] else 0
        rate = r["sent"] / r["seconds"] if r["seconds"] and r["sent"] else 0
        rows.append((r["due"], r["stored"], r["sent"], f"{rate:.0f}", r["calls"], r["queries"], r["scans"],
                     f"{per:.1f}" if r["due"] else "-"))
    print(table("Reminder job: one run (moto, in process)",
                ["due", "appointments stored", "sent", "reminders/s", "DynamoDB calls", "queries", "scans",
                 "calls per due reminder"], rows,
                ["calls = 3 index queries (today and the 2 days before) + 2 per business (catalog, settings)",
                 "        + 5 per due reminder (take, claim, client, marks, record). No scans.",
                 "reminders/s is bounded by moto and Python here; on AWS by SES/SNS send rates."]))


if __name__ == "__main__":
    main()
