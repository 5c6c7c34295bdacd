"""What the backoffice reads about messages: a client's log (failed ones included) and counts for reports."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterable

from ..domain.principal import Principal
from ..errors import ValidationError
from ..repositories import messages
from ..repositories.clients import ClientRepository
from ..domain.messages import LoggedMessage, MessageCount
from . import clients

MAX_REPORT_DAYS = 366
STATUSES = ("sent", "failed", "skipped", "unconfirmed")


def client_messages(repo: ClientRepository, principal: Principal, client_id: str, status: str | None,
                    limit: int) -> list[LoggedMessage]:
    """The client's messages, newest first, if the caller may see the client (else the same 404)."""
    if status is not None and status not in STATUSES:
        raise ValidationError(f"one of {', '.join(STATUSES)}", field="status", code="invalid_status")
    clients.visible(repo, principal, client_id)
    return messages.client_log(principal.business_id, client_id, limit=limit, status=status)


def counts(principal: Principal, first: date, last: date) -> dict:
    """Messages per kind and channel between two local days, with each day's figures."""
    if last < first:
        raise ValidationError("'to' must not be before 'from'", field="to")
    if (last - first).days + 1 > MAX_REPORT_DAYS:
        raise ValidationError(f"at most {MAX_REPORT_DAYS} days at a time", field="to", code="range_too_long")
    found = messages.counts(principal.business_id, first, last)
    days = [{"day": count.day, "kind": count.kind, "channel": count.channel, **_figures(count)} for count in found]
    return {"from": first.isoformat(), "to": last.isoformat(), "totals": totals(found), "days": days}


def totals(found: Iterable[MessageCount]) -> list[dict]:
    """Messages per kind and channel (statistics and the messages report share it)."""
    summed: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        ("sent", "failed", "skipped", "unconfirmed", "segments"), 0))
    for count in found:
        for name, value in _figures(count).items():
            summed[(count.kind, count.channel)][name] += value
    return [{"kind": k, "channel": c, **v} for (k, c), v in sorted(summed.items())]


def _figures(count: MessageCount) -> dict[str, int]:
    return {"sent": count.sent, "failed": count.failed, "skipped": count.skipped,
            "unconfirmed": count.unconfirmed, "segments": count.segments}
