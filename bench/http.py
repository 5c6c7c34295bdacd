"""HTTP figures against `make dev`'s stack (chalice local + DynamoDB Local + moto), started by
`running_stack()` on a free loopback port and stopped at the end.

These are dev-server figures: chalice local is a development server, DynamoDB Local is a Java emulator
on the same 2 cores, so they say how the pieces behave under concurrency here, not what Lambda does.
Every run is bounded in requests and in seconds.
"""
from __future__ import annotations

import json
import statistics
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

REQUESTS = 40  # per availability case
BOOKINGS = 24
TIME_LIMIT = 20.0  # seconds per case: whatever is not done by then is not sent
SLUG, SERVICE = "demo", "svc_cut"


def _call(method: str, url: str, body: dict | None = None) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - began


def _case(name: str, concurrency: int, calls: list) -> dict:
    """Run `calls` (each -> (status, seconds)) on `concurrency` threads, stopping new ones at TIME_LIMIT."""
    stop = time.perf_counter() + TIME_LIMIT

    def bounded(call):
        return call() if time.perf_counter() < stop else None

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = [r for r in pool.map(bounded, calls) if r is not None]
    elapsed = time.perf_counter() - began
    latencies = sorted(seconds for _, seconds in results)
    return {
        "case": name, "concurrency": concurrency, "requests": len(results),
        "ok": sum(1 for status, _ in results if status < 300),
        "statuses": dict(sorted(Counter(status for status, _ in results).items())), "per_second": len(results) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] * 1000,
    }


def _apart(slots: list[dict]) -> list[tuple[str, str]]:
    """(start, professional) pairs that do not overlap one another: every booking can succeed."""
    free_from: dict[str, str] = {}
    chosen = []
    for slot in slots:
        staff = next((s for s in slot["staff"] if free_from.get(s, "") <= slot["start"]), None)
        if staff is not None:
            chosen.append((slot["start"], staff))
            free_from[staff] = slot["end"]
    return chosen


def run() -> list[dict]:
    from infra.local.devstack import running_stack

    first = date.today() + timedelta(days=1)
    rows = []
    with running_stack() as stack:
        api = stack.api_url.rstrip("/")

        def availability(days: int):
            last = first + timedelta(days=days - 1)
            url = f"{api}/public/{SLUG}/availability?service={SERVICE}&staff=any&from={first}&to={last}"
            return lambda: _call("GET", url)

        availability(7)()  # warm: the function has the slug cached, as a warm Lambda
        for days in (1, 7):
            for concurrency in (1, 8):
                rows.append(_case(f"availability, {days} day{'s' * (days > 1)}", concurrency,
                                  [availability(days)] * REQUESTS))
        fortnight = f"{api}/public/{SLUG}/availability?service={SERVICE}&staff=any&from={first}" \
                    f"&to={first + timedelta(days=13)}"
        with urllib.request.urlopen(fortnight, timeout=30) as response:
            slots = json.loads(response.read())["slots"]
        bookings = [
            (lambda start=start, staff=staff, n=n: _call("POST", f"{api}/public/{SLUG}/bookings", {
                "service": SERVICE, "staff": staff, "start": start,
                "client": {"first_name": "Bench", "last_name": f"Client {n}", "email": f"bench{n}@example.com"}}))
            for n, (start, staff) in enumerate(_apart(slots)[:BOOKINGS])
        ]
        rows.append(_case("bookings, distinct slots", 8, bookings))
    return rows
