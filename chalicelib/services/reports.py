"""Reports: the counters kept from the table's stream, and the sales, services, professionals and
statistics reports read from them (never from the appointments, so a period of years costs a few reads)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterable

from ..domain import reports as figures_of
from ..domain.fields import checked_integer, checked_price, reject_unknown
from ..domain.model import Appointment, Catalog
from ..domain.principal import Principal
from ..domain.reports import DATE_USED, Figures, Span, difference, money, span, tally, total
from ..errors import NotFoundError, ValidationError
from ..repositories import aggregates
from ..repositories.aggregates import ReportSettings, Row
from ..repositories.stream import AppointmentRecord

CatalogOf = Callable[[str], Catalog]
MAX_DAYS = 5 * 366  # any period up to five years
MAX_DAYS_BY_DAY = 366  # a series by day or week reads each day's counters
GROUPS = ("day", "week", "month")
TRIES = 3


# -- keeping the counters (the stream's subscriber) --------------------------------------------------------
def count_changes(records: Iterable[AppointmentRecord], catalog_of: CatalogOf, counters=aggregates) -> int:
    """Move each changed appointment's figures; returns how many records changed a counter.
    A record already counted (delivered again, or older than what was counted) changes nothing."""
    catalogs: dict[str, Catalog | None] = {}
    moved = 0
    for record in records:
        if record.business_id not in catalogs:
            catalogs[record.business_id] = _catalog_or_none(catalog_of, record.business_id)
        catalog = catalogs[record.business_id]
        if catalog is not None and _count(record, catalog, counters):
            moved += 1
    return moved


def _catalog_or_none(catalog_of: CatalogOf, business_id: str) -> Catalog | None:
    try:
        return catalog_of(business_id)
    except NotFoundError:  # a business closed since: nothing to report on
        return None


def _count(record: AppointmentRecord, catalog: Catalog, counters) -> bool:
    appointment = record.appointment
    service = catalog.service(appointment.service_id) if appointment else None
    now = tally(appointment, catalog.business.tz, service.category if service else "")
    for _ in range(TRIES):  # two deliveries racing: the loser reads again and finds the record counted
        seen = counters.counted(record.business_id, record.reference)
        if seen.sequence is not None and seen.sequence >= counters.sequence_key(record.sequence):
            return False
        delta = difference(now, seen.tally)
        if not delta:
            return False
        if counters.apply(record.business_id, record.reference, seen, record.sequence, now, delta):
            return True
    raise RuntimeError(f"the counters of {record.reference} kept moving; the stream will retry")


def reconcile(catalog: Catalog, appointments: Iterable[Appointment], counters=aggregates) -> list[str]:
    """Bring each appointment's counted figures to its present state: a stream record that was lost (or the
    days before the counters existed) is repaired; the references whose figures drifted are returned.

    The stream's sequence is kept as it was, so a record still on its way applies normally afterwards (its
    version is never newer than the item read here, and the last record of an item is its present state)."""
    repaired = []
    for appointment in appointments:
        service = catalog.service(appointment.service_id)
        now = tally(appointment, catalog.business.tz, service.category if service else "")
        for _ in range(TRIES):
            seen = counters.counted(appointment.business_id, appointment.reference)
            delta = difference(now, seen.tally)
            if not delta:
                break
            if counters.apply(appointment.business_id, appointment.reference, seen, seen.sequence or "0", now, delta):
                repaired.append(appointment.reference)
                break
    return repaired


# -- reading them ------------------------------------------------------------------------------------------
def period(first: date, last: date, group: str = "month") -> Span:
    """The counters a report over [first, last] reads, or a 400 naming the field at fault."""
    if group not in GROUPS:
        raise ValidationError(f"one of {', '.join(GROUPS)}", field="group", code="invalid_group")
    if last < first:
        raise ValidationError("'to' must not be before 'from'", field="to", code="period_backwards")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise ValidationError("at most five years at a time", field="to", code="range_too_long")
    if group != "month" and days > MAX_DAYS_BY_DAY:
        raise ValidationError(f"by {group}: at most {MAX_DAYS_BY_DAY} days at a time", field="group",
                              code="range_too_long")
    return span(first, last) if group == "month" else Span(None, ((first, last),))


class Counters:
    """One period's counters, summed as each report needs them."""

    def __init__(self, rows: list[Row], group: str) -> None:
        self.rows, self.group = rows, group

    def by(self, dimension: str) -> dict[str, Figures]:
        summed: dict[str, Figures] = defaultdict(figures_of.zero)
        for row in self.rows:
            if row.dimension == dimension:
                figures_of.add(summed[row.value], row.figures)
        return dict(summed)

    def series(self) -> dict[str, Figures]:
        summed: dict[str, Figures] = defaultdict(figures_of.zero)
        for row in self.rows:
            if row.dimension == "all":
                figures_of.add(summed[_label(row.period, self.group)], row.figures)
        return dict(sorted(summed.items()))

    def totals(self) -> Figures:
        return total(self.by("all").values())


def _label(period: str, group: str) -> str:
    if group == "month" or len(period) == 7:
        return period[:7]
    if group == "week":
        year, week, _ = date.fromisoformat(period).isocalendar()
        return f"{year}-W{week:02d}"
    return period


def _read(principal: Principal, catalog_of: CatalogOf, first: date, last: date, group: str,
          counters) -> tuple[Catalog, Counters]:
    chosen = period(first, last, group)
    catalog = catalog_of(principal.business_id)
    return catalog, Counters(counters.rows(principal.business_id, chosen), group)


def _shown(figures: Figures) -> dict[str, Any]:
    """Figures as responses show them: money as a decimal string."""
    shown: dict[str, Any] = {n: v for n, v in figures.items() if n != "revenue_cents"}
    shown["revenue"] = money(figures.get("revenue_cents", 0))
    return shown


def _header(name: str, catalog: Catalog, first: date, last: date, **more: Any) -> dict[str, Any]:
    return {"report": name, "from": first.isoformat(), "to": last.isoformat(), "date_used": DATE_USED,
            "timezone": catalog.business.timezone, "currency": catalog.business.currency, **more}


def _names(catalog: Catalog, dimension: str) -> Callable[[str], str]:
    if dimension == "service":
        return lambda value: (catalog.service(value).name if catalog.service(value) else value)
    if dimension == "staff":
        return lambda value: (catalog.member(value).name if catalog.member(value) else value)
    return lambda value: value


def _table(catalog: Catalog, counted: Counters, dimension: str, shape=_shown) -> list[dict[str, Any]]:
    name = _names(catalog, dimension)
    return [{"id": value, "name": name(value), **shape(figures)}
            for value, figures in sorted(counted.by(dimension).items(), key=lambda kv: name(kv[0]))]


def sales(principal: Principal, catalog_of: CatalogOf, first: date, last: date, group: str = "month",
          counters=aggregates) -> dict[str, Any]:
    """Revenue and appointments by period, service, category and professional."""
    catalog, counted = _read(principal, catalog_of, first, last, group, counters)
    return {**_header("sales", catalog, first, last, group=group), "totals": _shown(counted.totals()),
            "by_period": [{"period": p, **_shown(f)} for p, f in counted.series().items()],
            "by_service": _table(catalog, counted, "service"),
            "by_category": _table(catalog, counted, "category"),
            "by_professional": _table(catalog, counted, "staff")}


def _performed(figures: Figures) -> dict[str, Any]:
    return {"performed": figures["completed"], "minutes": figures["minutes"],
            "revenue": money(figures["revenue_cents"])}


def services_performed(principal: Principal, catalog_of: CatalogOf, first: date, last: date,
                       counters=aggregates) -> dict[str, Any]:
    """Completed appointments, their minutes and revenue, per service and per category."""
    catalog, counted = _read(principal, catalog_of, first, last, "month", counters)
    return {**_header("services", catalog, first, last), "totals": _performed(counted.totals()),
            "by_service": _table(catalog, counted, "service", _performed),
            "by_category": _table(catalog, counted, "category", _performed)}


def _rate(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def _professional(figures: Figures) -> dict[str, Any]:
    attended_or_not = figures["completed"] + figures["no_show"]
    return {"appointments": figures["booked"], "completed": figures["completed"], "cancelled": figures["cancelled"],
            "no_show": figures["no_show"], "no_show_rate": _rate(figures["no_show"], attended_or_not),
            "minutes": figures["minutes"], "revenue": money(figures["revenue_cents"])}


def professionals(principal: Principal, catalog_of: CatalogOf, first: date, last: date,
                  counters=aggregates) -> dict[str, Any]:
    """Per professional: appointments, completed, no-shows (rate = no-shows / (completed + no-shows)), revenue."""
    catalog, counted = _read(principal, catalog_of, first, last, "month", counters)
    return {**_header("professionals", catalog, first, last), "totals": _professional(counted.totals()),
            "by_professional": _table(catalog, counted, "staff", _professional)}


TIME_SAVED_FORMULA = ("hours saved = online bookings x minutes a phone booking takes / 60; "
                      "money saved = hours saved x hourly staff cost")


def statistics(principal: Principal, catalog_of: CatalogOf, first: date, last: date,
               counters=aggregates) -> dict[str, Any]:
    """Appointments per service, online vs staff-entered, and the time (and money) online booking saved."""
    catalog, counted = _read(principal, catalog_of, first, last, "month", counters)
    sources = counted.by("source")
    online = sources.get("online", {}).get("booked", 0)
    staff_entered = sources.get("backoffice", {}).get("booked", 0)
    return {**_header("statistics", catalog, first, last),
            "appointments_per_service": _table(catalog, counted, "service",
                                               lambda f: {"appointments": f["booked"]}),
            "by_source": [{"source": "online", "appointments": online},
                          {"source": "staff", "appointments": staff_entered}],
            "time_saved": time_saved(online, counters.report_settings(principal.business_id))}


def time_saved(online_bookings: int, chosen: ReportSettings) -> dict[str, Any]:
    """Each online booking is a phone call staff did not take."""
    minutes = online_bookings * chosen.phone_booking_minutes
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)
    cost = chosen.staff_hourly_cost
    saved = None if cost is None else (Decimal(minutes) / 60 * cost).quantize(Decimal("0.01"), ROUND_HALF_UP)
    worked = (f"{online_bookings} x {chosen.phone_booking_minutes} min / 60 = {hours} h"
              + ("" if cost is None else f"; {hours} h x {cost} = {saved}"))
    return {"online_bookings": online_bookings, "phone_booking_minutes": chosen.phone_booking_minutes,
            "hours_saved": str(hours), "staff_hourly_cost": None if cost is None else str(cost),
            "money_saved": None if saved is None else str(saved),
            "formula": TIME_SAVED_FORMULA, "worked": worked}


# -- the simulation's parameters -----------------------------------------------------------------------------
def settings_json(chosen: ReportSettings) -> dict[str, Any]:
    return {"phone_booking_minutes": chosen.phone_booking_minutes,
            "staff_hourly_cost": None if chosen.staff_hourly_cost is None else str(chosen.staff_hourly_cost)}


def read_settings(principal: Principal, counters=aggregates) -> dict[str, Any]:
    return settings_json(counters.report_settings(principal.business_id))


def change_settings(principal: Principal, body: dict, now: datetime, counters=aggregates) -> dict[str, Any]:
    """Minutes a phone booking takes (1-120) and the hourly staff cost (a price, or null: not set)."""
    reject_unknown(body, {"phone_booking_minutes", "staff_hourly_cost"})
    current = counters.report_settings(principal.business_id)
    minutes = current.phone_booking_minutes
    if "phone_booking_minutes" in body:
        minutes = checked_integer(body["phone_booking_minutes"], "phone_booking_minutes", 1, 120)
    cost = current.staff_hourly_cost
    if "staff_hourly_cost" in body:
        raw = body["staff_hourly_cost"]
        cost = None if raw is None else checked_price(raw, "staff_hourly_cost")
    chosen = ReportSettings(minutes, cost)
    counters.save_report_settings(principal.business_id, chosen, now)
    return settings_json(chosen)
