"""Typed settings, read once from the environment (no other module of chalicelib reads it; a test in
tests/unit/test_import_graph.py checks). Endpoints are never set here: botocore and PynamoDB follow
AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB, which `make dev` and the tests set."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    stage: str
    table_name: str
    idempotency_table_name: str
    signing_key: bytes  # signs manage tokens; a secret per stage
    max_body_bytes: int = 64 * 1024
    # Staff sign-in (Amazon Cognito). The issuer is always the AWS form; the JWKS URL may point elsewhere
    # (moto's server locally), and an empty one means "the issuer's own /.well-known/jwks.json".
    region: str = "eu-west-1"
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    jwks_url: str = ""
    sender_email: str = "no-reply@turno.example"
    backoffice_url: str = "http://127.0.0.1:8000"
    # The table's stream, for the function that reads it. Chalice writes it into the package; infra/
    # replaces it with the stack's own table stream, so any placeholder of the right form does locally.
    table_stream_arn: str = "arn:aws:dynamodb:eu-west-1:000000000000:table/turno-dev/stream/local"
    # Logs and metrics (observability.py): Powertools' own variables, so its defaults agree.
    service_name: str = "turno"
    metrics_namespace: str = "Turno"
    # Clients' messages: the public site's base URL for manage links (empty: the backoffice URL), SES's
    # configuration set (its event destination publishes bounces and complaints), SMS sender id, and
    # locally (`make dev`) a folder that keeps a copy of every message sent.
    public_url: str = ""
    ses_configuration_set: str = ""
    sms_sender_id: str = ""
    local_outbox: str = ""
    # The SNS topic of SES/SNS delivery events. Chalice needs it while the app is imported (a decorator's
    # argument, chalicelib/jobs/handlers.py), so it is fixed when the app is packaged.
    delivery_topic: str = "turno-delivery-events"
    # Keys the do-not-contact list's hashes of erased clients' emails and phones (domain/do_not_contact.py):
    # a secret per stage, so the list cannot be matched against a guessed address without it.
    privacy_key: bytes = b"turno-insecure-privacy-key"
    # The dormant-client sweep's queue: one unit per business (chalicelib/jobs/handlers.py). Its name is the
    # SQS function's decorator argument (fixed when packaged, like the topic); the schedule sends to its URL.
    # No URL (tests, `chalice local` alone): the units are swept in the schedule's own process.
    sweep_queue: str = "turno-sweep"
    sweep_queue_url: str = ""

    @property
    def token_issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def token_keys_url(self) -> str:
        return self.jwks_url or f"{self.token_issuer}/.well-known/jwks.json"

    @classmethod
    def from_env(cls, env: os._Environ | dict = os.environ) -> "Settings":
        stage = env.get("TURNO_STAGE", "dev")
        key = env.get("TURNO_SIGNING_KEY")
        if not key:
            if stage not in ("dev", "test"):
                raise RuntimeError("TURNO_SIGNING_KEY must be set outside dev and test stages")
            key = f"turno-{stage}-insecure-signing-key"
        privacy_key = env.get("TURNO_PRIVACY_KEY")
        if not privacy_key:
            if stage not in ("dev", "test"):
                raise RuntimeError("TURNO_PRIVACY_KEY must be set outside dev and test stages")
            privacy_key = f"turno-{stage}-insecure-privacy-key"
        return cls(
            stage=stage,
            table_name=env.get("TURNO_TABLE", f"turno-{stage}"),
            idempotency_table_name=env.get("TURNO_IDEMPOTENCY_TABLE", f"turno-{stage}-idempotency"),
            signing_key=key.encode(),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
            user_pool_id=env.get("TURNO_USER_POOL_ID", ""),
            user_pool_client_id=env.get("TURNO_USER_POOL_CLIENT_ID", ""),
            jwks_url=env.get("TURNO_JWKS_URL", ""),
            sender_email=env.get("TURNO_SENDER_EMAIL", "no-reply@turno.example"),
            backoffice_url=env.get("TURNO_BACKOFFICE_URL", "http://127.0.0.1:8000"),
            table_stream_arn=env.get("TURNO_TABLE_STREAM_ARN", cls.table_stream_arn),
            service_name=env.get("POWERTOOLS_SERVICE_NAME") or cls.service_name,
            metrics_namespace=env.get("POWERTOOLS_METRICS_NAMESPACE") or cls.metrics_namespace,
            public_url=env.get("TURNO_PUBLIC_URL", ""),
            ses_configuration_set=env.get("TURNO_SES_CONFIGURATION_SET", ""),
            sms_sender_id=env.get("TURNO_SMS_SENDER_ID", ""),
            local_outbox=env.get("TURNO_LOCAL_OUTBOX", ""),
            delivery_topic=env.get("TURNO_DELIVERY_TOPIC", "turno-delivery-events"),
            privacy_key=privacy_key.encode(),
            sweep_queue=env.get("TURNO_SWEEP_QUEUE", "turno-sweep"),
            sweep_queue_url=env.get("TURNO_SWEEP_QUEUE_URL", ""),
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
