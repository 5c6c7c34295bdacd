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
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
