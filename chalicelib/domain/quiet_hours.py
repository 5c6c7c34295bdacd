"""No waiting-list offer by SMS at night: between 21:00 and 08:00 in the business's own time zone the offer
(and its "offer ended" notice) goes by email instead, whatever the SMS toggle says.

Why the email replaces the SMS rather than waiting for 08:00: a hold lasts 5 to 120 minutes, so an SMS kept
for the morning would arrive after the offer ended. Why a client without an email gets nothing at night:
waking someone with an SMS is worse than a missed offer; the hold runs its course and passes the time on,
and the client stays on the list for the next one. The hours are local wall-clock times (zoneinfo), so
they hold on the days the clocks change.
"""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from .messages import Channel, MessageKind
from .notification_settings import NotificationSettings

QUIET_FROM = time(21, 0)  # inclusive: 21:00 is quiet
QUIET_UNTIL = time(8, 0)  # exclusive: 08:00 is not
QUIET_KINDS = frozenset({MessageKind.OFFER, MessageKind.OFFER_EXPIRED})


def is_quiet(instant: datetime, tz: ZoneInfo) -> bool:
    local = instant.astimezone(tz).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def channels(kind: MessageKind, settings: NotificationSettings, *, has_email: bool, has_phone: bool,
             now: datetime | None, tz: ZoneInfo) -> tuple[bool, bool]:
    """(send the email, send the SMS) for this kind now: the business's toggles, then quiet hours."""
    email = settings.sends(kind, Channel.EMAIL) and has_email
    sms = settings.sends(kind, Channel.SMS) and has_phone
    if sms and kind in QUIET_KINDS and now is not None and is_quiet(now, tz):
        return has_email, False
    return email, sms
