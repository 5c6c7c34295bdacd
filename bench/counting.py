"""Counting DynamoDB calls, for the bench tables and the call-budget tests alike.

Every botocore call goes through `BaseClient._make_api_call`: PynamoDB's (its Connection calls
`client._make_api_call`) and Powertools idempotency's (a boto3 client) both do. One patch on the
class therefore sees every client, including ones created lazily inside the measured request; a
botocore `before-call` handler would instead have to be registered on each client's event system.
Calls are recorded after moto (or AWS) answers, so a failed conditional write is counted too.
The availability request's two reads bypass that method (repositories/lean_reads.py): `LeanReads.exchange`,
their one HTTP exchange each, is patched too, so they count as well, refused or not.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from botocore.client import BaseClient
from botocore.exceptions import ClientError

READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


@dataclass(frozen=True)
class Call:
    """One DynamoDB API call: what it did, to which tables, and how it ended."""

    operation: str
    tables: tuple[str, ...]
    items: int  # keys read or items written by a batch or transaction; 1 otherwise
    error: str | None = None  # the error code when DynamoDB refused it, e.g. ConditionalCheckFailedException

    @property
    def is_read(self) -> bool:
        return self.operation in READS

    @property
    def is_write(self) -> bool:
        return self.operation in WRITES

    def __str__(self) -> str:
        where = ",".join(self.tables) or "-"
        size = f" x{self.items}" if self.operation.startswith(("Batch", "Transact")) else ""
        failed = f" -> {self.error}" if self.error else ""
        return f"{self.operation}({where}{size}){failed}"


class Calls(list):
    """The calls recorded so far, in order."""

    @property
    def reads(self) -> list[Call]:
        return [c for c in self if c.is_read]

    @property
    def writes(self) -> list[Call]:
        return [c for c in self if c.is_write]

    def operations(self) -> Counter:
        return Counter(c.operation for c in self)

    def on(self, table: str) -> list[Call]:
        return [c for c in self if table in c.tables]

    def summary(self) -> str:
        """'Query x2, TransactWriteItems': what a reader needs to see in a failed assertion."""
        return ", ".join(f"{op} x{n}" if n > 1 else op for op, n in self.operations().items()) or "none"

    def detail(self) -> str:
        return "\n".join(str(c) for c in self) or "no calls"


@contextmanager
def counting_dynamodb_calls() -> Iterator[Calls]:
    """Record every DynamoDB call made inside the block (not thread-safe: one block at a time)."""
    calls = Calls()
    original = BaseClient._make_api_call

    def counted(client: BaseClient, operation_name: str, api_params: dict) -> Any:
        if client.meta.service_model.service_name != "dynamodb":
            return original(client, operation_name, api_params)
        tables, items = _shape(api_params)
        try:
            response = original(client, operation_name, api_params)
        except ClientError as error:
            calls.append(Call(operation_name, tables, items, error.response.get("Error", {}).get("Code", "?")))
            raise
        calls.append(Call(operation_name, tables, items))
        return response

    from chalicelib.repositories.lean_reads import LeanReads

    original_exchange = LeanReads.exchange

    def counted_exchange(reads: LeanReads, operation_name: str, api_params: dict) -> bytes | None:
        body = original_exchange(reads, operation_name, api_params)
        calls.append(Call(operation_name, *_shape(api_params), None if body is not None else "not answered"))
        return body

    BaseClient._make_api_call = counted
    LeanReads.exchange = counted_exchange
    try:
        yield calls
    finally:
        BaseClient._make_api_call = original
        LeanReads.exchange = original_exchange


def _shape(params: dict) -> tuple[tuple[str, ...], int]:
    if "TableName" in params:
        return (params["TableName"],), 1
    if "RequestItems" in params:  # BatchGetItem / BatchWriteItem
        requests = params["RequestItems"]
        count = sum(len(r["Keys"]) if isinstance(r, dict) else len(r) for r in requests.values())
        return tuple(sorted(requests)), count
    if "TransactItems" in params:
        tables = {body["TableName"] for entry in params["TransactItems"] for body in entry.values()}
        return tuple(sorted(tables)), len(params["TransactItems"])
    return (), 0
