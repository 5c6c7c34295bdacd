"""Typed settings, read once from the environment. Endpoints are never set here: botocore and
PynamoDB follow AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB, which `make dev` and the tests set."""
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
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
