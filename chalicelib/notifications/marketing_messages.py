"""What a marketing message says: the business's own text (the client messages' Jinja2 sandbox, with the
client's variables), always followed by the business's name and how to opt out. Every marketing email
carries List-Unsubscribe (https and mailto) and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058),
whose link unsubscribes with one POST and no login (an HMAC token, domain/marketing_links.py)."""
from __future__ import annotations

import hashlib
import hmac
import re
from enum import Enum
from typing import Any, Mapping

from markupsafe import Markup, escape

from ..domain.messages import Channel, MessageKind
from ..domain.model import Business, Client
from ..domain.notification_settings import CustomText, SmsMode
from ..templating import environment
from . import render, sms
from .compose import Message, e164

VARIABLES: dict[str, tuple[str, ...]] = {
    "business": ("name", "phone"),
    "client": ("first_name", "last_name", "name"),
    "booking_url": (),
    "unsubscribe_url": (),  # email only ("" in an SMS: the SMS says how to reply STOP)
}
TEXT_FIELDS = ("email_subject", "email_body", "sms_body")
MAX_TEXT = {"email_subject": 200, "email_body": 5000, "sms_body": 640}

# The opt-out every message ends with, in the business's language.
OPT_OUT = {
    "en": ("You receive this because you agreed to news from {business}. Unsubscribe: {url}",
           "{business}: reply STOP to opt out"),
    "es": ("Recibes este mensaje porque aceptaste recibir novedades de {business}. Darse de baja: {url}",
           "{business}: responde STOP para no recibir más"),
    "it": ("Ricevi questo messaggio perché hai accettato le novità di {business}. Annulla l'iscrizione: {url}",
           "{business}: rispondi STOP per non ricevere più"),
    "cs": ("Tuto zprávu dostáváte, protože jste souhlasili se zasíláním novinek od {business}. Odhlásit: {url}",
           "{business}: odpovězte STOP pro odhlášení"),
    "et": ("Saate selle kirja, sest nõustusite saama uudiseid ettevõttelt {business}. Loobu: {url}",
           "{business}: loobumiseks vasta STOP"),
}


class MarketingKind(str, Enum):
    """Marketing messages beside the six booking kinds (domain/messages.py): they share the senders only."""

    CAMPAIGN = "campaign"
    WINBACK = "win_back"


def unsubscribe_token(key: bytes, business_id: str, client_id: str) -> str:
    return hmac.new(key, f"unsubscribe:{business_id}:{client_id}".encode(), hashlib.sha256).hexdigest()[:32]


def holds_unsubscribe_token(key: bytes, business_id: str, client_id: str, token: str | None) -> bool:
    if not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(unsubscribe_token(key, business_id, client_id).encode(),
                               token.encode("utf-8", "surrogatepass"))


def unsubscribe_url(base: str, key: bytes, business_id: str, client_id: str) -> str:
    return f"{base.rstrip('/')}/unsubscribe/{business_id}/{client_id}/{unsubscribe_token(key, business_id, client_id)}"


def check_texts(texts: Mapping[str, Any]) -> dict[str, str]:
    """The campaign's texts, each checked in the sandbox against a sample; at least one channel."""
    chosen: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = texts.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > MAX_TEXT[name]:
            raise render.InvalidTemplateError(f"a text of up to {MAX_TEXT[name]} characters", field=name)
        render.check_custom_text(CustomText(MessageKind.CONFIRMED, Channel.EMAIL, value), SAMPLE, VARIABLES)
        chosen[name] = value
    if "email_body" in chosen and "email_subject" not in chosen:
        raise render.InvalidTemplateError("an email needs a subject", field="email_subject")
    if "email_subject" in chosen and "email_body" not in chosen:
        raise render.InvalidTemplateError("an email needs a body", field="email_body")
    if not chosen:
        raise render.InvalidTemplateError("write an email, an SMS, or both", field="email_body")
    return chosen


SAMPLE = {"business": {"name": "Salon", "phone": "+34 910 00 00 00"},
          "client": {"first_name": "Maria", "last_name": "Rossi", "name": "Maria Rossi"},
          "booking_url": "https://example.com/b/salon", "unsubscribe_url": "https://example.com/unsubscribe/x"}


def values(business: Business, client: Client, booking_url: str, unsubscribe: str) -> dict[str, Any]:
    return {"business": {"name": business.name, "phone": business.phone or ""},
            "client": {"first_name": client.first_name, "last_name": client.last_name,
                       "name": f"{client.first_name} {client.last_name}".strip()},
            "booking_url": booking_url, "unsubscribe_url": unsubscribe}


def email(kind: MarketingKind, texts: Mapping[str, str], business: Business, client: Client, *, booking_url: str,
          unsubscribe: str, mailto: str) -> Message:
    locale = render.message_locale(business.locale)
    data = values(business, client, booking_url, unsubscribe)
    subject = " ".join(render.sandbox().from_string(texts["email_subject"]).render(data).split())
    body = render._tidy(render.sandbox().from_string(texts["email_body"]).render(data))
    footer = OPT_OUT[locale][0].format(business=business.name, url=unsubscribe)
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    html = environment().get_template("marketing/email.html").render(
        locale=locale, business=business.name, unsubscribe_url=unsubscribe,
        footer=OPT_OUT[locale][0].format(business=business.name, url="").rstrip(": ").rstrip(),
        paragraphs=[Markup("<br>\n").join(escape(line) for line in p.split("\n")) for p in paragraphs])
    headers = (("List-Unsubscribe", f"<{unsubscribe}>, <{mailto}>"),
               ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return Message(kind, "email", client.email or "", subject, f"{body}\n\n--\n{footer}", html, locale=locale,
                   headers=headers)


def text_message(kind: MarketingKind, texts: Mapping[str, str], business: Business, client: Client, *,
                 booking_url: str, mode: SmsMode) -> Message | None:
    phone = e164(client.phone)
    if phone is None:
        return None
    locale = render.message_locale(business.locale)
    body = render._tidy(render.sandbox().from_string(texts["sms_body"]).render(
        values(business, client, booking_url, "")))
    encoded = sms.encode(f"{body}\n{OPT_OUT[locale][1].format(business=business.name)}", mode)
    return Message(kind, "sms", phone, None, encoded.text, encoding=encoded.encoding, segments=encoded.segments,
                   locale=locale)
