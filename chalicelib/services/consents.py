"""Consent per channel (email, SMS) and purpose (service messages, marketing): each change recorded with
its source, who made it, when, and the words the client saw or heard. Marketing reads only the latest."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..domain.fields import reject_unknown
from ..domain.marketing import CHANNELS, PURPOSES, Consent, ConsentChange
from ..domain.principal import Principal
from ..errors import ValidationError
from ..repositories import marketing as repo
from ..repositories.clients import ClientRepository
from ..templating import TEMPLATES_DIR

MAX_WORDING = 1000
LANGUAGES = ("en", "es", "it", "cs", "et")  # the booking page's languages (templates/pages/i18n/)


def _change(data: Any, index: int, by: str, source: str, now: datetime) -> ConsentChange:
    where = f"changes[{index}]."
    if not isinstance(data, dict):
        raise ValidationError("an object with channel, purpose, granted and wording", field=f"changes[{index}]",
                              code="wrong_type")
    reject_unknown(data, {"channel", "purpose", "granted", "wording"}, prefix=where)
    if data.get("channel") not in CHANNELS:
        raise ValidationError("email or sms", field=f"{where}channel", code="invalid_choice")
    if data.get("purpose", "marketing") not in PURPOSES:
        raise ValidationError("service or marketing", field=f"{where}purpose", code="invalid_choice")
    if not isinstance(data.get("granted"), bool):
        raise ValidationError("true or false", field=f"{where}granted", code="wrong_type")
    wording = data.get("wording")
    if wording is not None and (not isinstance(wording, str) or len(wording) > MAX_WORDING):
        raise ValidationError(f"a text of up to {MAX_WORDING} characters", field=f"{where}wording",
                              code="invalid_text")
    if data["granted"] and not (wording or "").strip():
        raise ValidationError("say what the client agreed to, in the words they saw or heard",
                              field=f"{where}wording", code="required")
    return ConsentChange(data["channel"], data.get("purpose", "marketing"), data["granted"], source, by, now,
                         (wording or "").strip())


def record_from_backoffice(clients: ClientRepository, principal: Principal, client_id: str, body: dict,
                           now: datetime) -> Consent:
    """Staff record what a client said (at the desk, on the phone, on paper)."""
    reject_unknown(body, {"changes"})
    raw = body.get("changes")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 4:
        raise ValidationError("one to four changes", field="changes", code="required")
    changes = [_change(data, i, principal.staff_id, "backoffice", now) for i, data in enumerate(raw)]
    clients.get(principal.business_id, client_id)  # 404 for another business's client
    return repo.record_consent(principal.business_id, client_id, changes)


def record_from_booking(business_id: str, business_name: str, client_id: str, chosen: dict[str, Any],
                        now: datetime) -> Consent | None:
    """What the client ticked on the public booking form (both boxes start unticked: silence is no), with
    the label they read, in the page's language (templates/pages/i18n/<language>.json)."""
    words = json.loads((TEMPLATES_DIR / "pages" / "i18n" / f"{chosen.get('language', 'en')}.json")
                       .read_text(encoding="utf-8"))
    changes = [ConsentChange(channel, "marketing", True, "booking_form", "client", now,
                             words[f"marketing_{channel}"].replace("{business}", business_name))
               for channel in ("email", "sms") if chosen.get(channel)]
    return repo.record_consent(business_id, client_id, changes) if changes else None


def withdraw(business_id: str, client_id: str, channel: str, source: str, now: datetime, wording: str) -> Consent:
    return repo.record_consent(business_id, client_id,
                               [ConsentChange(channel, "marketing", False, source, "client", now, wording)])


def consent_json(clients: ClientRepository, principal: Principal, client_id: str) -> dict[str, Any]:
    clients.get(principal.business_id, client_id)
    current = repo.consent(principal.business_id, client_id)
    return {
        "client": client_id,
        "consent": {channel: {purpose: _state(current.of(channel, purpose)) for purpose in PURPOSES}
                    for channel in CHANNELS},
        "history": [c.to_json() for c in repo.consent_history(principal.business_id, client_id)],
    }


def _state(change: ConsentChange | None) -> dict[str, Any] | None:
    return None if change is None else change.to_json()


def sms_reply(number: str, *, stop: bool, said: str, now: datetime, clients: ClientRepository | None = None) -> str | None:
    """A STOP or START replied to a marketing SMS: the business that last sent this number one changes its
    client's marketing SMS consent at once; the business id, or None when no marketing SMS went to it."""
    business_id = repo.sms_sender(number)
    if business_id is None:
        return None
    clients = clients or ClientRepository()
    holder = clients.holders(business_id, [f"phone#{number}"]).get(f"phone#{number}")
    if holder is None:
        return None
    repo.record_consent(business_id, holder, [ConsentChange("sms", "marketing", not stop,
                                                            "sms_stop" if stop else "sms_start", "client", now,
                                                            f"SMS reply: {said}")])
    return business_id
