"""Professionals' commissions: rules per professional, service or category, a percentage of the price, a
fixed amount, or percentages tiered by the period's revenue. The rule that applies is frozen on the
appointment's counted figures when it is counted as completed (services/reports.py), so changing a rule never
rewrites the past; a completed appointment that is cancelled (refunded) gives its commission back.

- The base is what was paid: the appointment's price (any discount is already off it), or, for a plan session,
  its allocated unit value (`plan_session_value`, the hook issue "Plans" fills in).
- A cost of service may be deducted *before* (the percentage applies to price minus cost) or *after* (the cost
  comes off the commission); never below zero. A fixed amount takes no cost.
- Tiers are *marginal*, like tax bands: with 0-1000 at 10 % and above at 15 %, 1,200.00 of revenue earns
  100.00 + 30.00. Not whole-period (15 % of everything once past 1,000): that has a cliff, where one more
  sale raises the commission by more than the sale, and a sale moved across the period's edge swings it.
  The revenue that picks the band is the professional's base under that rule in the period asked, so tiers
  are computed when the report is read, from counters of that base, by the frozen rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from ..errors import ValidationError
from .fields import checked_price, checked_text, reject_unknown
from .model import Appointment
from .reports import minor_units

MAX_RULES = 200
MAX_TIERS = 10
DEDUCT = ("before", "after")
Tier = tuple[Decimal, Decimal]  # (from this revenue, percent)


def plan_session_value(appointment: Appointment) -> Decimal | None:
    """HOOK for issue "Plans" (built on another branch): a session paid from a plan counts at its allocated
    unit value (what the client paid for the plan / its sessions). Until plans land no appointment is a plan
    session; the plans branch returns the unit value here, and commissions and reports follow."""
    return None


def commission_base(appointment: Appointment) -> Decimal:
    value = plan_session_value(appointment)
    return appointment.price if value is None else value


@dataclass(frozen=True)
class CommissionRule:
    staff_id: str | None = None  # None: every professional
    service_id: str | None = None  # None: every service (of `category`, when given)
    category: str | None = None
    percent: Decimal | None = None  # of the price; exactly one of percent, fixed and tiers
    fixed: Decimal | None = None
    tiers: tuple[Tier, ...] = ()  # marginal percentages by the period's revenue, the first from 0
    cost: Decimal | None = None  # cost of service, deducted `deduct` the percentage
    deduct: str = "before"

    def applies(self, appointment: Appointment, category: str) -> bool:
        return ((self.staff_id is None or self.staff_id == appointment.staff_id)
                and (self.service_id is None or self.service_id == appointment.service_id)
                and (self.category is None or self.category == category))

    @property
    def specificity(self) -> tuple[bool, bool, bool]:
        """A professional's own rule beats everyone's; a service's beats its category's."""
        return (self.staff_id is not None, self.service_id is not None, self.category is not None)

    def amount_cents(self, price: Decimal) -> int:
        """One appointment's commission; a tiered rule's is known only for a period (`tiered_cents`)."""
        if self.fixed is not None:
            return minor_units(self.fixed)
        if self.tiers:
            return 0
        cost = self.cost or Decimal(0)
        base = max(price - cost, Decimal(0)) if self.deduct == "before" else price
        earned = _cents(base * (self.percent or Decimal(0)) / 100)
        return earned if self.deduct == "before" else max(earned - minor_units(cost), 0)

    def tier_figures(self, price: Decimal) -> dict[str, int]:
        """What a completed appointment adds to its tiered rule's counters: the base the bands apply to,
        and the cost to take off the commission afterwards."""
        cost = self.cost or Decimal(0)
        if self.deduct == "before":
            return {"commission_base_cents": minor_units(max(price - cost, Decimal(0)))}
        return {"commission_base_cents": minor_units(price), "commission_cost_cents": minor_units(cost)}

    @property
    def tier_key(self) -> str:
        """The counters' value for this professional's tiered rule: the rule travels with its figures."""
        bands = ";".join(f"{start}:{percent}" for start, percent in self.tiers)
        return f"{self.staff_id or '*'}|{bands}|{self.deduct}"

    def to_json(self) -> dict[str, Any]:
        return {"staff": self.staff_id, "service": self.service_id, "category": self.category,
                "percent": _text(self.percent), "fixed": _text(self.fixed),
                "tiers": [{"from": str(start), "percent": str(percent)} for start, percent in self.tiers] or None,
                "cost": _text(self.cost), "deduct": self.deduct}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CommissionRule":
        return cls(data.get("staff"), data.get("service"), data.get("category"), _decimal(data.get("percent")),
                   _decimal(data.get("fixed")),
                   tuple((Decimal(t["from"]), Decimal(t["percent"])) for t in data.get("tiers") or ()),
                   _decimal(data.get("cost")), data.get("deduct") or "before")


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _cents(amount: Decimal) -> int:
    return minor_units(amount.quantize(Decimal("0.01"), ROUND_HALF_UP))


def parse_tier_key(key: str) -> tuple[str, tuple[Tier, ...], str]:
    staff, bands, deduct = key.split("|")
    return staff, tuple((Decimal(a), Decimal(b)) for a, b in (band.split(":") for band in bands.split(";"))), deduct


def tiered_bands(tiers: tuple[Tier, ...], base_cents: int) -> list[dict[str, Any]]:
    """Marginal bands: each percentage applies only to the revenue between its start and the next's."""
    base = Decimal(base_cents) / 100
    worked = []
    for n, (start, percent) in enumerate(tiers):
        end = tiers[n + 1][0] if n + 1 < len(tiers) else None
        amount = max(min(base, end) - start, Decimal(0)) if end is not None else max(base - start, Decimal(0))
        worked.append({"from": str(start), "to": None if end is None else str(end), "percent": str(percent),
                       "revenue": str(amount.quantize(Decimal("0.01"))),
                       "commission_cents": _cents(amount * percent / 100)})
    return worked


def rule_for(rules: Iterable[CommissionRule], appointment: Appointment, category: str) -> CommissionRule | None:
    """The most specific rule that applies (the first listed among equals), or None: no commission."""
    best: CommissionRule | None = None
    for rule in rules:
        if rule.applies(appointment, category) and (best is None or rule.specificity > best.specificity):
            best = rule
    return best


def checked_rules(value: Any) -> list[CommissionRule]:
    """The body of PUT commission rules: a list of {staff?, service?, category?, percent | fixed | tiers,
    cost?, deduct?}."""
    if not isinstance(value, list):
        raise ValidationError("a list of rules", field="rules", code="wrong_type")
    if len(value) > MAX_RULES:
        raise ValidationError(f"at most {MAX_RULES} rules", field="rules", code="too_many")
    rules = []
    for n, raw in enumerate(value):
        where = f"rules.{n}"
        if not isinstance(raw, dict):
            raise ValidationError("a rule is an object", field=where, code="wrong_type")
        reject_unknown(raw, {"staff", "service", "category", "percent", "fixed", "tiers", "cost", "deduct"},
                       prefix=f"{where}.")
        if sum(raw.get(name) is not None for name in ("percent", "fixed", "tiers")) != 1:
            raise ValidationError("give one of percent, fixed or tiers", field=f"{where}.percent",
                                  code="percent_or_fixed")
        percent = None if raw.get("percent") is None else _percent(raw["percent"], f"{where}.percent")
        fixed = None if raw.get("fixed") is None else checked_price(raw["fixed"], f"{where}.fixed")
        tiers = _tiers(raw.get("tiers"), f"{where}.tiers") if raw.get("tiers") is not None else ()
        cost = None if raw.get("cost") is None else checked_price(raw["cost"], f"{where}.cost")
        if cost is not None and fixed is not None:
            raise ValidationError("a fixed amount takes no cost", field=f"{where}.cost", code="cost_with_fixed")
        deduct = raw.get("deduct", "before")
        if deduct not in DEDUCT:
            raise ValidationError("before or after", field=f"{where}.deduct", code="invalid_choice")
        rules.append(CommissionRule(
            *(checked_text(raw.get(name), f"{where}.{name}", 100, required=False) for name in
              ("staff", "service", "category")), percent, fixed, tiers, cost, deduct))
    return rules


def _percent(value: Any, field: str) -> Decimal:
    percent = checked_price(value, field)
    if percent > 100:
        raise ValidationError("at most 100", field=field, code="out_of_range")
    return percent


def _tiers(value: Any, field: str) -> tuple[Tier, ...]:
    """[{from, percent}, ...]: the first from 0.00, each from above the last, at most MAX_TIERS."""
    if not isinstance(value, list) or not value or len(value) > MAX_TIERS:
        raise ValidationError(f"a list of 1 to {MAX_TIERS} tiers", field=field, code="wrong_type")
    tiers: list[Tier] = []
    for n, raw in enumerate(value):
        if not isinstance(raw, dict):
            raise ValidationError("a tier is an object", field=f"{field}.{n}", code="wrong_type")
        reject_unknown(raw, {"from", "percent"}, prefix=f"{field}.{n}.")
        start = checked_price(raw.get("from"), f"{field}.{n}.from")
        if (n == 0 and start != 0) or (tiers and start <= tiers[-1][0]):
            raise ValidationError("the first tier starts at 0.00, each next one higher", field=f"{field}.{n}.from",
                                  code="tiers_out_of_order")
        tiers.append((start, _percent(raw.get("percent"), f"{field}.{n}.percent")))
    return tuple(tiers)
