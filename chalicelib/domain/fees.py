"""Late-cancellation and no-show fees, as the reports count them.

Turno takes no payments: a fee here is what the business's settings say is due, counted apart from revenue
(the service was not performed), so the business sees what it could charge. A cancellation is late when it
comes with less notice than the business asks (the appointment's start minus the moment the cancelling
version was written). Like commissions, fees are frozen when the appointment is first counted cancelled or
no-show: changing the settings later does not rewrite the past.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Mapping

from .model import Appointment, AppointmentStatus as S
from .reports import Figures, minor_units

FEE_FIGURES = ("late_cancelled", "late_cancel_fee_cents", "no_show_fee_cents")


@dataclass(frozen=True)
class Fees:
    late_cancel: Decimal | None = None
    late_cancel_hours: int = 24
    no_show: Decimal | None = None


def fees_due(appointment: Appointment, fees: Fees) -> Figures:
    if appointment.status is S.CANCELLED:
        if appointment.start - appointment.updated_at >= timedelta(hours=fees.late_cancel_hours):
            return {}
        return {"late_cancelled": 1, "late_cancel_fee_cents": minor_units(fees.late_cancel or Decimal(0))}
    if appointment.status is S.NO_SHOW:
        return {"no_show_fee_cents": minor_units(fees.no_show or Decimal(0))}
    return {}


def frozen_fees(appointment: Appointment | None, counted_before: Mapping[str, int], fees: Fees) -> Figures:
    """The fees the appointment counts for: those it was first counted with, while it stays cancelled or
    no-show; `counted_before` is what it counted under the "all" dimension."""
    if appointment is None:
        return {}
    already = ((appointment.status is S.CANCELLED and counted_before.get("cancelled"))
               or (appointment.status is S.NO_SHOW and counted_before.get("no_show")))
    found = {n: counted_before.get(n, 0) for n in FEE_FIGURES} if already else fees_due(appointment, fees)
    return {n: v for n, v in found.items() if v}
