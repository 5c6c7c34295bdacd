"""The Marketing views: loyal clients of a period with the business's indicators, dormant clients, and
filters. Read from each client's figures (repositories/client_stats.py), never by scanning: dormant
clients through the last-visit index, a period's clients through the agenda index, a text through the
search index, and "everyone" as one partition query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from ..domain import search
from ..domain.marketing import Audience, ClientStats
from ..domain.model import AppointmentStatus, Catalog
from ..domain.principal import Principal
from ..errors import ValidationError
from ..ports import AgendaStore
from ..repositories import client_stats, search_index

DEFAULT_PAGE, MAX_PAGE = 50, 200
MAX_TEXT_MATCHES = 5000  # clients a text may pick; a campaign's text is a name or a number, not a letter


@dataclass(frozen=True)
class Member:
    stats: ClientStats
    visits: int  # completed visits in the audience's period (all time without one)
    spend: Decimal


@dataclass(frozen=True)
class ViewPage:
    members: list[Member]
    cursor: str | None
    indicators: dict[str, Any] | None = None
    total: int | None = None


def today_of(catalog: Catalog, now: datetime) -> date:
    return now.astimezone(catalog.business.tz).date()


def members(store: AgendaStore, catalog: Catalog, audience: Audience, now: datetime,
            candidates: Iterable[ClientStats] | None = None) -> list[Member]:
    """Everyone in the audience (what a campaign sends to), in the view's order; `candidates`: figures
    already read that hold everyone in it."""
    today = today_of(catalog, now)
    if candidates is None:
        candidates = _candidates(store, catalog, audience, today)
    found = [_member(s, audience) for s in candidates if audience.admits(s, today, now)]
    return _ordered(found, audience)


def _member(stats: ClientStats, audience: Audience) -> Member:
    visits, spend, _ = audience.counts(stats)
    return Member(stats, visits, spend)


def _ordered(found: list[Member], audience: Audience) -> list[Member]:
    if audience.view == "loyal":
        return sorted(found, key=lambda m: (-m.spend, -m.visits, m.stats.client_id))
    return sorted(found, key=lambda m: (-(m.stats.last_visit or date.min).toordinal(), m.stats.client_id))


def _candidates(store: AgendaStore, catalog: Catalog, audience: Audience, today: date) -> Iterable[ClientStats]:
    business_id = catalog.business.id
    if audience.text:
        return client_stats.many(business_id, text_matches(business_id, audience.text)).values()
    if audience.view == "dormant":
        return (s for _, s in client_stats.by_last_visit(business_id, date.min, today - timedelta(days=audience.days)))
    if audience.first and audience.last:
        return client_stats.many(business_id, _period_clients(store, catalog, audience.first, audience.last)).values()
    return client_stats.every(business_id)


def text_matches(business_id: str, text: str) -> list[str]:
    """Clients whose name, email or phone (any format) has every word of `text` as a prefix, accent- and
    case-insensitively: the backoffice's own search index (domain/search.py), all its pages."""
    asked = search.parse_query(text)
    found: list[str] = []
    after = None
    while len(found) < MAX_TEXT_MATCHES:
        ids, after = search_index.find(business_id, search.CLIENTS, asked, contacts=True, after=after, limit=200)
        found += ids
        if after is None:
            break
    return found


def _period_clients(store: AgendaStore, catalog: Catalog, first: date, last: date) -> list[str]:
    """Clients with a completed appointment in [first, last] (local dates): one agenda index query."""
    tz = catalog.business.tz
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return [a.client_id for a in store.appointments_between(catalog.business.id, start, end)
            if a.status is AppointmentStatus.COMPLETED and start <= a.start < end]


def page(store: AgendaStore, catalog: Catalog, audience: Audience, now: datetime, cursor: str | None,
         limit: int | None) -> ViewPage:
    """One page of a view; loyal views carry the period's indicators."""
    size = _size(limit)
    if audience.view == "dormant" and not audience.text:
        return _dormant_page(catalog, audience, now, cursor, size)
    seen = None
    if audience.view == "loyal":  # the period's clients, read once for the indicators and (without a text) the view
        seen = list(client_stats.many(catalog.business.id,
                                      _period_clients(store, catalog, audience.first, audience.last)).values())
    everyone = members(store, catalog, audience, now, None if audience.text else seen)
    offset = _offset(cursor)
    shown = everyone[offset:offset + size]
    more = offset + size < len(everyone)
    indicators = None
    if seen is not None:
        indicators = figures(seen, audience.first, audience.last, catalog.business.currency)
    return ViewPage(shown, search.encode_cursor({"offset": offset + size}) if more else None, indicators,
                    len(everyone))


def _dormant_page(catalog: Catalog, audience: Audience, now: datetime, cursor: str | None, size: int) -> ViewPage:
    """Dormant clients straight from the last-visit index, most recently seen first, a page at a time."""
    today = today_of(catalog, now)
    position = search.decode_cursor(cursor) or {}
    after = position.get("after")
    if cursor and (not isinstance(after, str) or "#" not in after or "offset" in position):
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    shown: list[Member] = []
    last = None
    # read half a page more than shown: clients booked ahead are skipped, and a page of exactly size + 1 made
    # nearly every page a second Query (bench/marketing.py)
    for key, stats in client_stats.by_last_visit(catalog.business.id, date.min,
                                                 today - timedelta(days=audience.days), after, size + size // 2 + 1):
        if not audience.admits(stats, today, now):
            last = key
            continue
        if len(shown) == size:
            return ViewPage(shown, search.encode_cursor({"after": last}))
        shown.append(_member(stats, audience))
        last = key
    return ViewPage(shown, None)


def figures(seen: list[ClientStats], first: date, last: date, currency: str) -> dict[str, Any]:
    """The business's indicators for a period: clients seen, new, returning, rebooked %, average ticket,
    revenue. New: their first completed visit ever is in the period. Rebooked: they have a visit
    (done or booked) after their last one in the period."""
    active = [s for s in seen if s.in_period(first, last)]
    new = sum(1 for s in active if s.first_visit and s.first_visit >= first)
    rebooked = 0
    visits, revenue = 0, Decimal(0)
    for stats in active:
        period = stats.in_period(first, last)
        visits += len(period)
        revenue += sum((v.price for v in period), Decimal(0))
        latest = period[-1].start
        if any(v.start > latest and (v.status is AppointmentStatus.COMPLETED or v.status.holds_time)
               for v in stats.visits):
            rebooked += 1
    cents = Decimal("0.01")
    return {
        "clients_seen": len(active), "new": new, "returning": len(active) - new,
        "rebooked_percent": int((Decimal(100 * rebooked) / len(active)).quantize(1, ROUND_HALF_UP)) if active else 0,
        "visits": visits,
        "average_ticket": str((revenue / visits).quantize(cents, ROUND_HALF_UP)) if visits else "0.00",
        "revenue": str(revenue.quantize(cents)), "currency": currency,
    }


def _size(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_PAGE
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"between 1 and {MAX_PAGE}", field="limit", code="out_of_range")
    return limit


def _offset(cursor: str | None) -> int:
    position = search.decode_cursor(cursor) or {}
    offset = position.get("offset", 0)
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0 or "after" in position:
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    return offset


def member_json(member: Member, profile, principal: Principal, today: date, now: datetime) -> dict[str, Any]:
    stats = member.stats
    body: dict[str, Any] = {
        "client": stats.client_id,
        "name": f"{profile.first_name} {profile.last_name}".strip() if profile else None,
        "visits": member.visits, "spend": str(member.spend.quantize(Decimal("0.01"))),
        "completed_visits": stats.completed_count,
        "last_visit": stats.last_visit.isoformat() if stats.last_visit else None,
        "absent_days": stats.absent_days(today), "booked_ahead": stats.booked_ahead(now),
        "rhythm_days": stats.rhythm(), "last_was_no_show": stats.last_was_no_show,
    }
    if principal.sees_contacts:
        body["email"] = profile.email if profile else None
        body["phone"] = (profile.phone or profile.mobile) if profile else None
    return body
