"""Recent attempts of one kind by one caller (wrong codes, failed sign-ins, sign-ups): one item holding
their times, which TTL removes once the newest has left the window."""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from ..domain.calendar import UTC
from .tables import ThrottleItem


def recent(pk: str, sk: str, since: float) -> list[float]:
    try:
        item = ThrottleItem.get(pk, sk, consistent_read=True)
    except DoesNotExist:
        return []
    return [at for at in item.failures if at >= since]


def save(pk: str, sk: str, times: list[float], keep_seconds: int) -> None:
    ThrottleItem(pk=pk, sk=sk, failures=times,
                 expires_at=datetime.fromtimestamp(max(times), UTC) + timedelta(seconds=keep_seconds)).save()


class DynamoAttempts:
    """`recent` and `save` as services/public_throttle.py's Attempts."""

    recent = staticmethod(recent)
    save = staticmethod(save)
