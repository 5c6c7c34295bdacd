"""The one place that picks concrete implementations, created lazily and kept while warm."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from .domain.calendar import UTC
from .repositories.store import DynamoStore


@lru_cache(maxsize=1)
def store() -> DynamoStore:
    return DynamoStore()


def now() -> datetime:
    """The current instant; tests replace this to freeze time."""
    return datetime.now(UTC)
