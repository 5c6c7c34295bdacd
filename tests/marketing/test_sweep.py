"""The dormant-client sweep: daily, per business, idempotent per (business, local day) whether run twice or
concurrently, fixed N days or each client's own rhythm, skipping a booking ahead or a last no-show, at most
one win-back per 30 days and three per absence, stopping when they book; local dates across a DST change."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.domain.marketing import MarketingSettings, SweepMode
from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.repositories import marketing
from tests.factories import NOW
from tests.marketing.helpers import ClientAgenda, add_client, grant, run_job
from tests.notifications.delivery_helpers import emails

ELEVEN_LOCAL = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def salon_sweeping(client, store, login, clock, ses):
    """Sweep on, fixed 60 days; clients by last visit (today is 23 March 2026)."""
    marketing.save_settings("biz_salon", MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60), NOW)
    agenda = ClientAgenda(client, store)
    for cid, name, last in (("cli_gone", "Gina", "2026-01-10"), ("cli_recent", "Rita", "2026-03-01"),
                            ("cli_ahead", "Ada", "2026-01-05"), ("cli_noshow", "Nora", "2025-12-01"),
                            ("cli_long", "Lola", "2024-01-10")):
        add_client(cid, name, "Test", email=f"{cid}@example.com")
        agenda.visit(cid, f"{last}T10:00:00+00:00")
        grant(client, login, cid, "email")
    agenda.visit("cli_ahead", "2026-04-10T10:00:00+00:00", S.CONFIRMED)
    agenda.visit("cli_noshow", "2026-02-01T10:00:00+00:00", S.NO_SHOW)
    return agenda


def sweep(client) -> dict:
    return run_job(client, "sweep_dormant_clients")


def winbacks() -> list[str]:
    return sorted(m.to for m in emails())


def test_the_sweep_wins_back_dormant_clients_once_per_day(client, salon_sweeping):
    assert sweep(client) == {"businesses": 1}  # no queue configured: the unit is swept in the schedule's run
    assert len(list(marketing.campaign_messages("biz_salon", "wb_2026-03-23"))) == 1
    assert sweep(client) == {"businesses": 1}  # the same day again: nothing more
    assert len(list(marketing.campaign_messages("biz_salon", "wb_2026-03-23"))) == 1
    run_job(client, "deliver_marketing")
    # Rita came 22 days ago, Ada is booked ahead, Nora's last was a no-show, Lola is past the sweep's band
    assert winbacks() == ["cli_gone@example.com"]
    mail = emails()[0]
    assert "Gina" in mail.text and "/b/salon" in mail.text and "Darse de baja" in mail.text  # the salon's language


def test_concurrent_sweeps_send_nothing_twice(client, store, salon_sweeping, serialised_moto):
    """moto one call at a time (the runs interleave between calls, as on DynamoDB's per-item writes): moto's
    plain reads are not thread-safe, and with only its transactions serialised one run on a loaded machine
    came back with neither the sweep nor "already swept"."""
    from chalicelib import wiring
    from chalicelib.services import winback

    reports = []

    def run():
        reports.append(winback.sweep(store, wiring.clients(), None, "biz_salon", NOW))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.get("queued", 0) for r in reports) == 1
    assert sum(r.get("already_swept", 0) for r in reports) == 3


def test_a_sweep_that_died_half_way_is_resumed_without_repeats(client, store, salon_sweeping):
    from chalicelib import wiring
    from chalicelib.services import winback

    winback.sweep(store, wiring.clients(), None, "biz_salon", NOW)
    # the run's claim is taken back as if it died before finishing: the next run after its lease redoes the day
    from chalicelib.repositories.marketing_tables import SweepRunItem

    SweepRunItem("BIZ#biz_salon#MKT", "SWEEP#2026-03-23", status="running", lease_until=NOW).save()
    again = winback.sweep(store, wiring.clients(), None, "biz_salon", NOW + timedelta(minutes=20))
    assert "already_swept" not in again and again.get("queued", 0) == 0
    assert len(list(marketing.campaign_messages("biz_salon", "wb_2026-03-23"))) == 1


def test_one_win_back_per_30_days_and_three_per_absence_and_it_stops_when_they_book(client, store, clock,
                                                                                 salon_sweeping):
    from chalicelib import wiring
    from chalicelib.services import winback

    def on(day: int) -> int:
        """The sweep `day` days from today: whether Gina got a win-back."""
        at = NOW + timedelta(days=day)
        winback.sweep(store, wiring.clients(), None, "biz_salon", at)
        sent = marketing.campaign_messages("biz_salon", f"wb_{at.date().isoformat()}")
        return sum(1 for m in sent if m.client_id == "cli_gone")

    marketing.save_settings("biz_salon", MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60, cap_days=0), NOW)
    assert [on(d) for d in (0, 1, 29, 30, 31, 60, 90, 120)] == [1, 0, 0, 1, 0, 1, 0, 0]
    # a new absence after a visit starts again
    salon_sweeping.visit("cli_gone", "2026-07-01T10:00:00+00:00")
    assert on(159) == 0 and on(160) == 1  # 59, then 60 days after the new visit


def test_a_queued_win_back_stops_when_they_book(client, salon_sweeping, clock):
    sweep(client)
    salon_sweeping.visit("cli_gone", "2026-03-30T10:00:00+00:00", S.CONFIRMED)
    run_job(client, "deliver_marketing")
    assert winbacks() == []
    figures = marketing.campaign_messages("biz_salon", "wb_2026-03-23")
    assert [(m.status, m.reason) for m in figures] == [("skipped", "booked")]


def test_each_client_s_own_rhythm(client, store, login, clock, ses):
    marketing.save_settings("biz_salon", MarketingSettings(sweep=SweepMode.RHYTHM, sweep_days=90, margin_days=7),
                            NOW)
    agenda = ClientAgenda(client, store)
    add_client("cli_monthly", "Mona", "Test", email="mona@example.com")
    grant(client, login, "cli_monthly", "email")
    for day in ("2025-12-01", "2025-12-29", "2026-01-28", "2026-02-24"):  # gaps 28, 30, 27: median 28
        agenda.visit("cli_monthly", f"{day}T10:00:00+00:00")
    add_client("cli_twice", "Tina", "Test", email="tina@example.com")  # two visits: the business's 90 days
    grant(client, login, "cli_twice", "email")
    for day in ("2026-01-01", "2026-01-20"):
        agenda.visit("cli_twice", f"{day}T10:00:00+00:00")
    from chalicelib import wiring
    from chalicelib.services import winback

    def queued(day: str) -> int:
        at = datetime.fromisoformat(f"{day}T10:00:00+00:00")
        return winback.sweep(store, wiring.clients(), None, "biz_salon", at).get("queued", 0)

    assert queued("2026-03-28") == 0  # Mona: 32 days < 28 + 7
    assert queued("2026-03-31") == 1  # Mona: 35 days
    assert queued("2026-04-19") == 0  # Tina: 89 days
    assert queued("2026-04-20") == 1  # Tina: 90 days (Mona had hers 20 days ago)


def test_absence_counts_local_days_across_the_dst_change_and_sms_wait_for_local_9(client, store, login, clock):
    # Madrid leaves summer time on Sunday 25 October 2026; Sara's last visit was 26 August (local)
    marketing.save_settings("biz_salon", MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60), NOW)
    add_client("cli_sara", "Sara", "Test", phone="+34612000009")
    grant(client, login, "cli_sara", "sms")
    ClientAgenda(client, store).visit("cli_sara", "2026-08-25T22:30:00+00:00")  # 00:30 on the 26th, CEST
    from chalicelib import wiring
    from chalicelib.services import winback

    def run(instant: str) -> dict:
        return winback.sweep(store, wiring.clients(), None, "biz_salon", datetime.fromisoformat(instant))

    assert run("2026-10-24T21:30:00+00:00").get("queued", 0) == 0  # 23:30 on the 24th: 59 days
    assert run("2026-10-24T22:30:00+00:00")["queued"] == 1  # 00:30 CEST on the 25th: 60 days
    assert run("2026-10-25T22:30:00+00:00") == {"already_swept": 1}  # 23:30 CET, still the 25th
    (message,) = marketing.campaign_messages("biz_salon", "wb_2026-10-25")
    assert message.channel == "sms" and message.due_key.startswith("2026-10-25T08:00:00Z")  # 09:00 CET
