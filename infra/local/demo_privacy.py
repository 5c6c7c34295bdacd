"""`make dev` step: the demo salon's kept data (`.local/dynamodb` of an older checkout) gets what retention and
erasure read (services/privacy_backfill.py): last-seen times and audit keys. Idempotent: a restart with the same
data changes nothing and says nothing. Retention itself stays off, as for every business, until turned on."""
from __future__ import annotations


def backfill_step(env: dict[str, str]) -> list[str]:
    from chalicelib import wiring
    from chalicelib.services.privacy_backfill import backfill

    from .devstack import DEMO_ID

    done = backfill(wiring.clients(), DEMO_ID)
    if not (done.raised or done.audit_entries):
        return []
    return [f"privacy: {done.raised} demo clients' last visit and {done.audit_entries} audit entries indexed"]
