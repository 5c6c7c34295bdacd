"""The waiting list's part of a client's export and erasure (services/privacy.py registers it from
FEATURE_MODULES).

Export: each of the client's requests (found through its `WAITOF` pointer, repositories/waitlist.py) with its
windows, status, notes, offer history and the offer messages filed under it (a request no client record
named; a client's own are in the core's `messages` section). Erasure: an open request is cancelled (a time held for it goes to
the next request at once, as when staff cancel it) and every request keeps its service, windows, status and
offer history under the pseudonym, without the name, email, phone and notes; their audit entries lose the
same, and so do the offers told to a request no client record named (filed under the request's id: their
outbox entries and message log). Reads by key and index only.
"""
from __future__ import annotations

from dataclasses import replace

from ..domain.openings import Outcome
from ..domain.privacy import ERASED, ERASED_FIRST_NAME, ERASED_LAST_NAME, scrubbed_view
from ..domain.waitlist import Contact, RequestStatus, WaitlistRequest, contact_keys
from ..repositories import codecs
from ..repositories import privacy as privacy_store
from ..repositories import waitlist as repository
from . import openings
from .privacy import Subject, section
from .waitlist import _holding

TARGET = "waitlist_request"  # the audit log's target kind of a request


def _export(subject: Subject) -> list[dict]:
    return [{"id": r.id, "status": r.status.value, "service": r.service_id, "services": list(r.service_ids),
             "staff": r.staff_id,
             "windows": [w.to_json() for w in r.windows], "client": vars(r.contact), "notes": r.notes,
             "created_at": r.created_at.isoformat(), "reference": r.reference, "offers": list(r.offers),
             "messages": [{"at": m.at.isoformat(), "kind": m.kind, "channel": m.channel, "status": m.status,
                           "to": m.to} for m in privacy_store.message_log(subject.business_id, r.id)]}
            for r in repository.client_requests(subject.business_id, subject.client.id)]


def forgotten(request: WaitlistRequest, client_id: str) -> Contact:
    return Contact(ERASED_FIRST_NAME, ERASED_LAST_NAME, None, None, request.contact.client_id or client_id)


def _erase(subject: Subject) -> int:
    c = subject.client
    changed = sum(repository.forget_joined(subject.business_id, contact_keys(Contact(c.first_name, email=c.email,
                                                                                     phone=phone)))
                  for phone in dict.fromkeys((c.phone, c.mobile)))
    for before in repository.client_requests(subject.business_id, subject.client.id):
        changed += _erase_offer_messages(subject, before)  # first: a retried erasure finds them the same way
        status = RequestStatus.CANCELLED if before.status.open else before.status
        after = replace(before.changed(subject.now, status=status), contact=forgotten(before, subject.client.id),
                        notes="")
        if (after.contact, after.notes, after.status) != (before.contact, before.notes, before.status):
            repository.replace(before, after)
            changed += 1
            if status is not before.status:
                held = _holding(before)
                if held is not None:
                    openings.advance(subject.store, held, Outcome.DECLINED, subject.now, who=before.id)
        changed += _erase_audit(subject, before.id)
    return changed


def _erase_offer_messages(subject: Subject, request: WaitlistRequest) -> int:
    """Offers to a request no client record named when they were told are filed under the request's id
    (domain/offer_messages.py), not under the client: their outbox entries (queued ones dropped, sent ones
    without address and contact) and message log, found by that id as the core's sections find the client's
    (which scrub the offers filed under the client). Two queries; nothing there for a client's own request."""
    logged = [m.outbox_id for m in privacy_store.message_log(subject.business_id, request.id)]
    outcomes = [privacy_store.scrub_outbox(m, codecs.appointment_json(m.appointment))
                for m in privacy_store.outbox(subject.business_id, request.id, logged)]
    return sum(o != "kept" for o in outcomes) + privacy_store.scrub_message_log(subject.business_id, request.id)


def _erase_audit(subject: Subject, request_id: str) -> int:
    """Its entries' notes and, for a request joined with details, the name the view shows as its client."""
    scrubbed = 0
    for item in privacy_store.audit_about(subject.business_id, TARGET, request_id):
        before, after = (_clean(v, subject.client.id) for v in (item.before, item.after))
        if (before, after) != (item.before, item.after):
            privacy_store.replace_views(item, before, after)
            scrubbed += 1
    return scrubbed


def _clean(view: dict | None, client_id: str) -> dict | None:
    view = scrubbed_view(view)
    if view and view.get("client") not in (None, "", client_id):
        view = {**view, "client": ERASED}
    return view


section("waiting_requests", export=_export, erase=_erase)
