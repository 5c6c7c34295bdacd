"""Logs and metrics for every function: one Powertools Logger (JSON lines on stdout) and CloudWatch
embedded-metric-format (EMF) metrics in the namespace "Turno", flushed at the end of each invocation.

The keys a line carries (route, request id, business, booking reference) are added once per
invocation by `middleware`, which app.py registers for every function; handlers never add them.
Client emails and phone numbers, manage tokens and Authorization headers are never keys; as a net
under that rule, every line is masked before it is written (anything shaped like an email address,
an E.164 number, a `token=` value or a bearer token).

Metric dimensions stay small (the service, and a bounded value such as a conflict code or a job
name): the business id would make one metric per tenant, so it travels as EMF metadata instead.
Tracer is left out on purpose: aws-xray-sdk costs ~0.36 s of cold start (README, "Logs and metrics").
"""
from __future__ import annotations

import functools
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

from .config import settings

# Powertools' own variables, read in config.py (infra/ sets both for every function). The logger's name
# is the service: Chalice's app log ("turno") is it.
SERVICE = settings().service_name
NAMESPACE = settings().metrics_namespace

logger = Logger(service=SERVICE, utc=True, use_rfc3339=True)

_MASKS = [  # (what a line must contain for the pattern to match, pattern, replacement)
    ("@", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), "<email>"),
    ("+", re.compile(r"\+[1-9][0-9]{6,14}"), "<phone>"),
    ("token", re.compile(r"((?:^|[?&\s\"])token=)[^&\s\"\\]+"), r"\1<token>"),
    ("token", re.compile(r"(\"(?:manage_)?token\":\s*\")[^\"]+"), r"\1<token>"),
    ("bearer", re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), r"\1<token>"),
]


def mask(line: str) -> str:
    """The line with anything that looks like a client's contact or a secret replaced. A pattern runs only
    on a line holding the text it cannot match without (every API request writes a line: most hold none)."""
    lowered = line.lower()
    for needed, pattern, replacement in _MASKS:
        if needed in lowered:
            line = pattern.sub(replacement, line)
    return line


def _masked(serialize: Callable[[dict], str]) -> Callable[[dict], str]:
    return lambda record: mask(serialize(record))


_formatter = logger.registered_formatter
_plain_json = _formatter.json_serializer  # Powertools' own JSON options (indented under POWERTOOLS_DEV)
_formatter.json_serializer = _masked(_plain_json)

REPORT_METRICS = {  # a job's report key -> the metric it is counted as
    "sent": "MessagesSent",
    "failed": "MessagesFailed",
    "skipped": "MessagesSkipped",
    "reminders": "RemindersQueued",
}


@dataclass
class _Invocation:
    """What one invocation measured: one EMF blob per dimension set, and the metadata for all of them."""

    blobs: dict[tuple, EphemeralMetrics] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def blob(self, dimensions: dict[str, str]) -> EphemeralMetrics:
        key = tuple(sorted(dimensions.items()))
        if key not in self.blobs:
            blob = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
            for name, value in key:
                blob.add_dimension(name=name, value=value)
            self.blobs[key] = blob
        return self.blobs[key]

    def flush(self) -> None:
        for blob in self.blobs.values():
            if blob.metric_set:
                for key, value in self.metadata.items():
                    blob.add_metadata(key=key, value=value)
                blob.flush_metrics()  # prints one EMF line, unless POWERTOOLS_METRICS_DISABLED
        self.blobs.clear()


# Per invocation and per thread (`chalice local` serves requests on threads; Lambda runs one at a time).
_current: ContextVar[_Invocation | None] = ContextVar("turno_invocation", default=None)
_warm = False


def count(name: str, value: int = 1, **dimensions: str) -> None:
    """Add to a counter of this invocation (dropped outside an invocation, e.g. a job called directly)."""
    _metric(name, MetricUnit.Count, value, dimensions)


def milliseconds(name: str, value: float, **dimensions: str) -> None:
    _metric(name, MetricUnit.Milliseconds, round(value, 1), dimensions)


def _metric(name: str, unit: MetricUnit, value: float, dimensions: dict[str, str]) -> None:
    invocation = _current.get()
    if invocation is not None:
        invocation.blob(dimensions).add_metric(name=name, unit=unit, value=value)


def add_keys(**keys: Any) -> None:
    """Keys for every later line of this invocation (None values are left out)."""
    keys = {k: v for k, v in keys.items() if v is not None}
    if keys:
        logger.thread_safe_append_keys(**keys)


def add_metadata(**values: Any) -> None:
    """Values every metric of this invocation carries without being a dimension (the business id)."""
    invocation = _current.get()
    if invocation is not None:
        invocation.metadata.update({k: v for k, v in values.items() if v is not None})


def booked(source: str, reference: str, business_id: str) -> None:
    """A new appointment: counted by where it was made ("public" or "backoffice")."""
    add_keys(booking_reference=reference, business_id=business_id)
    add_metadata(business_id=business_id)
    count("Bookings", source=source)


def answered_conflict(code: str) -> None:
    """A 409 answer, counted by its error code (a short, fixed list: a fine dimension)."""
    count("Conflicts", code=code)


# -- middleware (app.py registers it for every event type) -----------------------------------------
def middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware for every function: keys for its lines, one line per API request, and the
    invocation's metrics flushed at its end."""
    if hasattr(event, "method") and hasattr(event, "uri_params"):  # an HTTP request (chalice.app.Request)
        return _http(event, get_response)
    return _event(event, get_response)


def _begin(context: Any) -> None:
    global _warm
    logger.thread_safe_clear_keys()
    _current.set(_Invocation())
    request_id = getattr(context, "aws_request_id", None)
    add_keys(cold_start=not _warm, function_name=getattr(context, "function_name", None),
             function_request_id=request_id, request_id=request_id)
    _warm = True


def _end() -> None:
    invocation = _current.get()
    try:
        if invocation is not None:
            invocation.flush()
    finally:
        _current.set(None)
        logger.thread_safe_clear_keys()


def _http(request: Any, get_response: Callable[[Any], Any]) -> Any:
    started = time.perf_counter()
    _begin(request.lambda_context)
    context = request.context or {}
    principal = context.get("authorizer") or {}
    params = request.uri_params or {}
    add_keys(
        route=f"{request.method} {context.get('resourcePath') or request.path}",
        request_id=context.get("requestId"),  # API Gateway's id when there is one; else Lambda's stays
        business_id=principal.get("business_id"),
        staff_id=principal.get("staff_id"),
        business_slug=params.get("business"),
        booking_reference=params.get("reference"),
    )
    add_metadata(business_id=principal.get("business_id"))
    response = None
    try:
        response = get_response(request)
        return response
    finally:
        status = getattr(response, "status_code", 500)
        log = logger.warning if status >= 500 else logger.info
        log("request", extra={"status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        _end()


def _event(event: Any, get_response: Callable[[Any], Any]) -> Any:
    _begin(getattr(event, "context", None))
    try:
        return get_response(event)
    finally:
        _end()


def job(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A scheduled job: its duration (ms, by job) and its report's counts as metrics, one summary line."""
    name = handler.__name__

    @functools.wraps(handler)
    def run(event: Any) -> Any:
        add_keys(job=name)
        started = time.perf_counter()
        try:
            report = handler(event)
        except Exception:
            logger.exception("job failed")
            raise
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            milliseconds("JobDuration", elapsed, job=name)
        counts = {k: v for k, v in (report or {}).items() if isinstance(v, int)} if isinstance(report, dict) else {}
        for key, metric in REPORT_METRICS.items():
            if key in counts:
                count(metric, counts[key])
        # Idle runs (every minute) say nothing; their zeros are in the metrics.
        (logger.info if any(counts.values()) else logger.debug)(
            "job finished", extra={"report": counts, "duration_ms": round(elapsed, 1)})
        return report

    return run
