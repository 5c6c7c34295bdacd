"""Marketing in the salon's words: what we know of each client's visits, who is loyal or dormant, who may be
written to and why not, quiet hours, and when a dormant client is due a win-back.

Pure: no I/O. The per-client figures (`ClientStats`) are rebuilt from the state of each of the client's
appointments, kept from the table's stream (services/marketing_stats.py); views and the sweep read them.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from ..errors import ValidationError
from .calendar import UTC
from .fields import reject_unknown
from .model import Appointment, AppointmentStatus as S

CHANNELS = ("email", "sms")
PURPOSES = ("service", "marketing")
ATTRIBUTION_DAYS = 14  # a booking within this many days of a marketing message counts for it
WINBACK_EVERY_DAYS = 30  # at most one win-back per client in this many days
WINBACKS_PER_ABSENCE = 3  # and at most this many for one absence (one last visit)
RHYTHM_GAPS = 5  # a client's rhythm is the median of their last gaps, at most this many
RHYTHM_MIN_VISITS = 3
LONGEST_RHYTHM = 365  # a once-a-year client is dormant after a year and the margin, not later
SWEEP_WINDOW_DAYS = WINBACK_EVERY_DAYS * WINBACKS_PER_ABSENCE + 30  # past a client's threshold, the sweep
# stops looking: three win-backs 30 days apart fit in it, and a daily sweep reads only this band of clients


# -- what each appointment adds -------------------------------------------------------------------------
@dataclass(frozen=True)
class Visit:
    """One appointment as marketing counts it; `day` is the business's local date of its start."""

    reference: str
    status: S
    day: date
    start: datetime
    service_id: str
    price: Decimal

    def to_json(self) -> list:
        return [self.status.value, self.day.isoformat(), self.start.astimezone(UTC).isoformat(),
                self.service_id, str(self.price)]

    @classmethod
    def from_json(cls, reference: str, data: list) -> "Visit":
        return cls(reference, S(data[0]), date.fromisoformat(data[1]), datetime.fromisoformat(data[2]),
                   data[3], Decimal(data[4]))

    @classmethod
    def of(cls, appointment: Appointment, tz: ZoneInfo) -> "Visit":
        return cls(appointment.reference, appointment.status, appointment.start.astimezone(tz).date(),
                   appointment.start, appointment.service_id, appointment.price)


@dataclass(frozen=True)
class ClientStats:
    """A client's figures, derived from their appointments' states (cancelled and rejected count for nothing)."""

    client_id: str
    visits: tuple[Visit, ...] = ()  # every appointment, by start

    @classmethod
    def of(cls, client_id: str, visits: Iterable[Visit]) -> "ClientStats":
        return cls(client_id, tuple(sorted(visits, key=lambda v: (v.start, v.reference))))

    @property
    def completed(self) -> tuple[Visit, ...]:
        return tuple(v for v in self.visits if v.status is S.COMPLETED)

    @property
    def completed_count(self) -> int:
        return len(self.completed)

    @property
    def spend(self) -> Decimal:
        return sum((v.price for v in self.completed), Decimal(0))

    @property
    def first_visit(self) -> date | None:
        done = self.completed
        return done[0].day if done else None

    @property
    def last_visit(self) -> date | None:
        done = self.completed
        return done[-1].day if done else None

    @property
    def services(self) -> frozenset[str]:
        return frozenset(v.service_id for v in self.completed)

    @property
    def booked_until(self) -> datetime | None:
        """The start of their latest appointment still on the agenda (pending, confirmed, arrived)."""
        held = [v.start for v in self.visits if v.status.holds_time]
        return max(held) if held else None

    def booked_ahead(self, now: datetime) -> bool:
        until = self.booked_until
        return until is not None and until > now

    @property
    def last_was_no_show(self) -> bool:
        """Whether the last appointment that ended one way or the other was a no-show."""
        ended = [v for v in self.visits if v.status in (S.COMPLETED, S.NO_SHOW)]
        return bool(ended) and ended[-1].status is S.NO_SHOW

    def gaps(self) -> list[int]:
        """Days between consecutive completed visits (distinct local dates), oldest first."""
        days = sorted({v.day for v in self.completed})
        return [(b - a).days for a, b in zip(days, days[1:])]

    def rhythm(self) -> int | None:
        """The median of their last gaps, in days, once they have at least three visits."""
        gaps = self.gaps()
        if len(gaps) + 1 < RHYTHM_MIN_VISITS:
            return None
        return int(statistics.median(gaps[-RHYTHM_GAPS:]))

    def absent_days(self, today: date) -> int | None:
        last = self.last_visit
        return None if last is None else (today - last).days

    def in_period(self, first: date, last: date) -> tuple[Visit, ...]:
        return tuple(v for v in self.completed if first <= v.day <= last)


# -- settings -----------------------------------------------------------------------------------------
class SweepMode(str, Enum):
    OFF = "off"
    FIXED = "fixed"  # absent for the business's N days
    RHYTHM = "rhythm"  # each client's own rhythm plus a margin (N for clients with fewer than three visits)


EARLIEST, LATEST = time(8, 0), time(21, 0)  # marketing SMS never outside these, whatever a business sets


@dataclass(frozen=True)
class MarketingSettings:
    quiet_start: time = time(9, 0)  # marketing SMS go out between these, business time
    quiet_end: time = time(20, 0)
    cap_days: int = 7  # at most one marketing message per client in this many days (campaigns and win-backs)
    sms_monthly_quota: int = 500  # marketing SMS per calendar month (business time)
    soft_opt_in_email: bool = False  # EU soft opt-in: existing clients get marketing email unless they refused
    sweep: SweepMode = SweepMode.OFF
    sweep_days: int = 60  # "absent for N days"
    margin_days: int = 14  # added to a client's rhythm
    winback_subject: str = "{{ business.name }} misses you, {{ client.first_name }}"
    winback_email: str = ("Hello {{ client.first_name }},\n\nit has been a while since your last visit. "
                          "Book your next appointment here: {{ booking_url }}")
    winback_sms: str = "{{ business.name }}: we miss you, {{ client.first_name }}! Book: {{ booking_url }}"

    def to_json(self) -> dict[str, Any]:
        return {"quiet_start": self.quiet_start.strftime("%H:%M"), "quiet_end": self.quiet_end.strftime("%H:%M"),
                "cap_days": self.cap_days, "sms_monthly_quota": self.sms_monthly_quota,
                "soft_opt_in_email": self.soft_opt_in_email, "sweep": self.sweep.value,
                "sweep_days": self.sweep_days, "margin_days": self.margin_days,
                "winback_subject": self.winback_subject, "winback_email": self.winback_email,
                "winback_sms": self.winback_sms}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "MarketingSettings":
        return checked_settings(data, cls())


def _clock(value: Any, name: str) -> time:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ValidationError("a time as HH:MM", field=name, code="invalid_time")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationError("a time as HH:MM", field=name, code="invalid_time") from None


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(f"a whole number from {low} to {high}", field=name, code="out_of_range")
    return value


def checked_settings(data: Mapping[str, Any], current: MarketingSettings) -> MarketingSettings:
    """`current` with the fields of `data` applied, or a 400 naming the field at fault."""
    reject_unknown(dict(data), set(current.to_json()))
    changes: dict[str, Any] = {}
    for name in ("quiet_start", "quiet_end"):
        if name in data:
            changes[name] = _clock(data[name], name)
    limits = {"cap_days": (0, 365), "sms_monthly_quota": (0, 1_000_000), "sweep_days": (7, 3650),
              "margin_days": (0, 365)}
    for name, (low, high) in limits.items():
        if name in data:
            changes[name] = _whole(data[name], name, low, high)
    if "soft_opt_in_email" in data:
        if not isinstance(data["soft_opt_in_email"], bool):
            raise ValidationError("true or false", field="soft_opt_in_email", code="wrong_type")
        changes["soft_opt_in_email"] = data["soft_opt_in_email"]
    if "sweep" in data:
        try:
            changes["sweep"] = SweepMode(data["sweep"])
        except ValueError:
            raise ValidationError("off, fixed or rhythm", field="sweep", code="invalid_choice") from None
    for name in ("winback_subject", "winback_email", "winback_sms"):
        if name in data:
            if not isinstance(data[name], str) or not data[name].strip() or len(data[name]) > 2000:
                raise ValidationError("a text of 1 to 2000 characters", field=name, code="invalid_text")
            changes[name] = data[name]
    chosen = replace(current, **changes)
    if chosen.quiet_start < EARLIEST or chosen.quiet_end > LATEST:
        raise ValidationError("marketing SMS can go out between 08:00 and 21:00 at most",
                              field="quiet_start" if chosen.quiet_start < EARLIEST else "quiet_end",
                              code="outside_allowed_hours")
    if chosen.quiet_end <= chosen.quiet_start:
        raise ValidationError("must be after quiet_start", field="quiet_end", code="period_backwards")
    return chosen


# -- quiet hours ---------------------------------------------------------------------------------------
def sms_window_opens(now: datetime, tz: ZoneInfo, settings: MarketingSettings) -> datetime:
    """`now` when a marketing SMS may go out now; otherwise the next instant it may (business time).
    Wall-clock times are placed in the zone afresh each day, so a DST change moves nothing."""
    local = now.astimezone(tz)
    if settings.quiet_start <= local.time() < settings.quiet_end:
        return now
    day = local.date() if local.time() < settings.quiet_start else local.date() + timedelta(days=1)
    return datetime.combine(day, settings.quiet_start, tzinfo=tz).astimezone(UTC)


# -- consent -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsentChange:
    """One change of one channel and purpose, as recorded: who, when, from where, and the words they saw."""

    channel: str
    purpose: str
    granted: bool
    source: str  # booking_form | backoffice | unsubscribe_link | sms_stop | sms_start | import
    by: str  # "client" or a staff id
    at: datetime
    wording: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "purpose": self.purpose, "granted": self.granted, "source": self.source,
                "by": self.by, "at": self.at.astimezone(UTC).isoformat(), "wording": self.wording}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ConsentChange":
        return cls(data["channel"], data["purpose"], data["granted"], data["source"], data["by"],
                   datetime.fromisoformat(data["at"]), data.get("wording", ""))


@dataclass(frozen=True)
class Consent:
    """The last change per (channel, purpose); none recorded means never asked."""

    latest: Mapping[tuple[str, str], ConsentChange] = field(default_factory=dict)

    def with_change(self, change: ConsentChange) -> "Consent":
        return Consent({**self.latest, (change.channel, change.purpose): change})

    def of(self, channel: str, purpose: str = "marketing") -> ConsentChange | None:
        return self.latest.get((channel, purpose))

    def to_json(self) -> list[dict]:
        return [c.to_json() for c in self.latest.values()]

    @classmethod
    def from_json(cls, data: Iterable[Mapping[str, Any]]) -> "Consent":
        changes = [ConsentChange.from_json(d) for d in data or ()]
        return cls({(c.channel, c.purpose): c for c in changes})


WITHDRAWN_BY = {"unsubscribe_link": "unsubscribed", "sms_stop": "stop"}


class Excluded(str, Enum):
    """Why a client does not get a marketing message on a channel, in the order they are checked."""

    DO_NOT_CONTACT = "do_not_contact"  # erased: only a keyed hash of the address is left (privacy)
    NO_ADDRESS = "no_address"
    BOUNCED = "bounced"  # bounced, complained, or a carrier-level opt-out: the address is not used again
    UNSUBSCRIBED = "unsubscribed"  # the email's unsubscribe link
    STOP = "stop"  # replied STOP to an SMS
    NO_CONSENT = "no_consent"
    CAPPED = "capped"  # had a marketing message within the business's cap


@dataclass(frozen=True)
class Reach:
    """What is known of one client on one channel when deciding whether to write."""

    address: str | None
    consent: ConsentChange | None
    undeliverable: bool = False
    do_not_contact: bool = False
    capped: bool = False
    soft_opt_in: bool = False  # email only: the business turned it on and the client has visited


def exclusion(reach: Reach) -> Excluded | None:
    """The first reason not to send, or None to send."""
    if reach.do_not_contact:
        return Excluded.DO_NOT_CONTACT
    if not reach.address:
        return Excluded.NO_ADDRESS
    if reach.undeliverable:
        return Excluded.BOUNCED
    consent = reach.consent
    if consent is not None and not consent.granted:
        return Excluded(WITHDRAWN_BY[consent.source]) if consent.source in WITHDRAWN_BY else Excluded.NO_CONSENT
    if consent is None and not reach.soft_opt_in:
        return Excluded.NO_CONSENT
    if reach.capped:
        return Excluded.CAPPED
    return None


def capped(last_sent: datetime | None, now: datetime, settings: MarketingSettings) -> bool:
    return last_sent is not None and settings.cap_days > 0 and now - last_sent < timedelta(days=settings.cap_days)


# -- the dormant-client sweep ----------------------------------------------------------------------------
@dataclass(frozen=True)
class WinbackRecord:
    """What win-backs a client had: the last one's local day, and how many for which absence."""

    last_day: date | None = None
    absence: date | None = None  # the last visit the count belongs to
    count: int = 0


def threshold_days(stats: ClientStats, settings: MarketingSettings) -> int:
    """After how many days of absence this client is dormant for the sweep."""
    if settings.sweep is SweepMode.RHYTHM:
        rhythm = stats.rhythm()
        if rhythm is not None:
            return min(rhythm, LONGEST_RHYTHM) + settings.margin_days
    return settings.sweep_days


def winback_due(stats: ClientStats, settings: MarketingSettings, today: date, now: datetime,
                record: WinbackRecord) -> bool:
    """Whether the sweep of `today` (business's local date) writes to this client."""
    if settings.sweep is SweepMode.OFF or stats.last_visit is None:
        return False
    if stats.booked_ahead(now) or stats.last_was_no_show:
        return False
    absent = stats.absent_days(today)
    threshold = threshold_days(stats, settings)
    if absent is None or not threshold <= absent <= threshold + SWEEP_WINDOW_DAYS:
        return False
    if record.last_day is not None and (today - record.last_day).days < WINBACK_EVERY_DAYS:
        return False
    return not (record.absence == stats.last_visit and record.count >= WINBACKS_PER_ABSENCE)


def next_record(record: WinbackRecord, stats: ClientStats, today: date) -> WinbackRecord:
    same = record.absence == stats.last_visit
    return WinbackRecord(today, stats.last_visit, record.count + 1 if same else 1)


def sweep_band(today: date, settings: MarketingSettings) -> tuple[date, date]:
    """The last-visit dates a sweep of `today` reads: every client it may write to has one in this band.
    Rhythm thresholds are at least the margin plus one day."""
    shortest = settings.sweep_days if settings.sweep is SweepMode.FIXED else min(settings.sweep_days,
                                                                                  settings.margin_days + 1)
    longest = settings.sweep_days if settings.sweep is SweepMode.FIXED else max(
        settings.sweep_days, LONGEST_RHYTHM + settings.margin_days)
    return today - timedelta(days=longest + SWEEP_WINDOW_DAYS), today - timedelta(days=shortest)


# -- audiences: the three views, as a campaign keeps them ---------------------------------------------
VIEWS = ("loyal", "dormant", "filter")
AUDIENCE_FIELDS = frozenset({"view", "from", "to", "days", "min_visits", "max_visits", "min_spend", "max_spend",
                             "services", "services_mode", "text"})
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Audience:
    """Which clients a view (and a campaign made from it) is about.

    loyal: at least `min_visits` completed visits (default 3) or `min_spend` in [first, last];
    dormant: a completed visit before, none in the last `days` days and none booked ahead;
    filter: any combination of period, services (any of / all of), visits and spend bounds, and text."""

    view: str
    first: date | None = None
    last: date | None = None
    days: int | None = None
    min_visits: int | None = None
    max_visits: int | None = None
    min_spend: Decimal | None = None
    max_spend: Decimal | None = None
    services: tuple[str, ...] = ()
    services_mode: str = "any"
    text: str | None = None

    def to_json(self) -> dict[str, str]:
        data = {"view": self.view, "from": self.first, "to": self.last, "days": self.days,
                "min_visits": self.min_visits, "max_visits": self.max_visits, "min_spend": self.min_spend,
                "max_spend": self.max_spend, "services": ",".join(self.services) or None,
                "services_mode": self.services_mode if self.services else None, "text": self.text}
        return {k: str(v) for k, v in data.items() if v is not None}

    def counts(self, stats: ClientStats) -> tuple[int, Decimal, frozenset[str]]:
        """(completed visits, spend, services) within the audience's period (all time without one)."""
        visits = stats.in_period(self.first, self.last) if self.first and self.last else stats.completed
        return len(visits), sum((v.price for v in visits), Decimal(0)), frozenset(v.service_id for v in visits)

    def admits(self, stats: ClientStats, today: date, now: datetime) -> bool:
        """Whether a client with these figures belongs to the audience (text aside: the search index's)."""
        visits, spend, services = self.counts(stats)
        if self.view == "dormant":
            absent = stats.absent_days(today)
            return absent is not None and absent >= (self.days or 0) and not stats.booked_ahead(now)
        if self.view == "loyal":
            return visits > 0 and (visits >= (self.min_visits or 3)
                                   or (self.min_spend is not None and spend >= self.min_spend))
        if self.first and visits == 0:
            return False
        if self.services:
            wanted = set(self.services)
            if not (wanted <= services if self.services_mode == "all" else wanted & services):
                return False
        return ((self.min_visits is None or visits >= self.min_visits)
                and (self.max_visits is None or visits <= self.max_visits)
                and (self.min_spend is None or spend >= self.min_spend)
                and (self.max_spend is None or spend <= self.max_spend))


def _number(data: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"a whole number from {low} to {high}", field=name, code="out_of_range")
    return value


def _money(data: Mapping[str, Any], name: str) -> Decimal | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    from .fields import checked_price

    return checked_price(value, name)


def _day(data: Mapping[str, Any], name: str) -> date | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    from .fields import checked_date

    return checked_date(value, name)


def checked_audience(data: Mapping[str, Any]) -> Audience:
    """An audience from query parameters or a JSON object (numbers as numbers or strings), or a 400."""
    reject_unknown(dict(data), set(AUDIENCE_FIELDS))
    view = data.get("view")
    if view not in VIEWS:
        raise ValidationError("loyal, dormant or filter", field="view", code="invalid_choice")
    first, last = _day(data, "from"), _day(data, "to")
    if (first is None) != (last is None):
        raise ValidationError("give both from and to, or neither", field="to" if first else "from", code="required")
    if first and last and last < first:
        raise ValidationError("'to' must not be before 'from'", field="to", code="period_backwards")
    if first and last and (last - first).days > MAX_PERIOD_DAYS:
        raise ValidationError("at most three years at a time", field="to", code="range_too_long")
    if view == "loyal" and first is None:
        raise ValidationError("the loyal clients of which period?", field="from", code="required")
    days = _number(data, "days", 1, 3650)
    if view == "dormant":
        days = days or 90
        if first:
            raise ValidationError("a dormant view takes days, not a period", field="from", code="not_allowed")
    services = data.get("services") or ()
    if isinstance(services, str):
        services = tuple(s for s in services.split(",") if s)
    if not isinstance(services, (list, tuple)) or not all(isinstance(s, str) and 0 < len(s) <= 64 for s in services) \
            or len(services) > 20:
        raise ValidationError("up to 20 service ids", field="services", code="invalid_services")
    mode = data.get("services_mode") or "any"
    if mode not in ("any", "all"):
        raise ValidationError("any or all", field="services_mode", code="invalid_choice")
    text = data.get("text")
    if text is not None and (not isinstance(text, str) or len(text) > 100):
        raise ValidationError("a text of up to 100 characters", field="text", code="invalid_text")
    min_visits, max_visits = _number(data, "min_visits", 0, 100_000), _number(data, "max_visits", 0, 100_000)
    min_spend, max_spend = _money(data, "min_spend"), _money(data, "max_spend")
    if min_visits is not None and max_visits is not None and max_visits < min_visits:
        raise ValidationError("must not be below min_visits", field="max_visits", code="range_backwards")
    if min_spend is not None and max_spend is not None and max_spend < min_spend:
        raise ValidationError("must not be below min_spend", field="max_spend", code="range_backwards")
    return Audience(view, first, last, days, min_visits, max_visits, min_spend, max_spend, tuple(services), mode,
                    text.strip() if text and text.strip() else None)
