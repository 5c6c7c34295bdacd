"""The one place that picks concrete implementations, created lazily and kept while warm.

The edges (api/, auth/, jobs/) call these and hand the result to the use cases; nothing below them
imports this module. Ports and adapters are built per call (cheap: the boto3 clients behind them are
cached) so that they always follow the current settings."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import settings
from .domain.calendar import UTC

if TYPE_CHECKING:
    from .repositories.store import DynamoStore
    from .notifications.delivery import Senders
    from .ports import Directory, DoNotContact, Mailer, Registry, WorkQueue


@lru_cache(maxsize=1)
def store() -> "DynamoStore":
    """DynamoDB; PynamoDB (and botocore's client machinery) loads with the first route that reads or writes."""
    from .repositories.store import DynamoStore

    return DynamoStore()


def now() -> datetime:
    """The current instant; tests replace this to freeze time."""
    return datetime.now(UTC)


@lru_cache(maxsize=1)
def cognito():
    """Cognito (staff sign-in); botocore follows AWS_ENDPOINT_URL to moto's server locally."""
    import boto3

    return boto3.client("cognito-idp", region_name=settings().region)


@lru_cache(maxsize=1)
def sesv2():
    """SES v2, for every email (clients' messages and Turno's own); no botocore retries (see `_send_once`)."""
    import boto3

    return boto3.client("sesv2", region_name=settings().region, config=_send_once())


@lru_cache(maxsize=1)
def clients():
    """The backoffice's clients (profile, contact keys, search words, history)."""
    from .repositories.clients import ClientRepository

    return ClientRepository()


@lru_cache(maxsize=1)
def sns():
    """SNS, for clients' SMS (transactional); no botocore retries (see `_send_once`)."""
    import boto3

    return boto3.client("sns", region_name=settings().region, config=_send_once())


def _send_once():
    """One HTTP request per send: botocore would retry a read timeout or a dropped connection, and a
    provider that accepted the first request would then send the message twice. The delivery retries
    what was clearly refused itself (chalicelib/adapters/aws_senders.py, notifications/outbox.py)."""
    from botocore.config import Config

    return Config(retries={"total_max_attempts": 1, "mode": "standard"})


def directory() -> "Directory":
    """The staff directory: the stage's Cognito user pool and the backoffice's app client."""
    from .adapters.cognito import CognitoDirectory

    return CognitoDirectory(cognito, settings().user_pool_id, settings().user_pool_client_id)


def mailer() -> "Mailer":
    """Turno's own emails (staff invitations, a new owner's welcome), through SES from the sender address; locally
    (TURNO_LOCAL_OUTBOX) a copy of each in the same folder as the clients' messages."""
    from .adapters.aws_senders import SesMailer
    from .notifications.senders import LocalMailCopy

    config = settings()
    ses = SesMailer(sesv2, config.sender_email)
    return LocalMailCopy(ses, config.sender_email, Path(config.local_outbox), clock=now) if config.local_outbox else ses


def registry() -> "Registry":
    """Where sign-ups open new businesses (DynamoDB)."""
    from .repositories.signups import DynamoRegistry

    return DynamoRegistry()


def senders() -> "Senders":
    """Clients' messages: SES and SNS, and locally (TURNO_LOCAL_OUTBOX) a copy of each in a folder."""
    from .adapters.aws_senders import AwsSenders
    from .notifications.senders import LocalCopy

    config = settings()
    aws = AwsSenders(sesv2, sns, configuration_set=config.ses_configuration_set,
                     sms_sender_id=config.sms_sender_id)
    return LocalCopy(aws, Path(config.local_outbox), clock=now) if config.local_outbox else aws


def do_not_contact() -> "DoNotContact":
    """The do-not-contact list (erased clients' keyed hashes) with the stage's privacy key."""
    from .repositories.do_not_contact import DynamoListedContacts
    from .services.do_not_contact import DoNotContactList

    return DoNotContactList(settings().privacy_key, DynamoListedContacts())
@lru_cache(maxsize=1)
def plans():
    """Plans: templates, sold plans and their ledger (DynamoDB)."""
    from .repositories.plans import DynamoPlans

    return DynamoPlans()


@lru_cache(maxsize=1)
def sqs():
    """SQS, for the dormant-client sweep's units (a unit sent twice is harmless: botocore may retry)."""
    import boto3

    return boto3.client("sqs", region_name=settings().region)


def sweep_queue(inline) -> "WorkQueue":
    """The sweep's units: to the stage's SQS queue, or (no queue URL) to `inline`, in this process."""
    from .adapters.sqs_queue import InlineQueue, SqsQueue

    url = settings().sweep_queue_url
    return SqsQueue(sqs, url) if url else InlineQueue(inline)
