"""What differs between stages. Everything else in the stack is the same code for every stage.

Before deploying a stage, set its sender and public URL here (see docs/deploy.md); the example values
synthesize and lint, but SES refuses to send from an identity that is not verified in the account.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StageConfig:
    name: str                      # also the Chalice stage and the CDK construct id
    log_retention_days: int        # one of CloudWatch's allowed values
    retain_data: bool              # keep tables, user pool, secret and logs when the stack is deleted
    ses_identity: str              # the verified SES identity (domain or address) mail is sent from
    sender_email: str              # From: of every message, an address of `ses_identity`
    public_url: str                # where clients and staff open pages (links in messages)
    sms_sender_id: str = ""        # alphanumeric sender ID, where the destination country allows one
    sms_spend_alarm_usd: int = 50  # alarm when this month's SMS spend reaches this
    lambda_memory_mb: int = 512
    lambda_timeout_s: int = 15     # API Gateway gives up at 29 s anyway
    job_timeout_s: int = 60        # scheduled and event-driven functions (the outbox runs every minute)
    alarm_email: str | None = None  # subscribed to the alarm topic when set

    @property
    def stack_name(self) -> str:
        return f"turno-{self.name}"

    def resource_name(self, suffix: str = "") -> str:
        return f"turno-{self.name}" + (f"-{suffix}" if suffix else "")


STAGES = {
    "dev": StageConfig(
        name="dev", log_retention_days=14, retain_data=False,
        ses_identity="dev.turno.example", sender_email="no-reply@dev.turno.example",
        public_url="https://dev.turno.example", sms_spend_alarm_usd=5,
    ),
    "prod": StageConfig(
        name="prod", log_retention_days=90, retain_data=True,
        ses_identity="turno.example", sender_email="no-reply@turno.example",
        public_url="https://turno.example", sms_sender_id="Turno", sms_spend_alarm_usd=50,
    ),
}
