"""Professionals' commissions: rules per professional, service or category, a percentage of the price or
a fixed amount. The rule that applies is frozen on the appointment's counted figures when it is counted as
completed (services/reports.py), so changing a rule never rewrites the past; a completed appointment that is
cancelled (refunded) gives its commission back."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from ..errors import ValidationError
from .fields import checked_price, checked_text, reject_unknown
from .model import Appointment
from .reports import minor_units

MAX_RULES = 200


@dataclass(frozen=True)
class CommissionRule:
    staff_id: str | None = None  # None: every professional
    service_id: str | None = None  # None: every service (of `category`, when given)
    category: str | None = None
    percent: Decimal | None = None  # of the price; exactly one of percent and fixed
    fixed: Decimal | None = None

    def applies(self, appointment: Appointment, category: str) -> bool:
        return ((self.staff_id is None or self.staff_id == appointment.staff_id)
                and (self.service_id is None or self.service_id == appointment.service_id)
                and (self.category is None or self.category == category))

    @property
    def specificity(self) -> tuple[bool, bool, bool]:
        """A professional's own rule beats everyone's; a service's beats its category's."""
        return (self.staff_id is not None, self.service_id is not None, self.category is not None)

    def amount_cents(self, price: Decimal) -> int:
        if self.fixed is not None:
            return minor_units(self.fixed)
        return minor_units((price * (self.percent or Decimal(0)) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP))

    def to_json(self) -> dict[str, Any]:
        return {"staff": self.staff_id, "service": self.service_id, "category": self.category,
                "percent": None if self.percent is None else str(self.percent),
                "fixed": None if self.fixed is None else str(self.fixed)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CommissionRule":
        return cls(data.get("staff"), data.get("service"), data.get("category"),
                   None if data.get("percent") is None else Decimal(data["percent"]),
                   None if data.get("fixed") is None else Decimal(data["fixed"]))


def rule_for(rules: Iterable[CommissionRule], appointment: Appointment, category: str) -> CommissionRule | None:
    """The most specific rule that applies (the first listed among equals), or None: no commission."""
    best: CommissionRule | None = None
    for rule in rules:
        if rule.applies(appointment, category) and (best is None or rule.specificity > best.specificity):
            best = rule
    return best


def checked_rules(value: Any) -> list[CommissionRule]:
    """The body of PUT commission rules: a list of {staff?, service?, category?, percent | fixed}."""
    if not isinstance(value, list):
        raise ValidationError("a list of rules", field="rules", code="wrong_type")
    if len(value) > MAX_RULES:
        raise ValidationError(f"at most {MAX_RULES} rules", field="rules", code="too_many")
    rules = []
    for n, raw in enumerate(value):
        where = f"rules.{n}"
        if not isinstance(raw, dict):
            raise ValidationError("a rule is an object", field=where, code="wrong_type")
        reject_unknown(raw, {"staff", "service", "category", "percent", "fixed"}, prefix=f"{where}.")
        if (raw.get("percent") is None) == (raw.get("fixed") is None):
            raise ValidationError("give either percent or fixed", field=f"{where}.percent", code="percent_or_fixed")
        percent = None if raw.get("percent") is None else checked_price(raw["percent"], f"{where}.percent")
        if percent is not None and percent > 100:
            raise ValidationError("at most 100", field=f"{where}.percent", code="out_of_range")
        fixed = None if raw.get("fixed") is None else checked_price(raw["fixed"], f"{where}.fixed")
        rules.append(CommissionRule(
            *(checked_text(raw.get(name), f"{where}.{name}", 100, required=False) for name in
              ("staff", "service", "category")), percent, fixed))
    return rules
