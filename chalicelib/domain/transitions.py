"""What staff may do to an appointment in each state, as one table.

    pending ──approve──> confirmed ──check_in──> arrived ──complete──> completed
       │                    │  │                   │
       reject               │  no_show ─> no_show  no_show (left before being seen)
       ▼                    ▼
    rejected            cancelled  (cancel: from pending, confirmed or arrived)

Moving an appointment (time or professional) is allowed while it is pending or confirmed.
Anything else is a 409 whose code names the action ("cannot_complete", "cannot_approve", ...).
Attendance is recorded only once it can be known (`check_timing`): check-in at most the business's
margin before the start, completion and no-show only after the start; earlier is a 409 `too_early`.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import Enum

from ..errors import ConflictError, ValidationError
from .model import AppointmentStatus as S


class Action(str, Enum):
    APPROVE = "approve"
    REJECT = "reject"
    CANCEL = "cancel"
    CHECK_IN = "check_in"
    COMPLETE = "complete"
    NO_SHOW = "no_show"
    MOVE = "move"


# action -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[Action, tuple[frozenset[S], S | None]] = {
    Action.APPROVE: (frozenset({S.PENDING}), S.CONFIRMED),
    Action.REJECT: (frozenset({S.PENDING}), S.REJECTED),
    Action.CANCEL: (frozenset({S.PENDING, S.CONFIRMED, S.ARRIVED}), S.CANCELLED),
    Action.CHECK_IN: (frozenset({S.CONFIRMED}), S.ARRIVED),
    Action.COMPLETE: (frozenset({S.CONFIRMED, S.ARRIVED}), S.COMPLETED),
    Action.NO_SHOW: (frozenset({S.CONFIRMED, S.ARRIVED}), S.NO_SHOW),
    Action.MOVE: (frozenset({S.PENDING, S.CONFIRMED}), None),
}

STATUS_ACTIONS = tuple(a for a in Action if a is not Action.MOVE)


def parse_action(value: object) -> Action:
    """A status action named in a request (everything but `move`, which has its own route)."""
    try:
        action = Action(value)
    except ValueError:
        action = None
    if action is None or action is Action.MOVE:
        names = ", ".join(a.value for a in STATUS_ACTIONS)
        raise ValidationError(f"the action must be one of: {names}", field="action", code="invalid_action")
    return action


def next_status(current: S, action: Action) -> S:
    """The state `action` leads to from `current`, or ConflictError `cannot_<action>`."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise ConflictError(f"a {current.value} appointment cannot be {_past(action)}",
                            code=f"cannot_{action.value}", field="action")
    return current if target is None else target


def check_timing(action: Action, start: datetime, now: datetime, check_in_margin_minutes: int) -> None:
    """Attendance can't be recorded before the appointment: ConflictError `too_early` if it would be.

    Elapsed time, in UTC: "30 minutes early" is 30 real minutes, also on a DST night.
    """
    start, now = start.astimezone(timezone.utc), now.astimezone(timezone.utc)
    if action is Action.CHECK_IN and now < start - timedelta(minutes=check_in_margin_minutes):
        raise ConflictError(f"a client can be checked in at most {check_in_margin_minutes} minutes before the start",
                            code="too_early", field="action")
    if action in (Action.COMPLETE, Action.NO_SHOW) and now < start:
        raise ConflictError(f"an appointment cannot be {_past(action)} before it starts", code="too_early",
                            field="action")


def allowed_actions(current: S) -> list[str]:
    """What the backoffice may offer as buttons for an appointment in this state."""
    return [a.value for a, (sources, _) in TRANSITIONS.items() if current in sources]


def _past(action: Action) -> str:
    return {
        Action.APPROVE: "approved", Action.REJECT: "rejected", Action.CANCEL: "cancelled",
        Action.CHECK_IN: "checked in", Action.COMPLETE: "completed", Action.NO_SHOW: "marked as a no-show",
        Action.MOVE: "moved",
    }[action]


_CHECK_IN = {
    S.PENDING: "awaiting_approval", S.CONFIRMED: "expected", S.ARRIVED: "arrived", S.COMPLETED: "completed",
    S.NO_SHOW: "no_show", S.CANCELLED: "cancelled", S.REJECTED: "rejected",
}


def check_in_state(status: S) -> str:
    """What the front desk's monitor shows for a booking: expected, arrived, completed, no_show, ..."""
    return _CHECK_IN[status]
