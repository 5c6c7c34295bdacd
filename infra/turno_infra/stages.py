"""What differs between stages. Everything else in the stack is the same code for every stage."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StageConfig:
    name: str                      # also the Chalice stage and the CDK construct id
    log_retention_days: int        # one of CloudWatch's allowed values
    retain_data: bool              # keep tables, secret and logs when the stack is deleted
    lambda_memory_mb: int = 512
    lambda_timeout_s: int = 15     # API Gateway gives up at 29 s anyway
    alarm_email: str | None = None  # subscribed to the alarm topic when set

    @property
    def stack_name(self) -> str:
        return f"turno-{self.name}"

    def resource_name(self, suffix: str = "") -> str:
        return f"turno-{self.name}" + (f"-{suffix}" if suffix else "")


STAGES = {
    "dev": StageConfig(name="dev", log_retention_days=14, retain_data=False),
    "prod": StageConfig(name="prod", log_retention_days=90, retain_data=True),
}
