"""Every Lambda function Chalice builds, how it is invoked and exactly what it may touch.

Chalice's automatic policy cannot see PynamoDB or Powertools calls (autogen_policy is off), so the
grants are written here, one entry per function, listing the DynamoDB actions its code performs.
Transactions need no action of their own: IAM checks each Put/Update/Delete/ConditionCheck inside
a TransactWriteItems against PutItem/UpdateItem/DeleteItem/ConditionCheckItem. An index is a
separate resource (`<table arn>/index/<name>`) and is granted only the actions run against it.

The stack refuses to synthesize when Chalice produces a function missing from `FUNCTIONS`, so a new
`@app.schedule` or `@app.on_sns_message` cannot ship with no permissions or no failure handling.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Invocation(Enum):
    API = "api"        # synchronous, from API Gateway: the caller sees the error, nothing to retry
    ASYNC = "async"    # EventBridge schedules, SNS, plain async invokes: failures go to a queue


@dataclass(frozen=True)
class TableAccess:
    actions: tuple[str, ...]
    indexes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str                    # the resource Chalice's SAM template names it by
    name: str                          # deployed as turno-<stage>-<name>
    invocation: Invocation
    tables: dict[str, TableAccess]     # keyed by TableSpec.key


# The booking store (chalicelib/repositories/store.py): reads by key, the catalog query, contact and
# lock batch reads, the agenda index, slug/profile writes and the booking/cancel transactions.
MAIN_TABLE_BY_API = TableAccess(
    actions=(
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    ),
    indexes={"agenda": ("dynamodb:Query",)},
)
# Powertools' DynamoDBPersistenceLayer (chalicelib/services/idempotency.py).
IDEMPOTENCY_RECORDS = TableAccess(
    actions=("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
)

FUNCTIONS = (
    FunctionSpec(
        logical_id="APIHandler",
        name="api",
        invocation=Invocation.API,
        tables={"main": MAIN_TABLE_BY_API, "idempotency": IDEMPOTENCY_RECORDS},
    ),
)
