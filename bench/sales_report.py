"""A year-long sales report on a business with 100,000 appointments: DynamoDB calls and CPU per request.

The counters are generated with the stream consumer's own domain code (domain/reports.py `tally` and
repositories/aggregates.py `by_period`: exactly what the stream would have added for each appointment),
summed in memory and written once per counter with batch writes, so the bench takes seconds rather than the
100,000 transactions the stream would spend. The report is then read through its use case, as the route
calls it, under moto: calls counted, CPU time measured (process_time, median of the runs).

    python -m bench.sales_report [--appointments 100000]
"""
from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from .counting import counting_dynamodb_calls
from .world import moto_store

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)
BUSINESS = "biz_bench"
APPOINTMENTS = 100_000
STAFF = 10
PERIODS = {  # the case -> (from, to, group)
    "calendar year, by month": (date(2025, 1, 1), date(2025, 12, 31), "month"),
    "year from mid-January, by month": (date(2025, 1, 15), date(2026, 1, 14), "month"),
    "calendar year, by day": (date(2025, 1, 1), date(2025, 12, 31), "day"),
}
CALL_BOUND = 4  # the catalog, the months, at most two ranges of days (the route adds the authorizer's)


def seed(store, appointments: int, seed: int = 7) -> dict[str, int]:
    """The business, its catalog and the counters of `appointments` appointments over 2025; returns the totals."""
    from chalicelib.domain import reports as figures_of
    from chalicelib.domain.calendar import Interval, WeeklyHours
    from chalicelib.domain.model import Appointment, AppointmentStatus as S, Service, Source, Staff
    from chalicelib.repositories.aggregates import _counter_key, by_period
    from chalicelib.repositories.tables import ReportCountItem
    from tests import factories

    rng = random.Random(seed)
    business = factories.salon(id=BUSINESS, slug="bench")
    services = [Service(f"svc_{n}", f"Service {n}", 30 + 15 * (n % 4), Decimal(20 + 7 * n).quantize(Decimal("0.01")),
                        category=f"Cat {n % 3}") for n in range(6)]
    hours = WeeklyHours.from_json({d: [["09:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")})
    staff = [Staff(f"stf_{n}", f"Pro {n}", frozenset(s.id for s in services), hours) for n in range(STAFF)]
    factories.seed(store, business, staff, services)
    tz = business.tz
    statuses = [S.COMPLETED] * 8 + [S.CANCELLED, S.NO_SHOW, S.CONFIRMED]
    counters: dict = {}
    first = datetime(2025, 1, 1, 8, tzinfo=timezone.utc)
    for n in range(appointments):
        service, member = rng.choice(services), rng.choice(staff)
        start = first + timedelta(days=rng.randrange(365), minutes=15 * rng.randrange(40))
        end = start + timedelta(minutes=service.duration_minutes)
        made = Appointment(f"B{n:011d}", BUSINESS, "cli_x", service.id, member.id, start, end, Interval(start, end),
                           rng.choice(statuses), rng.choice(list(Source)), service.price, "EUR", NOW, NOW)
        commission = figures_of.minor_units(made.price) // 10 if made.status is S.COMPLETED else 0
        for key, figures in by_period(figures_of.tally(made, tz, service.category, commission)).items():
            figures_of.add(counters.setdefault(key, {}), figures)
    with ReportCountItem.batch_write() as batch:
        for (period, dimension, value), figures in counters.items():
            item = _counter_key(BUSINESS, period, dimension, value)
            batch.save(replace_attributes(item, period, dimension, value, figures))
    return figures_of.total(f for (p, d, _), f in counters.items() if d == "all" and len(p) == 7)


def replace_attributes(item, period: str, dimension: str, value: str, figures: dict[str, int]):
    item.period, item.dimension, item.value = period, dimension, value
    for name, amount in figures.items():
        setattr(item, name, amount)
    return item


def measure(store, runs: int = 5) -> list[dict]:
    from chalicelib.domain.principal import Level, Principal
    from chalicelib.services import reports

    principal = Principal(BUSINESS, "stf_0", Level.ADMIN)
    found = []
    for case, (first, last, group) in PERIODS.items():
        reports.sales(principal, store.catalog, first, last, group)  # warm
        with counting_dynamodb_calls() as calls:
            body = reports.sales(principal, store.catalog, first, last, group)
        cpu = []
        for _ in range(runs):
            started = time.process_time()
            reports.sales(principal, store.catalog, first, last, group)
            cpu.append((time.process_time() - started) * 1000)
        found.append({"case": case, "calls": len(calls), "summary": calls.summary(), "scans": calls.operations()["Scan"],
                      "cpu_ms": statistics.median(cpu), "completed": body["totals"]["completed"],
                      "revenue": body["totals"]["revenue"], "body": body})
    return found


def run(appointments: int = APPOINTMENTS, runs: int = 5) -> dict:
    with moto_store(NOW) as store:
        started = time.perf_counter()
        totals = seed(store, appointments)
        seeded_s = time.perf_counter() - started
        return {"appointments": appointments, "seed_s": seeded_s, "totals": totals, "cases": measure(store, runs)}


def main(appointments: int = APPOINTMENTS) -> dict:
    from .report import table

    result = run(appointments)
    print(table(f"8. Sales report over a year, {result['appointments']:,} appointments (use case under moto)",
                ["period", "DynamoDB calls", "calls", "CPU ms (median)", "completed", "revenue"],
                [(c["case"], c["calls"], c["summary"], f"{c['cpu_ms']:.1f}", c["completed"], c["revenue"])
                 for c in result["cases"]],
                [f"counters generated by the stream's own tally code in {result['seed_s']:.1f} s; "
                 f"goal: at most {CALL_BOUND} calls (+ the authorizer's over HTTP), never a scan"]))
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--appointments", type=int, default=APPOINTMENTS)
    main(parser.parse_args().appointments)
