"""Plans' part of a client's export and erasure (services/privacy.py registers it from FEATURE_MODULES).

Export: every plan sold to the client with its balances and whole ledger. Erasure keeps the accounts: a sold
plan holds no personal data (its terms are the template's copy, its client is the pseudonymised id), so sales,
units and ledger amounts stay as they are; only the reasons staff typed on ledger entries are replaced, as the
audit log's free texts are. A booking's held unit is released by the ordinary change path when the erasure
cancels that future appointment. Reads by key only (the client's plans are one key range).
"""
from __future__ import annotations

from ..domain.plan_views import plan_json
from ..domain.privacy import ERASED
from ..repositories import plans as repo
from . import plans
from .privacy import Subject, section


def _export(subject: Subject) -> list[dict]:
    book = repo.DynamoPlans()  # the same view as GET /admin/clients/{id}/plans/{plan}
    return [plan_json(plans.view(book, p), with_ledger=True)
            for p in sorted(book.client_plans(subject.business_id, subject.client.id), key=lambda p: p.sold_at)]


def _erase(subject: Subject) -> int:
    return sum(repo.scrub_ledger_reasons(subject.business_id, p.id, ERASED)
               for p in repo.DynamoPlans().client_plans(subject.business_id, subject.client.id))


section("plans", export=_export, erase=_erase)
