"""Retried requests: Powertools' idempotency on the booking function, keyed by business and the
client's Idempotency-Key, with the body checked so a reused key cannot book something else."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from ..config import settings
from ..errors import ConflictError, ValidationError

EXPIRES_AFTER_SECONDS = 24 * 60 * 60


@lru_cache(maxsize=None)
def _wrapped(function: Callable[..., dict]) -> tuple[Callable[..., dict], Any]:
    # Imported and built on first use: the DynamoDB client costs cold-start time.
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    layer = DynamoDBPersistenceLayer(table_name=settings().idempotency_table_name)
    config = IdempotencyConfig(
        event_key_jmespath="[business, key]",
        payload_validation_jmespath="body",
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
    )
    wrapped = idempotent_function(function, data_keyword_argument="request", persistence_store=layer, config=config)
    return wrapped, config


def once(function: Callable[..., dict], *, business: str, key: str, body: dict, lambda_context: Any = None,
         **extra: Any) -> dict:
    """Call `function(request=...)` once per (business, key); a retry gets the first result back.

    With the Lambda context, a record left "in progress" by a timed-out invocation expires with it.
    """
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    if not 8 <= len(key) <= 128:
        raise ValidationError("Idempotency-Key must be 8 to 128 characters", field="Idempotency-Key")
    wrapped, config = _wrapped(function)
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)
    try:
        return wrapped(request={"business": business, "key": key, "body": body, **extra})
    except IdempotencyAlreadyInProgressError:
        raise ConflictError("the same request is still being processed", code="request_in_progress") from None
    except IdempotencyValidationError:
        raise ValidationError("this Idempotency-Key was used for a different request",
                              field="Idempotency-Key", code="idempotency_key_reused") from None
