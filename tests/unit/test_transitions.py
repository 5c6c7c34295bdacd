"""The transition table: what staff may do to an appointment in each state."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.domain.transitions import (
    Action, allowed_actions, check_in_state, check_timing, next_status, parse_action,
)
from chalicelib.errors import ConflictError, ValidationError

ALLOWED = {
    (S.PENDING, Action.APPROVE): S.CONFIRMED,
    (S.PENDING, Action.REJECT): S.REJECTED,
    (S.PENDING, Action.CANCEL): S.CANCELLED,
    (S.CONFIRMED, Action.CANCEL): S.CANCELLED,
    (S.ARRIVED, Action.CANCEL): S.CANCELLED,
    (S.CONFIRMED, Action.CHECK_IN): S.ARRIVED,
    (S.CONFIRMED, Action.COMPLETE): S.COMPLETED,
    (S.ARRIVED, Action.COMPLETE): S.COMPLETED,
    (S.CONFIRMED, Action.NO_SHOW): S.NO_SHOW,
    (S.ARRIVED, Action.NO_SHOW): S.NO_SHOW,
    (S.PENDING, Action.MOVE): S.PENDING,
    (S.CONFIRMED, Action.MOVE): S.CONFIRMED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action_either_leads_somewhere_or_is_a_named_conflict(status, action):
    if (status, action) in ALLOWED:
        assert next_status(status, action) is ALLOWED[(status, action)]
    else:
        with pytest.raises(ConflictError) as raised:
            next_status(status, action)
        assert raised.value.code == f"cannot_{action.value}"


def test_completing_a_cancelled_appointment_is_refused_with_a_clear_code():
    with pytest.raises(ConflictError) as raised:
        next_status(S.CANCELLED, Action.COMPLETE)
    assert raised.value.code == "cannot_complete"
    assert "cancelled" in raised.value.message


def test_approving_a_confirmed_appointment_is_refused():
    with pytest.raises(ConflictError) as raised:
        next_status(S.CONFIRMED, Action.APPROVE)
    assert raised.value.code == "cannot_approve"


def test_final_states_offer_no_action_and_only_time_holding_states_can_move():
    for final in (S.CANCELLED, S.REJECTED, S.COMPLETED, S.NO_SHOW):
        assert allowed_actions(final) == []
        assert not final.holds_time
    assert set(allowed_actions(S.PENDING)) == {"approve", "reject", "cancel", "move"}
    assert S.ARRIVED.holds_time and "move" not in allowed_actions(S.ARRIVED)


def test_actions_are_parsed_by_name_and_move_is_not_a_status_action():
    assert parse_action("check_in") is Action.CHECK_IN
    for bad in ("move", "delete", None, 3):
        with pytest.raises(ValidationError):
            parse_action(bad)


def test_check_in_state_is_defined_for_every_status():
    assert {check_in_state(s) for s in S} >= {"expected", "arrived", "completed", "no_show"}


START = datetime(2026, 3, 24, 9, 0, tzinfo=timezone.utc)  # Tuesday 10:00 in Madrid


@pytest.mark.parametrize("action, now, allowed", [
    (Action.CHECK_IN, START - timedelta(minutes=31), False),
    (Action.CHECK_IN, START - timedelta(minutes=30), True),  # the margin, to the minute
    (Action.CHECK_IN, START + timedelta(hours=2), True),  # late is still arriving
    (Action.COMPLETE, START - timedelta(minutes=1), False),
    (Action.COMPLETE, START, True),
    (Action.NO_SHOW, START - timedelta(minutes=1), False),
    (Action.NO_SHOW, START + timedelta(minutes=15), True),
    (Action.CANCEL, START - timedelta(days=3), True),  # not attendance: any time
    (Action.APPROVE, START - timedelta(days=3), True),
])
def test_attendance_is_recorded_only_once_the_appointment_can_have_begun(action, now, allowed):
    if allowed:
        check_timing(action, START, now, 30)
    else:
        with pytest.raises(ConflictError) as refused:
            check_timing(action, START, now, 30)
        assert (refused.value.code, refused.value.field) == ("too_early", "action")


def test_the_check_in_margin_is_the_business_rule_and_counts_real_minutes_across_dst():
    madrid = ZoneInfo("Europe/Madrid")
    start = datetime(2026, 3, 29, 3, 10, tzinfo=madrid)  # 10 minutes after the clocks jumped 02:00 -> 03:00
    check_timing(Action.CHECK_IN, start, datetime(2026, 3, 29, 1, 45, tzinfo=madrid), 30)  # 25 real minutes
    with pytest.raises(ConflictError):
        check_timing(Action.CHECK_IN, start, datetime(2026, 3, 29, 1, 35, tzinfo=madrid), 30)  # 35 real minutes
    with pytest.raises(ConflictError):
        check_timing(Action.CHECK_IN, START, START - timedelta(minutes=20), 10)
