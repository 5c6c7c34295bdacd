"""Plan nudges on fakes: the 30/7-day edges on business-local dates across DST changes, nothing booked vs
booked, one session left, nudges off, daytime only, the per-client cap, once per (plan, kind, threshold)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from chalicelib.domain import plan_nudges as rules
from chalicelib.domain.calendar import UTC
from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.model import Catalog
from chalicelib.domain.notification_settings import NotificationSettings
from chalicelib.domain.plans import (EntryKind, ItemKind, LedgerEntry, PlanItem, PlanSettings, PlanTerms, SoldPlan,
                                     Validity, ValidityUnit, balances)
from chalicelib.services import plan_nudges
from tests.factories import salon
from tests.fakes import FakeSenders

ITEMS = (PlanItem(ItemKind.SERVICE, "svc_cut", 3),)


def sold(end: date, plan_id: str = "pl_1", client_id: str = "cli_1", business_id: str = "biz_salon") -> SoldPlan:
    terms = PlanTerms("Bono pelo", ITEMS, Decimal("60.00"), "EUR", Validity(3, ValidityUnit.MONTHS))
    return SoldPlan(plan_id, business_id, client_id, "tpl_1", terms, end - timedelta(days=90), end,
                    datetime(2026, 1, 1, tzinfo=UTC), "stf_1", (3,))


def ledger(plan: SoldPlan, **moves: int) -> list[LedgerEntry]:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    entries = [LedgerEntry(plan.business_id, plan.id, 0, EntryKind.SALE, 3, at, "stf_1")]
    moves["hold"] = moves.get("hold", 0) + moves.get("use", 0)  # a unit is held at booking, used at completion
    for kind, units in moves.items():
        entries.append(LedgerEntry(plan.business_id, plan.id, 0, EntryKind(kind), units, at, "system"))
    return entries


def due(plan: SoldPlan, today: date, **moves: int) -> list[tuple[str, int]]:
    return [(n.kind.value, n.threshold) for n in rules.nudges_due(plan, balances(ITEMS, ledger(plan, **moves)), today)]


# -- the rules ------------------------------------------------------------------------------------
def test_thirty_and_seven_days_before_the_end_counted_in_local_dates_across_spring_forward():
    plan = sold(date(2026, 4, 28))  # 30 days before is 29 March, Madrid's spring-forward day
    assert due(plan, date(2026, 3, 28)) == []
    assert due(plan, date(2026, 3, 29)) == [("plan_expiring", 30)]
    assert due(plan, date(2026, 4, 20)) == [("plan_expiring", 30)]  # still the 30-day one (sent once by key)
    assert due(plan, date(2026, 4, 21)) == [("plan_expiring", 7)]
    assert due(plan, date(2026, 4, 28)) == [("plan_expiring", 7)]
    assert due(plan, date(2026, 4, 29)) == []  # ended


def test_the_local_day_decides_not_the_utc_one_across_fall_back():
    plan = sold(date(2026, 11, 1))  # 7 days before is 25 October, the fall-back day
    tz = salon().tz
    late_saturday_utc = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)  # already Sunday 00:30 in Madrid (CEST)
    from chalicelib.domain.plans import local_day
    assert local_day(late_saturday_utc, tz) == date(2026, 10, 25)
    assert due(plan, local_day(late_saturday_utc, tz)) == [("plan_expiring", 7)]
    assert due(plan, date(2026, 10, 24)) == [("plan_expiring", 30)]


def test_booked_or_used_up_says_nothing_of_expiry():
    plan = sold(date(2026, 4, 28))
    assert due(plan, date(2026, 4, 21), hold=1) == []  # a unit booked: the client is on it
    assert due(plan, date(2026, 4, 21), hold=2, release=2) == [("plan_expiring", 7)]  # cancelled: free again
    assert due(plan, date(2026, 4, 21), use=3) == []  # nothing left


def test_one_session_left_after_a_use_or_a_hold():
    plan = sold(date(2026, 12, 31))
    assert due(plan, date(2026, 11, 1), use=1) == []
    assert due(plan, date(2026, 11, 1), use=2) == [("plan_last_session", 1)]
    assert due(plan, date(2026, 11, 1), use=1, hold=1) == [("plan_last_session", 1)]
    assert due(plan, date(2026, 12, 25), use=2) == [("plan_expiring", 7), ("plan_last_session", 1)]


def test_a_seven_day_cap_and_daytime_only():
    now = datetime(2026, 4, 21, 10, tzinfo=UTC)
    assert rules.capped(now - timedelta(days=6, hours=23), now) and not rules.capped(now - timedelta(days=7), now)
    tz = salon().tz
    assert rules.daytime(datetime(2026, 4, 21, 6, 0, tzinfo=UTC), tz)  # 08:00 CEST
    assert not rules.daytime(datetime(2026, 4, 21, 5, 59, tzinfo=UTC), tz)
    assert not rules.daytime(datetime(2026, 4, 21, 19, 0, tzinfo=UTC), tz)  # 21:00 CEST


# -- the job on fakes ------------------------------------------------------------------------------
@dataclass
class FakeBook:
    plans: list[SoldPlan]
    entries: dict[str, list[LedgerEntry]] = field(default_factory=dict)
    nudges_on: set[str] = field(default_factory=lambda: {"biz_salon"})

    def ending_by(self, now, days):
        return [p for p in self.plans if not p.expired]

    def settings(self, business_id):
        return PlanSettings(nudges=business_id in self.nudges_on)

    def ledger(self, business_id, plan_id):
        return self.entries.get(plan_id) or ledger(next(p for p in self.plans if p.id == plan_id))

    def plan(self, business_id, client_id, plan_id):
        return next(p for p in self.plans if p.id == plan_id)


@dataclass
class FakeNudgeOutbox:
    """The DynamoDB outbox's two conditions in memory: the marker must not exist, the cap must have passed."""

    markers: set[str] = field(default_factory=set)
    last: dict[tuple[str, str], datetime] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    queue: dict[str, rules.Waiting] = field(default_factory=dict)  # plan id -> its queued last-session nudge

    def wait(self, waiting):
        self.queue[waiting.plan_id] = waiting

    def waiting(self, now):
        return [w for w in self.queue.values() if w.due <= now]

    def done(self, waiting):
        self.queue.pop(waiting.plan_id, None)

    def claim(self, nudge, now):
        with self.lock:
            if nudge.key in self.markers:
                return "taken"
            if rules.capped(self.last.get((nudge.business_id, nudge.client_id)), now):
                return "capped"
            self.markers.add(nudge.key)
            self.last[(nudge.business_id, nudge.client_id)] = now
            return "claimed"


class FakeClients:
    def get(self, business_id, client_id):
        return ClientProfile(client_id, "Ana", "Ruiz", email="ana@example.com", phone="+34600000001")


def run(book, outbox, now, senders=None):
    return plan_nudges.NudgeRun(now, book, outbox, lambda b: Catalog(salon()), FakeClients(),
                                lambda b: NotificationSettings(), senders or FakeSenders(),
                                "no-reply@turno.example", "https://turno.example")


def together(work, runs: int = 4) -> None:
    """`runs` threads doing `work` at once (they start on a barrier), all finished on return."""
    barrier = threading.Barrier(runs)

    def one():
        barrier.wait(timeout=10)
        work()
    threads = [threading.Thread(target=one) for _ in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_sent_once_by_email_and_sms_in_spanish_and_a_second_run_sends_nothing():
    book, outbox, senders = FakeBook([sold(date(2026, 4, 28))]), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 29, 8, tzinfo=UTC)  # 10:00 in Madrid, summer time since this night
    first = plan_nudges.send_due(run(book, outbox, now, senders))
    second = plan_nudges.send_due(run(book, outbox, now + timedelta(hours=1), senders))
    assert first == {"claimed": 1, "sent_email": 1, "sent_sms": 1} and second == {"taken": 1}
    (_, email), = senders.emails
    assert "30 días" in email.subject and "Bono pelo" in email.text and "https://turno.example/b/salon" in email.text
    assert senders.sms_sent[0].text.startswith("Salon Lucia: tu bono Bono pelo caduca el 28 de abril de 2026")


def test_nudges_off_by_default_say_nothing():
    book, outbox, senders = FakeBook([sold(date(2026, 4, 28))], nudges_on=set()), FakeNudgeOutbox(), FakeSenders()
    assert plan_nudges.send_due(run(book, outbox, datetime(2026, 3, 29, 8, tzinfo=UTC), senders)) == {}
    assert senders.emails == [] and outbox.markers == set()


def test_at_night_nothing_is_claimed_it_waits_for_daytime():
    book, outbox, senders = FakeBook([sold(date(2026, 4, 28))]), FakeNudgeOutbox(), FakeSenders()
    assert plan_nudges.send_due(run(book, outbox, datetime(2026, 3, 29, 0, 30, tzinfo=UTC), senders)) == {"waiting": 1}
    assert senders.sms_sent == [] and outbox.markers == set()
    assert plan_nudges.send_due(run(book, outbox, datetime(2026, 3, 29, 6, tzinfo=UTC), senders))["claimed"] == 1


def test_one_nudge_per_client_per_seven_days_the_other_waits():
    two = [sold(date(2026, 4, 28), "pl_1"), sold(date(2026, 4, 29), "pl_2")]
    book, outbox, senders = FakeBook(two), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert plan_nudges.send_due(run(book, outbox, now, senders)) == {"claimed": 1, "capped": 1, "sent_email": 1,
                                                                     "sent_sms": 1}
    assert plan_nudges.send_due(run(book, outbox, now + timedelta(days=7), senders))["claimed"] == 1
    assert outbox.markers == {"pl_1#plan_expiring#30", "pl_2#plan_expiring#30"}


def test_overlapping_runs_send_each_nudge_once():
    plans = [sold(date(2026, 4, 28), f"pl_{n}", f"cli_{n}") for n in range(20)]
    book, outbox, senders = FakeBook(plans), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 29, 8, tzinfo=UTC)
    together(lambda: plan_nudges.send_due(run(book, outbox, now, senders)))
    assert len(senders.emails) == 20 and len(senders.sms_sent) == 20


def test_the_business_toggles_choose_the_channels():
    book, outbox, senders = FakeBook([sold(date(2026, 4, 28))]), FakeNudgeOutbox(), FakeSenders()
    one = run(book, outbox, datetime(2026, 3, 29, 8, tzinfo=UTC), senders)
    one.notification_settings = lambda b: NotificationSettings(sms=frozenset())
    assert plan_nudges.send_due(one) == {"claimed": 1, "sent_email": 1}


def test_the_business_chooses_the_days():
    plan = sold(date(2026, 4, 28))
    found = rules.nudges_due(plan, balances(ITEMS, ledger(plan)), date(2026, 4, 14), (14,))
    assert [(n.kind.value, n.threshold) for n in found] == [("plan_expiring", 14)]
    assert rules.nudges_due(plan, balances(ITEMS, ledger(plan)), date(2026, 4, 14), ()) == []


# -- "one session left", queued from the stream ------------------------------------------------------
@dataclass(frozen=True)
class Change:
    before: tuple | None
    after: tuple
    expired: bool = False
    business_id: str = "biz_salon"
    client_id: str = "cli_1"
    plan_id: str = "pl_1"


def queue(outbox, *changes, at=datetime(2026, 3, 30, 8, tzinfo=UTC), on=True):
    return plan_nudges.queue_last_session(changes, outbox, lambda b: on, lambda b: salon().tz, at)


def test_only_a_change_that_leaves_one_unit_from_more_queues_it():
    outbox = FakeNudgeOutbox()
    assert queue(outbox, Change(None, (1,)), Change((0,), (1,)), Change((2,), (1,), expired=True),
                 Change((3,), (2,))) == 0  # a one-unit sale, a unit given back, an expiry, two left
    assert queue(outbox, Change((2,), (1,)), on=False) == 0  # nudges off
    assert queue(outbox, Change((1, 1), (0, 1))) == 1 and list(outbox.queue) == ["pl_1"]


def test_queued_at_night_it_falls_due_at_eight_business_time():
    outbox = FakeNudgeOutbox()
    queue(outbox, Change((2,), (1,)), at=datetime(2026, 3, 30, 22, 15, tzinfo=UTC))  # 00:15 in Madrid
    assert outbox.queue["pl_1"].due == datetime(2026, 3, 31, 6, tzinfo=UTC)  # 08:00 CEST


def one_left(end: date) -> tuple[SoldPlan, list[LedgerEntry]]:
    plan = replace(sold(end), start=date(2026, 3, 30))  # valid twelve months
    return plan, ledger(plan, use=2)


def test_a_plan_ending_in_a_year_gets_one_session_left_once_whatever_replays_or_reruns():
    plan, entries = one_left(date(2027, 3, 29))
    book, outbox, senders = FakeBook([plan], {plan.id: entries}), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 30, 8, tzinfo=UTC)
    queue(outbox, Change((2,), (1,)), at=now)
    first = plan_nudges.send_due(run(book, outbox, now, senders))
    queue(outbox, Change((2,), (1,)), at=now)  # the stream record delivered again
    second = plan_nudges.send_due(run(book, outbox, now + timedelta(hours=1), senders))
    third = plan_nudges.send_due(run(book, outbox, now + timedelta(hours=2), senders))
    assert first == {"claimed": 1, "sent_email": 1, "sent_sms": 1} and second == {"taken": 1} and third == {}
    assert outbox.markers == {"pl_1#plan_last_session#1"} and outbox.queue == {}
    (_, email), = senders.emails
    assert "Bono pelo" in email.text


def test_booked_before_daytime_it_is_dropped_and_capped_it_waits_a_day():
    plan, entries = one_left(date(2027, 3, 29))
    book, outbox, senders = FakeBook([plan], {plan.id: ledger(plan, use=3)}), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 30, 8, tzinfo=UTC)
    queue(outbox, Change((2,), (1,)), at=now)
    assert plan_nudges.send_due(run(book, outbox, now, senders)) == {"dropped": 1} and outbox.queue == {}

    book.entries[plan.id] = entries
    outbox.last[("biz_salon", "cli_1")] = now - timedelta(days=2)  # another plan's nudge two days ago
    queue(outbox, Change((2,), (1,)), at=now)
    assert plan_nudges.send_due(run(book, outbox, now, senders)) == {"capped": 1}
    assert outbox.queue["pl_1"].due == now + timedelta(days=1) and senders.emails == []
    assert plan_nudges.send_due(run(book, outbox, now + timedelta(days=5), senders))["claimed"] == 1


def test_overlapping_runs_send_a_queued_last_session_once():
    plan, entries = one_left(date(2027, 3, 29))
    book, outbox, senders = FakeBook([plan], {plan.id: entries}), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 30, 8, tzinfo=UTC)
    queue(outbox, Change((2,), (1,)), at=now)
    together(lambda: plan_nudges.send_due(run(book, outbox, now, senders)))
    assert len(senders.emails) == 1 and len(senders.sms_sent) == 1


def test_a_plan_sold_ahead_says_one_session_left_from_its_first_day():
    plan, entries = one_left(date(2027, 3, 29))
    plan = replace(plan, start=date(2026, 4, 6))  # sold on 30 March to start on Monday 6 April
    book, outbox, senders = FakeBook([plan], {plan.id: entries}), FakeNudgeOutbox(), FakeSenders()
    now = datetime(2026, 3, 30, 8, tzinfo=UTC)
    queue(outbox, Change((2,), (1,)), at=now)
    assert plan_nudges.send_due(run(book, outbox, now, senders)) == {"waiting": 1}
    assert outbox.queue["pl_1"].due == datetime(2026, 4, 6, 6, tzinfo=UTC)  # 08:00 in Madrid that day
    assert plan_nudges.send_due(run(book, outbox, datetime(2026, 4, 6, 6, 5, tzinfo=UTC), senders))["claimed"] == 1
