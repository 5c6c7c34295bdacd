"""The public throttle (services/public_throttle.py): per business and client address, per business and
source IP, a sliding window on a frozen clock; 429 `too_many_requests` with Retry-After on the routes that
reveal plans or create waiting-list requests; and what an anonymous coverage answer leaves out."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.services import public_throttle
from chalicelib.services.public_throttle import Limit, TooManyRequestsError, admit
from tests.api.helpers import error, post
from tests.factories import NOW
from tests.plans.helpers import DESK, coverage, sell, template

AT = datetime(2026, 3, 23, 9, tzinfo=UTC)


class FakeAttempts:
    def __init__(self) -> None:
        self.times: dict[tuple[str, str], list[float]] = {}

    def recent(self, pk, sk, since):
        return [t for t in self.times.get((pk, sk), []) if t >= since]

    def save(self, pk, sk, times, keep_seconds):
        self.times[(pk, sk)] = list(times)


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setitem(public_throttle.LIMITS, "plan-coverage", Limit(per_address=3, per_network=5,
                                                                       window_seconds=600))
    monkeypatch.setitem(public_throttle.LIMITS, "waitlist", Limit(per_address=2, per_network=4, window_seconds=600))


def refused(call) -> TooManyRequestsError:
    with pytest.raises(TooManyRequestsError) as caught:
        call()
    return caught.value


def test_one_address_from_many_networks_waits_until_its_oldest_call_leaves_the_window(small):
    attempts = FakeAttempts()
    for n in range(3):
        admit(attempts, "plan-coverage", "salon", ("ana@example.com",), f"10.0.0.{n}", AT + timedelta(minutes=n))
    error_ = refused(lambda: admit(attempts, "plan-coverage", "salon", ("ana@example.com",), "10.0.0.9",
                                   AT + timedelta(minutes=3)))
    assert error_.code == "too_many_requests" and error_.retry_after == 7 * 60 + 1
    admit(attempts, "plan-coverage", "salon", ("bea@example.com",), "10.0.0.9", AT + timedelta(minutes=3))  # another
    admit(attempts, "plan-coverage", "other", ("ana@example.com",), "10.0.0.9", AT + timedelta(minutes=3))  # business
    admit(attempts, "plan-coverage", "salon", ("ana@example.com",), "10.0.0.9", AT + timedelta(minutes=10, seconds=1))


def test_one_network_trying_many_addresses_is_refused_and_a_refusal_is_not_counted(small):
    attempts = FakeAttempts()
    for n in range(5):
        admit(attempts, "plan-coverage", "salon", (f"c{n}@example.com",), "10.0.0.1", AT)
    for _ in range(3):
        assert refused(lambda: admit(attempts, "plan-coverage", "salon", ("new@example.com",), "10.0.0.1",
                                     AT + timedelta(seconds=30))).retry_after == 571
    assert attempts.recent("THROTTLE#salon#plan-coverage", "ip#10.0.0.1", 0) == [AT.timestamp()] * 5
    admit(attempts, "plan-coverage", "salon", ("new@example.com",), "10.0.0.2", AT)


def test_the_phone_and_the_email_both_count_and_no_address_is_kept_in_clear(small):
    attempts = FakeAttempts()
    admit(attempts, "waitlist", "salon", ("ana@example.com", "+34600000001"), "10.0.0.1", AT)
    admit(attempts, "waitlist", "salon", ("x@example.com", "+34600000001"), "10.0.0.2", AT)
    refused(lambda: admit(attempts, "waitlist", "salon", ("y@example.com", "+34600000001"), "10.0.0.3", AT))
    assert not any("example" in sk or "600000001" in sk for _, sk in attempts.times)
    assert public_throttle.addresses_in({"client": {"email": " Ana@Example.com ", "phone": "+34 600 000 001"}}) == (
        "ana@example.com", "+34600000001")
    assert public_throttle.addresses_in({"client": "ana"}) == () and public_throttle.addresses_in([]) == ()


# -- the routes on moto ------------------------------------------------------------------------------
def test_plan_coverage_answers_429_with_retry_after_then_admits_after_the_window(client, seeded, clock, small):
    email = seeded["client_email"]
    for _ in range(3):
        assert coverage(client, ["svc_cut"], "2026-03-24T11:00:00+01:00", email=email).status_code == 200
    refused_ = coverage(client, ["svc_cut"], "2026-03-24T11:00:00+01:00", email=email)
    assert refused_.status_code == 429 and error(refused_)["code"] == "too_many_requests"
    assert refused_.headers["Retry-After"] == "601"
    clock["value"] = NOW + timedelta(seconds=601)
    assert coverage(client, ["svc_cut"], "2026-03-24T11:00:00+01:00", email=email).status_code == 200


def test_waitlist_join_from_one_network_is_throttled(client, seeded, clock, small):
    def join(n: int):
        return post(client, "/public/salon/waitlist", {"service": "svc_cut", "windows": [{"from": "2026-03-24"}],
                                                       "client": {"first_name": "A", "email": f"w{n}@example.com"}})
    assert [join(n).status_code for n in range(4)] == [201] * 4
    over = join(9)
    assert over.status_code == 429 and error(over)["code"] == "too_many_requests" and "Retry-After" in over.headers


def test_an_anonymous_coverage_answer_names_only_the_plan_that_covers_the_chosen_service(client, login, seeded):
    email = seeded["client_email"]
    sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    colour = template(client, login(DESK), name="Bono color secreto", items=[{"service": "svc_color", "quantity": 5}])
    sell(client, login(DESK), seeded["client"], colour["id"], "2026-03-23")
    asked = coverage(client, ["svc_cut"], "2026-03-24T11:00:00+01:00", email=email).json_body
    assert asked["case"] == 1 and [p["name"] for p in asked["plans"]] == ["Bono pelo"]
    assert asked["covered"][0]["left"] == 1 and "secreto" not in str(asked) and "items" not in asked["plans"][0]
