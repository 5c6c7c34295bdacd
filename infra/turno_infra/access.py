"""Every Lambda function the app defines, how it is invoked and exactly what it may touch: data.

Keys are Chalice's names for the functions: `api_handler` for the one function behind every route,
otherwise the decorated Python function's name (`@app.authorizer`, `@app.schedule`,
`@app.on_sns_message`, `@app.on_dynamodb_record`, `@app.on_sqs_message`, `@app.lambda_function`).

Chalice's automatic policy cannot see PynamoDB, Powertools or lazily built boto3 clients
(autogen_policy is off), so the grants are written here, listing the calls each function's code makes.
Transactions need no action of their own: IAM checks each Put/Update/Delete/ConditionCheck inside a
TransactWriteItems against PutItem/UpdateItem/DeleteItem/ConditionCheckItem. An index is a separate
resource (`<table arn>/index/<name>`) and is granted only the actions run against it.

A function the app defines with no entry here stops `make synth` (the stack compares this table with
what Chalice packages) and fails `tests/infra/test_functions_declared.py`, so no new function ships
without a policy, failure handling and alarms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Mapping


class Invocation(Enum):
    SYNC = "sync"      # API Gateway (routes, the authorizer): the caller sees the error, nothing to retry
    ASYNC = "async"    # EventBridge schedules, SNS: failed events go to the function's failure queue
    STREAM = "stream"  # a table's DynamoDB stream, polled by Lambda's event source mapping: a failing batch
    #                    is split and retried a bounded number of times, then its place in the stream goes
    #                    to the function's failure queue and the shard moves on
    QUEUE = "queue"    # one of the stack's SQS work queues, polled by Lambda's event source mapping: a failed
    #                    message (the function's partial batch response names it) comes back after the
    #                    visibility timeout, and after a few receives moves to the queue's dead-letter queue

    @property
    def has_failure_queue(self) -> bool:
        """A failure queue of the function's own (a QUEUE function's failures stay in its queue's dead letters)."""
        return self in (Invocation.ASYNC, Invocation.STREAM)


@dataclass(frozen=True)
class TableAccess:
    actions: tuple[str, ...]
    indexes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Grants:
    invocation: Invocation
    tables: Mapping[str, TableAccess]             # keyed by TableSpec.key (tables.py)
    send_email: bool = False                      # SES SendEmail from the sender identity, through the configuration set
    send_sms: bool = False                        # SNS Publish to phone numbers
    user_pool: tuple[str, ...] = ()               # cognito-idp admin actions on the stage's user pool
    sns_topic: str | None = None                  # for @on_sns_message: the stack's topic it is subscribed to
    stream: str | None = None                     # for @on_dynamodb_record: the table (TableSpec.key) whose
    #                                               stream it reads, whatever ARN the decorator names
    queue: str | None = None                      # for @on_sqs_message: the stack's work queue it reads
    sends_to: tuple[str, ...] = ()                # the stack's work queues it sends units of work to


def logical_id(name: str) -> str:
    """The resource name Chalice gives the function in its SAM template."""
    if name == "api_handler":
        return "APIHandler"
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_") if part)


# The store, the client and account repositories (chalicelib/repositories/): reads by key, the catalog
# and history queries, contact and lock batch reads, the agenda index, and the booking, change and
# backoffice transactions.
MAIN_TABLE_BY_API = TableAccess(
    actions=(
        "dynamodb:BatchGetItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    ),
    indexes={"agenda": ("dynamodb:Query",)},
)
# Scheduled delivery (chalicelib/repositories/messages.py through delivery and reminders): the `due`
# index, outbox items claimed and finished (conditional updates, transactions of updates and puts),
# undeliverable marks in one batch read, the catalog query and client reads.
MAIN_TABLE_BY_JOBS = TableAccess(
    actions=(
        "dynamodb:BatchGetItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    ),
    indexes={"due": ("dynamodb:Query",)},
)
# The jobs' access, and the open waiting-list requests in the `agenda` index (chalicelib/services/openings.py):
# the stream function offers freed time to them, the hold job passes holds on among them.
MAIN_TABLE_BY_WAITLIST_JOBS = TableAccess(
    actions=MAIN_TABLE_BY_JOBS.actions,
    indexes={"due": ("dynamodb:Query",), "agenda": ("dynamodb:Query",)},
)
# Powertools' DynamoDBPersistenceLayer (chalicelib/services/idempotency.py).
IDEMPOTENCY_RECORDS = TableAccess(
    actions=("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
)

_FUNCTIONS: dict[str, Grants] = {
    # Every route. Staff invitations go out by email (SES); owners create and remove staff logins;
    # sign-out revokes a login's tokens.
    "api_handler": Grants(
        invocation=Invocation.SYNC,
        tables={"main": MAIN_TABLE_BY_API, "idempotency": IDEMPOTENCY_RECORDS},
        send_email=True,
        user_pool=("cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser",  # invite, undo, remove a login
                   "cognito-idp:AdminGetUser", "cognito-idp:AdminSetUserPassword",  # resend an invitation
                   "cognito-idp:AdminUserGlobalSignOut"),  # sign out everywhere
    ),
    # The outbox (chalicelib/jobs, notifications/delivery.py): the due index, claims and results
    # written back, the catalog and client read to compose, then email and SMS.
    "deliver_outbox": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_JOBS},
        send_email=True,
        send_sms=True,
    ),
    # Reminders due (the due index), each turned into an outbox item and delivered at once.
    "send_reminders": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_JOBS},
        send_email=True,
        send_sms=True,
    ),
    # Plans whose validity ended (the due index), each expired in one conditional transaction.
    "expire_plans": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_JOBS},
    ),
    # Plan nudges (services/plan_nudges.py): plans ending soon and queued "one session left" nudges (the due
    # index; a handled one is deleted), their ledger, the claim (a transaction of two conditional puts), then
    # the email and SMS. The stream function queues those nudges (a put) with its own grants.
    "nudge_plans": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_JOBS},
        send_email=True,
        send_sms=True,
    ),
    # The main table's stream (chalicelib/jobs/stream.py): new outbox messages are sent at once, as the
    # outbox job would send them (same reads and writes, email and SMS), and domain events reach their
    # subscribers. Reading the stream itself is granted from `stream`.
    "on_table_change": Grants(
        invocation=Invocation.STREAM,
        tables={"main": MAIN_TABLE_BY_WAITLIST_JOBS},
        send_email=True,
        send_sms=True,
        stream="main",
    ),
    # The reports' nightly reconciliation (services/reconciliation.py): the list of businesses and each one's
    # catalog (queries), each business's last 35 days from the agenda index, what each appointment and client
    # counted (GetItem) and the repairs (transactions of puts and updates). No messages.
    "reconcile_reports": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": TableAccess(actions=("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                                             "dynamodb:UpdateItem"),
                                    indexes={"agenda": ("dynamodb:Query",)})},
    ),
    # Waiting-list holds that ran out (chalicelib/services/openings.py): the `due` index, the open requests
    # in the `agenda` index, the lock units read back, one transaction per hold passed on.
    "release_holds": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_WAITLIST_JOBS},
    ),
    # SES bounces and complaints, SMS opt-outs: marks the address undeliverable (one PutItem). A STOP/START
    # replied to a marketing SMS (services/consents.py `sms_reply`): the business that sent it (GetItem), its
    # client by phone (BatchGetItem of the contact key), the consent and its log (GetItem, a transaction of puts).
    # An SES delivery event of a marketing email: its message by the provider's id (GetItem), marked (UpdateItem).
    "on_sns_message": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": TableAccess(actions=("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem",
                                             "dynamodb:UpdateItem"))},
        sns_topic="delivery-events",
    ),
    # The backoffice's token authorizer (chalicelib/auth/authorizer.py): one GetItem of the login by its
    # subject. Its Cognito call (GetUser with the caller's own token) needs no IAM permission.
    "staff": Grants(
        invocation=Invocation.SYNC,
        tables={"main": TableAccess(actions=("dynamodb:GetItem",))},
    ),
    # Nightly retention (chalicelib/services/retention.py): the registry and idle clients (the agenda
    # index), then each erasure as the API makes it (services/privacy.py): reads by key and index, the
    # do-not-contact puts, scrubbing updates and deletes, the cancellations' and the record's transactions.
    "apply_retention": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_API},
    ),
    # Marketing (chalicelib/services/marketing_delivery.py): the marketing outbox in the due index, each
    # message claimed with the client's cap and the SMS quota (transactions of updates), then email and SMS.
    "deliver_marketing": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": MAIN_TABLE_BY_JOBS},
        send_email=True,
        send_sms=True,
    ),
    # The daily dormant-client sweep's schedule (chalicelib/services/winback.py `fan_out`): the businesses with
    # it on (one query), one unit each to the sweep's queue (SendMessageBatch, granted as sqs:SendMessage).
    "sweep_dormant_clients": Grants(
        invocation=Invocation.ASYNC,
        tables={"main": TableAccess(actions=("dynamodb:Query",))},
        sends_to=("sweep",),
    ),
    # One business's sweep per unit of the sweep's queue: its settings and catalog, the day's claim (a conditional
    # put, given back by a delete if it fails), dormant clients by last visit (the agenda index), their profiles,
    # consent and caps (batch reads), and each win-back queued with its record (a transaction of a put and an
    # update). It sends nothing itself.
    "sweep_business": Grants(
        invocation=Invocation.QUEUE,
        tables={"main": TableAccess(actions=MAIN_TABLE_BY_JOBS.actions, indexes={"agenda": ("dynamodb:Query",)})},
        queue="sweep",
    ),
}
FUNCTIONS: Mapping[str, Grants] = MappingProxyType(_FUNCTIONS)
