"""The whole warm availability request's own CPU, next to the engine's alone.

The issue's scenario (10 professionals, 14 days, 500 appointments) is stored in moto; one request records
the DynamoDB responses (raw HTTP answers, as moto gives them to a `before-send` handler); then the request
is run again and again with those responses replayed by that handler, so every call is still built,
signed and parsed but no emulator runs. The request is the Lambda handler itself,
`app(event, context)` with an API Gateway event: Chalice's routing, the middleware, the use case, the
engine and the JSON body. The engine alone is `slots_around` on the same (already read) busy time.
"""
from __future__ import annotations

import json
import statistics
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from . import engine
from .world import moto_store

REQUEST_GOAL = 1.5  # the whole warm request within 1.5x of the engine alone
DAYS, STAFF, APPOINTMENTS = 14, 10, 500


@contextmanager
def _world() -> Iterator[tuple]:
    """moto with the scenario stored; yields (app, store, catalog, service, first day, last day, now)."""
    from chalicelib.repositories import busy_days
    from chalicelib.repositories.tables import Item
    from chalicelib.repositories.transactions import connection

    catalog, service, appointments, last_day, now = engine.scenario(DAYS, STAFF, APPOINTMENTS)
    with moto_store(now) as store:
        store.save_business(catalog.business)
        store.save_service(catalog.business.id, service)
        for member in catalog.staff:
            store.save_staff(catalog.business.id, member)
        busy_days.put_all(connection().client, Item.Meta.table_name, busy_days.rebuilt(appointments))
        from app import app

        yield app, store, catalog, service, engine.FIRST_DAY, last_day, now


def _event(slug: str, service_id: str, first, last) -> dict:
    """An API Gateway proxy event for GET /public/{business}/availability, as Lambda receives it."""
    return {
        "requestContext": {"httpMethod": "GET", "resourcePath": "/public/{business}/availability",
                           "identity": {"sourceIp": "127.0.0.1"}, "path": f"/public/{slug}/availability",
                           "requestId": "bench"},
        "headers": {"accept": "application/json"},
        "pathParameters": {"business": slug},
        "multiValueQueryStringParameters": {"service": [service_id], "staff": ["any"], "from": [first.isoformat()],
                                            "to": [last.isoformat()]},
        "stageVariables": {}, "body": None, "isBase64Encoded": False,
    }


class _Replay:
    """A `before-send` handler, first in line: it records what moto answers each DynamoDB call the
    first time, then answers every later call with those responses, in order. botocore's calls and the
    lean reads (repositories/lean_reads.py) both go through `before-send`, so either way everything
    but the emulator runs: building, signing, the HTTP response's checks and parsing."""

    def __init__(self) -> None:
        self.recorded: list[tuple] = []
        self.next = 0
        self.replaying = False

    def answer(self, request, **_):
        from botocore.awsrequest import AWSResponse
        from moto.core.models import botocore_stubber

        if not self.replaying:  # moto's own handler is off (below): this one asks moto, once
            status, headers, body = botocore_stubber.process_request(request)
            self.recorded.append((status, headers, body.encode() if isinstance(body, str) else body))
        status, headers, body = self.recorded[self.next % len(self.recorded)]
        self.next += 1
        return AWSResponse(request.url, status, headers, _Raw(body))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_):
        yield self.body


def _slots(body: str) -> list[tuple]:
    return [(s["start"], s["end"], s["staff"]) for s in json.loads(body)["slots"]]


def run(repeats: int = 30) -> dict:
    from chalice.local import LambdaContext

    from chalicelib.api.availability_json import availability_response
    from chalicelib.domain.booking import ANY, MAX_BUSY_MINUTES, candidates, slots_around
    from chalicelib.domain.calendar import local_instant
    from chalicelib.repositories.transactions import connection
    from chalicelib.repositories import busy_days

    with _world() as (app, store, catalog, service, first, last, now):
        event = _event(catalog.business.slug, service.id, first, last)
        context = LambdaContext("api_handler", 1024)
        business, tz = catalog.business, catalog.business.tz
        span = (local_instant(first, 0, tz), local_instant(last, 24 * 60, tz) + timedelta(minutes=MAX_BUSY_MINUTES))
        busy = store.busy_between(business.id, *span)
        staff = candidates(catalog, service, ANY)
        replay = _Replay()
        events = connection().client.meta.events
        assert app(event, context)["statusCode"] == 200  # warms the function: the slug is cached
        from moto.core.models import botocore_stubber

        botocore_stubber.enabled = False  # botocore runs every before-send handler: moto's must do nothing
        events.register_first("before-send.dynamodb", replay.answer)
        body = app(event, context)["body"]
        calls = len(replay.recorded)  # the catalog's query, then the busy days'
        replay.replaying = True
        times: dict[str, list[float]] = {name: [] for name in TIMED}

        def timed(name: str, work, answer_from: int = 0):
            replay.next = answer_from
            began = time.process_time()
            result = work()
            times[name].append(time.process_time() - began)
            return result

        with _deployed_logging():
            for _ in range(repeats + 1):  # interleaved, so all see the same machine; the first run is dropped
                if timed("request", lambda: app(event, context))["body"] != body:
                    raise AssertionError("the replayed request answered differently")
                found = timed("engine", lambda: slots_around(catalog, service, staff, busy, first, last, now))
                busy_days.forget()  # the function's first request for this fortnight: every day decoded
                if timed("first", lambda: app(event, context))["body"] != body:
                    raise AssertionError("the replayed request answered differently")
                timed("busy", lambda: store.busy_between(business.id, *span), answer_from=1)
                timed("catalog", lambda: store.catalog(business.id))
                timed("json", lambda: availability_response(business.timezone, tz, found).to_dict())
        events.unregister("before-send.dynamodb", replay.answer)
        botocore_stubber.enabled = True
    if _slots(body) != [(s.start.astimezone(tz).isoformat(), s.end.astimezone(tz).isoformat(), list(s.staff))
                        for s in found]:
        raise AssertionError("the replayed request's slots are not the engine's")
    ms = {name: statistics.median(values[1:]) * 1000 for name, values in times.items()}
    ms["rest"] = ms["request"] - sum(ms[name] for name in PARTS if name != "request")
    return {"days": DAYS, "staff": STAFF, "appointments": APPOINTMENTS, "calls": calls, "slots": len(found),
            "bytes": len(body), "request_ms": ms["request"], "engine_ms": ms["engine"],
            "ratio": ms["request"] / ms["engine"], "first_ms": ms["first"], "first_ratio": ms["first"] / ms["engine"],
            "parts_ms": ms}


PARTS = ("request", "engine", "busy", "catalog", "json")  # timed; "rest" is the request less the others
TIMED = (*PARTS, "first")  # and the request with no resource-day kept (repositories/busy_days.py)


@contextmanager
def _deployed_logging() -> Iterator[None]:
    """The log level a deployed function has (Powertools' default, INFO: one line per request), the lines
    written to nowhere. The bench's own output stays at WARNING."""
    from chalicelib.observability import logger

    handler, level = logger.registered_handler, logger.log_level
    stream = handler.setStream(_Nowhere())
    logger.setLevel("INFO")
    try:
        yield
    finally:
        logger.setLevel(level)
        handler.setStream(stream)


class _Nowhere:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
