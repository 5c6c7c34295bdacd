"""Reports: the counters kept from the table's stream, and the sales, services, professionals and
statistics reports read from them (never from the appointments, so a period of years costs a few reads)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterable

from ..domain import reports as figures_of
from ..domain.fields import checked_integer, checked_price, reject_unknown
from ..domain.commissions import (CommissionRule, checked_rules, commission_base, parse_tier_key, rule_for,
                                  tiered_bands)
from ..domain.model import Appointment, AppointmentStatus, Catalog
from ..domain.principal import Principal
from ..domain.utilisation import working_minutes
from ..domain.fees import Fees, frozen_fees
from ..domain.reports import DATE_USED, Figures, Span, all_of, difference, money, span, tally, total
from ..errors import NotFoundError, ValidationError
from ..repositories import aggregates, messages
from ..repositories.aggregates import ReportSettings, Row
from ..repositories.stream import AppointmentRecord
from . import message_log

CatalogOf = Callable[[str], Catalog]
MAX_DAYS = 5 * 366  # any period up to five years
MAX_DAYS_BY_DAY = 366  # a series by day or week reads each day's counters
GROUPS = ("day", "week", "month")
TRIES = 3


# -- keeping the counters (the stream's subscriber) --------------------------------------------------------
def count_changes(records: Iterable[AppointmentRecord], catalog_of: CatalogOf, counters=aggregates) -> int:
    """Move each changed appointment's figures; returns how many records changed a counter.
    A record already counted (delivered again, or older than what was counted) changes nothing."""
    books: dict[str, Books | None] = {}
    moved = 0
    for record in records:
        if record.business_id not in books:
            books[record.business_id] = _books(catalog_of, record.business_id, counters)
        found = books[record.business_id]
        if found is not None and _settle(record.business_id, record.reference, record.appointment, found,
                                         counters, record.sequence):
            moved += 1
    return moved


@dataclass(frozen=True)
class Books:
    """What counting a business's appointments needs: its catalog (time zone, categories), its commission
    rules and its fees."""

    catalog: Catalog
    rules: tuple[CommissionRule, ...]
    fees: Fees = Fees()


def _books(catalog_of: CatalogOf, business_id: str, counters) -> Books | None:
    try:
        catalog = catalog_of(business_id)
    except NotFoundError:  # a business closed since: nothing to report on
        return None
    return Books(catalog, tuple(counters.commission_rules(business_id)), _fees(counters.report_settings(business_id)))


def _fees(chosen: ReportSettings) -> Fees:
    return Fees(chosen.late_cancel_fee, chosen.late_cancel_hours, chosen.no_show_fee)


def _settle(business_id: str, reference: str, appointment: Appointment | None, books: Books, counters,
            sequence: str | None) -> bool:
    """Bring one appointment's counted figures to `appointment`; `sequence` is the stream record's (None: a
    reconciliation, which keeps the stream's own so that a record still on its way applies normally)."""
    service = books.catalog.service(appointment.service_id) if appointment else None
    category = service.category if service else ""
    for _ in range(TRIES):  # two deliveries racing: the loser reads again and finds the record counted
        seen = counters.counted(business_id, reference)
        if sequence is not None and seen.sequence is not None and seen.sequence >= counters.sequence_key(sequence):
            return False
        rule = _frozen_rule(appointment, category, seen, books.rules)
        base = commission_base(appointment) if appointment else None
        commission = rule.amount_cents(base) if rule and base is not None else 0
        fees = frozen_fees(appointment, all_of(seen.tally), books.fees)
        now = tally(appointment, books.catalog.business.tz, category, commission, fees)
        if rule is not None and rule.tiers and appointment is not None:  # its base joins the rule's own counters
            day = appointment.start.astimezone(books.catalog.business.tz).date().isoformat()
            now[(day, "tiers", _tier_key(rule, appointment))] = rule.tier_figures(base)
        delta = difference(now, seen.tally)
        if not delta:
            return False
        if counters.apply(business_id, reference, seen, sequence or seen.sequence or "0", now, delta, rule):
            return True
    raise RuntimeError(f"the counters of {reference} kept moving; the stream will retry")


def _frozen_rule(appointment: Appointment | None, category: str, seen, rules) -> CommissionRule | None:
    """A completed appointment keeps the rule it was first counted completed with, even if that was none."""
    if appointment is None or appointment.status is not AppointmentStatus.COMPLETED:
        return None
    if any(figures.get("completed") for figures in seen.tally.values()):
        return seen.rule
    return rule_for(rules, appointment, category)


def reconcile(catalog: Catalog, appointments: Iterable[Appointment], counters=aggregates) -> list[str]:
    """Bring each appointment's counted figures to its present state: a stream record that was lost (or the
    days before the counters existed) is repaired; the references whose figures drifted are returned.

    The stream's sequence is kept as it was, so a record still on its way applies normally afterwards (its
    version is never newer than the item read here, and the last record of an item is its present state)."""
    books = Books(catalog, tuple(counters.commission_rules(catalog.business.id)),
                  _fees(counters.report_settings(catalog.business.id)))
    return [a.reference for a in appointments if _settle(a.business_id, a.reference, a, books, counters, None)]


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
    """Figures as responses show them: money as a decimal string; fees apart from revenue."""
    shown: dict[str, Any] = {n: v for n, v in figures.items() if not n.endswith("_cents")}
    shown["revenue"] = money(figures.get("revenue_cents", 0))
    shown["late_cancel_fees"] = money(figures.get("late_cancel_fee_cents", 0))
    shown["no_show_fees"] = money(figures.get("no_show_fee_cents", 0))
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
    """Per professional: appointments, completed, no-shows (rate = no-shows / (completed + no-shows)), revenue,
    and utilisation = minutes booked (appointments that held their time: all but cancelled and rejected) /
    working minutes (weekly hours minus time off, over the period's local days, from the catalog)."""
    catalog, counted = _read(principal, catalog_of, first, last, "month", counters)
    tz = catalog.business.tz
    working = {m.id: working_minutes(m, first, last, tz) for m in catalog.staff}
    rows = _table(catalog, counted, "staff", _professional)
    listed = {row["id"] for row in rows}
    rows += [{"id": m.id, "name": m.name, **_professional(figures_of.zero())} for m in catalog.staff
             if m.id not in listed and working[m.id]]  # working, nothing booked: utilisation 0
    rows.sort(key=lambda row: row["name"])
    booked = {value: figures["booked_minutes"] for value, figures in counted.by("staff").items()}
    for row in rows:
        row.update(_utilisation(booked.get(row["id"], 0), working.get(row["id"])))
    totals = {**_professional(counted.totals()),
              **_utilisation(sum(booked.get(m.id, 0) for m in catalog.staff), sum(working.values()))}
    return {**_header("professionals", catalog, first, last), "totals": totals, "by_professional": rows}


def _hours(minutes: int) -> str:
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _utilisation(booked: int, working: int | None) -> dict[str, Any]:
    """None working minutes: a professional no longer in the catalog (no hours to measure against)."""
    return {"booked_hours": _hours(booked), "working_hours": None if working is None else _hours(working),
            "utilisation": None if working is None else _rate(booked, working)}


TIME_SAVED_FORMULA = ("hours saved = online bookings x minutes a phone booking takes / 60; "
                      "money saved = hours saved x hourly staff cost")


def statistics(principal: Principal, catalog_of: CatalogOf, first: date, last: date,
               counters=aggregates, message_counts=messages.counts) -> dict[str, Any]:
    """Appointments per service, online vs staff-entered, the time (and money) online booking saved, and the
    messages sent per kind and channel (by the local day they went out: one query of day counters)."""
    catalog, counted = _read(principal, catalog_of, first, last, "month", counters)
    sources = counted.by("source")
    online = sources.get("online", {}).get("booked", 0)
    staff_entered = sources.get("backoffice", {}).get("booked", 0)
    return {**_header("statistics", catalog, first, last),
            "appointments_per_service": _table(catalog, counted, "service",
                                               lambda f: {"appointments": f["booked"]}),
            "by_source": [{"source": "online", "appointments": online},
                          {"source": "staff", "appointments": staff_entered}],
            "time_saved": time_saved(online, counters.report_settings(principal.business_id)),
            "messages": message_log.totals(message_counts(principal.business_id, first, last))}


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
    def text(amount):
        return None if amount is None else str(amount)

    return {"phone_booking_minutes": chosen.phone_booking_minutes, "staff_hourly_cost": text(chosen.staff_hourly_cost),
            "late_cancel_fee": text(chosen.late_cancel_fee), "late_cancel_hours": chosen.late_cancel_hours,
            "no_show_fee": text(chosen.no_show_fee)}


def read_settings(principal: Principal, counters=aggregates) -> dict[str, Any]:
    return settings_json(counters.report_settings(principal.business_id))


def change_settings(principal: Principal, body: dict, now: datetime, counters=aggregates) -> dict[str, Any]:
    """Minutes a phone booking takes (1-120), the hourly staff cost, the late-cancellation fee and its notice
    in hours (1-168), the no-show fee (prices, or null: none); fields left out keep their value."""
    reject_unknown(body, {"phone_booking_minutes", "staff_hourly_cost", "late_cancel_fee", "late_cancel_hours",
                          "no_show_fee"})
    current = counters.report_settings(principal.business_id)

    def price(name: str):
        if name not in body:
            return getattr(current, name)
        return None if body[name] is None else checked_price(body[name], name)

    def whole(name: str, low: int, high: int) -> int:
        return checked_integer(body[name], name, low, high) if name in body else getattr(current, name)

    chosen = ReportSettings(whole("phone_booking_minutes", 1, 120), price("staff_hourly_cost"),
                            price("late_cancel_fee"), whole("late_cancel_hours", 1, 168), price("no_show_fee"))
    counters.save_report_settings(principal.business_id, chosen, now)
    return settings_json(chosen)


# -- commissions ------------------------------------------------------------------------------------------
def _tier_key(rule: CommissionRule, appointment: Appointment) -> str:
    """A rule for everyone is tiered per professional: each one's revenue picks their own band."""
    return rule.tier_key if rule.staff_id else f"{appointment.staff_id}{rule.tier_key[1:]}"


def _commission(figures: Figures) -> dict[str, Any]:
    return {"completed": figures["completed"], "revenue": money(figures["revenue_cents"]),
            "commission": money(figures["commission_cents"])}


def commissions(principal: Principal, catalog_of: CatalogOf, first: date, last: date,
                counters=aggregates) -> dict[str, Any]:
    """Per professional: completed appointments, their revenue and the commission earned on them, each by
    the rule frozen when the appointment was completed; a tiered rule's by the professional's revenue under
    it in this period, band by band (`tiered`)."""
    catalog, counted = _read(principal, catalog_of, first, last, "month", counters)
    rows = _table(catalog, counted, "staff", _commission)
    earned = {value: figures["commission_cents"] for value, figures in counted.by("staff").items()}
    details: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, figures in sorted(counted.by("tiers").items()):
        staff, tiers, deduct = parse_tier_key(key)
        bands = tiered_bands(tiers, figures["commission_base_cents"])
        cost = figures["commission_cost_cents"]
        cents = max(sum(b["commission_cents"] for b in bands) - cost, 0)
        earned[staff] = earned.get(staff, 0) + cents
        details[staff].append({"deduct": deduct, "revenue": money(figures["commission_base_cents"]),
                               "cost": money(cost), "commission": money(cents),
                               "bands": [{**{k: v for k, v in b.items() if k != "commission_cents"},
                                          "commission": money(b["commission_cents"])} for b in bands]})
    for row in rows:
        row["commission"] = money(earned.get(row["id"], 0))
        row["tiered"] = details.get(row["id"], [])
    totals = {**_commission(counted.totals()), "commission": money(sum(earned.values()))}
    return {**_header("commissions", catalog, first, last), "totals": totals, "by_professional": rows}



def read_commission_rules(principal: Principal, counters=aggregates) -> dict[str, Any]:
    return {"rules": [rule.to_json() for rule in counters.commission_rules(principal.business_id)]}


def change_commission_rules(principal: Principal, catalog_of: CatalogOf, body: dict, now: datetime,
                            counters=aggregates) -> dict[str, Any]:
    """Replace the rules; appointments completed before keep the rule they were counted with. A rule names
    the business's own professionals and services only."""
    reject_unknown(body, {"rules"})
    rules = checked_rules(body.get("rules"))
    catalog = catalog_of(principal.business_id)
    for n, rule in enumerate(rules):
        if rule.staff_id is not None and catalog.member(rule.staff_id) is None:
            raise ValidationError("no such professional", field=f"rules.{n}.staff", code="unknown_staff")
        if rule.service_id is not None and catalog.service(rule.service_id) is None:
            raise ValidationError("no such service", field=f"rules.{n}.service", code="unknown_service")
    counters.save_commission_rules(principal.business_id, rules, now)
    return {"rules": [rule.to_json() for rule in rules]}
