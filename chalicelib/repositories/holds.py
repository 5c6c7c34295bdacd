"""Holds on lock units: a freed time kept for one waiting-list request (domain/openings.py).

A hold is written into the very lock items bookings claim (`held_by`, `held_until` beside `owners`), so the
booking transaction itself refuses held time, whichever way it is booked: the booking page, the backoffice,
a reschedule. An exclusive claim needs the unit free of owners and of any live hold (`held_until` passed:
expiry is inclusive at the hold's end); the appointment that takes a hold over (an accepted offer) may claim
units its own opening holds, live or not. Availability sees a hold as busy through a busy-day entry named
by the opening (repositories/busy_days.py), removed with the hold.
"""
from __future__ import annotations

from datetime import datetime

from pynamodb.expressions.operand import Path

from ..domain.agenda_change import AgendaChange
from .tables import LockItem


def claim_condition(change: AgendaChange, at: datetime):
    """The condition on each unit an appointment claims (None: booked on top of others, no condition)."""
    if not change.after.exclusive:
        return None
    free = LockItem.owners.does_not_exist()
    not_held = LockItem.held_until.does_not_exist() | (LockItem.held_until <= int(at.timestamp()))
    if change.hold:
        not_held = not_held | (LockItem.held_by == change.hold)
    return free & not_held


def hold_condition(at: datetime):
    """A new hold needs the unit free of owners and of live holds."""
    return LockItem.owners.does_not_exist() & (
        LockItem.held_until.does_not_exist() | (LockItem.held_until <= int(at.timestamp())))


def taken_over(hold: str | None) -> list:
    """Lock actions of an appointment taking over a hold: the hold's marks go."""
    return [LockItem.held_by.remove(), LockItem.held_until.remove()] if hold else []


def busy_taken_over(hold: str | None) -> list:
    """Busy-day actions of an appointment taking over a hold: the hold's own entry goes."""
    return [Path([hold]).remove()] if hold else []
