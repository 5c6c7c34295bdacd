"""moto with fresh tables, a frozen clock and the app's own store, for the benches that run the app."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Iterator


@contextmanager
def moto_store(now: datetime) -> Iterator:
    """Yields the store `wiring` gives the app, on fresh moto tables, with `wiring.now` frozen at `now`."""
    from moto import mock_aws

    from chalicelib import wiring
    from chalicelib.repositories.store import create_tables
    from chalicelib.repositories.tables import IdempotencyRecord, Item

    real_now = wiring.now
    with mock_aws():
        for model in (Item, IdempotencyRecord):
            model._connection = None  # a botocore client created inside this mock
        create_tables()
        wiring.store.cache_clear()
        wiring.now = lambda: now
        try:
            yield wiring.store()
        finally:
            wiring.now = real_now
            wiring.store.cache_clear()
            for model in (Item, IdempotencyRecord):
                model._connection = None
