"""What a plan nudge says: templates/plan_nudges/<locale>/<kind>.{subject.txt,txt,html,sms.txt}, email + SMS.

Kept apart from the six booking kinds (domain/messages.py MessageKind): a nudge is about a plan, not an
appointment, so it has no booking details, no .ics and no manage link. The business's toggles for
`reminder` (notification settings) decide its channels: a nudge is a reminder about the plan.
"""
from __future__ import annotations

from babel.dates import format_date

from ..domain.messages import Channel, MessageKind
from ..domain.model import Business, Client
from ..domain.notification_settings import NotificationSettings
from ..domain.plan_nudges import Nudge
from ..templating import environment
from . import render, sms
from .compose import Message, e164

TOGGLE = MessageKind.REMINDER


def compose(nudge: Nudge, *, business: Business, client: Client, plan_name: str, booking_url: str,
            settings: NotificationSettings) -> list[Message]:
    """Email first, then SMS, each when the business's reminder toggle and the client's address allow."""
    wants_email = settings.sends(TOGGLE, Channel.EMAIL) and bool(client.email)
    phone = e164(client.phone)
    wants_sms = settings.sends(TOGGLE, Channel.SMS) and phone is not None
    locale = render.message_locale(business.locale)
    end = render._plain(format_date(nudge.end, "long", locale=locale))
    values = {"locale": locale, "booking_url": booking_url,
              "business": {"name": business.name, "phone": business.phone or ""},
              "client": {"first_name": client.first_name, "last_name": client.last_name,
                         "name": f"{client.first_name} {client.last_name}".strip()},
              "plan": {"name": plan_name, "end": end, "days_left": nudge.days_left, "units_left": nudge.units_left}}
    messages = []
    if wants_email:
        subject, text, html = (_render(nudge, part, values) for part in ("subject.txt", "txt", "html"))
        messages.append(Message(nudge.kind, Channel.EMAIL.value, client.email or "", " ".join(subject.split()),
                                render._tidy(text), html, locale=locale))
    if wants_sms:
        encoded = sms.encode(render._tidy(_render(nudge, "sms.txt", values)), settings.sms_mode)
        messages.append(Message(nudge.kind, Channel.SMS.value, phone, None, encoded.text, encoding=encoded.encoding,
                                segments=encoded.segments, locale=locale))
    return messages


def _render(nudge: Nudge, part: str, values: dict) -> str:
    return environment().get_template(f"plan_nudges/{values['locale']}/{nudge.kind.value}.{part}").render(values)
