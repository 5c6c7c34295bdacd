"""Marketing's part of a client's export and erasure (services/privacy.py registers it from FEATURE_MODULES).

Export: the consent as it stands and its whole history, and every marketing message queued for the client.
Erasure stops marketing and keeps the facts: each granted consent is withdrawn (source `erasure`, a change in
the history like any other: what was agreed when, with which words, stays; the history never held a contact);
waiting messages leave the queue, sent ones lose their address; the number's STOP-reply pointer
(`SMSTO#<number>`, a key that is the number) goes. Figures (visits, spend, cap, SMS quota, attribution) stay:
they are the business's counts and hold nothing that reaches the person. Reads by key and index only.
"""
from __future__ import annotations

from ..domain.marketing import ConsentChange
from ..repositories import marketing as repo
from .privacy import Subject, section

ERASURE = "erasure"  # a consent change's source when the client was erased
ERASURE_WORDING = "Client erased: marketing stopped"


def _export_consent(subject: Subject) -> dict:
    current = repo.consent(subject.business_id, subject.client.id)
    return {"current": current.to_json(),
            "history": [c.to_json() for c in repo.consent_history(subject.business_id, subject.client.id, limit=1000)]}


def _erase_consent(subject: Subject) -> int:
    granted = [c for c in repo.consent(subject.business_id, subject.client.id).latest.values() if c.granted]
    if not granted:
        return 0
    repo.record_consent(subject.business_id, subject.client.id, [
        ConsentChange(c.channel, c.purpose, False, ERASURE, subject.actor.staff_id, subject.now, ERASURE_WORDING)
        for c in granted])
    return len(granted)


def _export_messages(subject: Subject) -> list[dict]:
    return [{"campaign": m.campaign_id, "channel": m.channel, "status": m.status, "to": m.to,
             "created_at": m.created_at and m.created_at.isoformat(), "sent_at": m.sent_at and m.sent_at.isoformat()}
            for m in repo.client_messages(subject.business_id, subject.client.id)]


def _erase_messages(subject: Subject) -> int:
    messages = repo.client_messages(subject.business_id, subject.client.id)
    changed = sum(repo.forget_message(m) != "kept" for m in messages)
    numbers = {m.to for m in messages if m.channel == "sms" and m.to}
    numbers |= {n for n in (subject.client.phone, subject.client.mobile) if n}
    return changed + sum(repo.forget_sms_sender(n, subject.business_id) for n in sorted(numbers))


section("consent", export=_export_consent, erase=_erase_consent)
section("marketing_messages", export=_export_messages, erase=_erase_messages)
