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


@lru_cache(maxsize=1)
def cognito():
    """Cognito (staff sign-in); botocore follows AWS_ENDPOINT_URL to moto's server locally."""
    import boto3

    from .config import settings

    return boto3.client("cognito-idp", region_name=settings().region)


@lru_cache(maxsize=1)
def sesv2():
    """SES v2, for Turno's own emails (staff invitations)."""
    import boto3

    from .config import settings

    return boto3.client("sesv2", region_name=settings().region)


@lru_cache(maxsize=1)
def clients():
    """The backoffice's clients (profile, contact keys, search words, history)."""
    from .repositories.clients import ClientRepository

    return ClientRepository()


@lru_cache(maxsize=1)
def sns():
    """SNS, for clients' SMS (transactional)."""
    import boto3

    from .config import settings

    return boto3.client("sns", region_name=settings().region)
