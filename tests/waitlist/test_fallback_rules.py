"""The fallback of one-at-a-time offers (domain/openings.next_step), pure: after five rounds, or when the time
starts within the hold + 30 minutes, the business's fallback tells every remaining match at once (`everyone`)
or gives the time back to the booking page (`release`); the fallback never holds."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.domain.openings import OpeningStatus, next_step
from chalicelib.domain.waitlist_settings import Fallback, WaitlistSettings
from tests.factories import NOW
from tests.waitlist.test_offer_steps import FREE, HELD_1

MATCHES = ["wl_a", "wl_b", "wl_c", "wl_d", "wl_e", "wl_f", "wl_g"]
EVERYONE, RELEASE = WaitlistSettings(fallback=Fallback.EVERYONE), WaitlistSettings(fallback=Fallback.RELEASE)


def fifth_round():
    rounds = tuple({"round": n + 1, "request": r, "at": NOW.isoformat(), "outcome": "expired", "answered_at": None}
                   for n, r in enumerate(MATCHES[:5]))
    return replace(HELD_1, round=5, holder="wl_e", rounds=rounds)


def test_after_five_rounds_the_everyone_fallback_tells_only_those_not_asked_yet():
    after = next_step(fifth_round(), MATCHES, EVERYONE, NOW)
    assert (after.status, after.holder, after.held_until) == (OpeningStatus.OFFERED, None, None)
    assert after.offered == ("wl_f", "wl_g")


def test_after_five_rounds_the_release_fallback_gives_the_time_back():
    after = next_step(fifth_round(), MATCHES, RELEASE, NOW)
    assert (after.status, after.holder, after.offered) == (OpeningStatus.RELEASED, None, ())


def test_the_everyone_fallback_with_nobody_left_releases():
    assert next_step(fifth_round(), MATCHES[:5], EVERYONE, NOW).status is OpeningStatus.RELEASED


@pytest.mark.parametrize("minutes_before, held", [(45, True), (44, False), (10, False)])
def test_a_hold_starts_only_when_the_time_begins_at_least_the_hold_plus_30_minutes_later(minutes_before, held):
    fresh = replace(FREE, start=NOW + timedelta(minutes=minutes_before))
    for settings, fallback in ((EVERYONE, OpeningStatus.OFFERED), (RELEASE, OpeningStatus.RELEASED)):
        after = next_step(fresh, MATCHES, settings, NOW)
        assert after.status is (OpeningStatus.HELD if held else fallback)
        if after.status is OpeningStatus.OFFERED:
            assert after.offered == tuple(MATCHES)


def test_a_later_round_too_close_to_the_time_falls_back_too():
    late = replace(fifth_round(), round=1, rounds=fifth_round().rounds[:1],
                   start=NOW + timedelta(minutes=40))  # wl_a's round 1 ran out; 40 < 15 + 30
    assert next_step(late, MATCHES, EVERYONE, NOW).offered == tuple(MATCHES[1:])
    assert next_step(late, MATCHES, RELEASE, NOW).status is OpeningStatus.RELEASED
