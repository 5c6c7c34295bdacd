"""One DynamoDB transaction whose refusal says what it means.

Each conditional item is added with the kind of refusal its condition stands for; when DynamoDB
cancels the transaction, the error of the first kind (in the table's order) whose item failed is
raised. Cancellation reasons come back in the order the request listed its items, and PynamoDB
lists them by operation (condition checks, deletes, puts, updates), not in call order, so the keys
are read back from the request itself instead of counting positions.
"""
from __future__ import annotations

from typing import Callable

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from ..errors import TurnoError
from .tables import Item

Refusals = dict[str, Callable[[], TurnoError]]  # kind -> its error, first wins


def connection() -> Connection:
    return Item._get_connection().connection


class Transaction:
    def __init__(self, refusals: Refusals) -> None:
        self.refusals = refusals
        self.blame: dict[tuple[str, str], str] = {}
        self.tx = TransactWrite(connection=connection())

    def save(self, item: Item, condition=None, *, refused: str | None = None) -> None:
        self.tx.save(item, condition=condition)
        self._blame(item, refused)

    def delete(self, item: Item, condition=None, *, refused: str | None = None) -> None:
        self.tx.delete(item, condition=condition)
        self._blame(item, refused)

    def update(self, item: Item, actions: list, condition=None, *, refused: str | None = None) -> None:
        self.tx.update(item, actions, condition=condition)
        self._blame(item, refused)

    def _blame(self, item: Item, refused: str | None) -> None:
        if refused is not None:
            assert refused in self.refusals, refused
            self.blame[(item.pk, item.sk)] = refused

    def __enter__(self) -> "Transaction":
        self.tx.__enter__()
        return self

    def __exit__(self, kind, error, trace) -> bool:
        try:
            self.tx.__exit__(kind, error, trace)
        except TransactWriteError as refused:
            failed = {key for key, reason in zip(sent_keys(self.tx), refused.cancellation_reasons or [])
                      if reason is not None and reason.code == "ConditionalCheckFailed"}
            blamed = {self.blame[key] for key in failed if key in self.blame}
            for kind_, make_error in self.refusals.items():
                if kind_ in blamed:
                    raise make_error() from None
            raise
        return False


def sent_keys(tx: TransactWrite) -> list[tuple[str, str]]:
    """(pk, sk) of each item of a TransactWrite, in the order PynamoDB sends them."""
    keys = []
    for operation in (*tx._condition_check_items, *tx._delete_items, *tx._put_items, *tx._update_items):
        key = operation.get("Key") or operation.get("Item")
        keys.append((key["pk"]["S"], key["sk"]["S"]))
    return keys
