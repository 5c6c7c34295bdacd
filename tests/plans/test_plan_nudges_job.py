"""The nudge job on moto, invoked as EventBridge would: once per (plan, kind, threshold) over two runs and
over concurrent runs, only when the business turned nudges on."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from chalicelib.domain.plans import PlanSettings
from tests.notifications.delivery_helpers import emails, sms
from tests.plans.helpers import DESK, sell, template

# NOW is Monday 23 March 2026, 08:00 in Madrid: a plan starting today for a month ends on 22 April, 30 days on.


def nudge(client) -> dict:
    return client.lambda_.invoke("nudge_plans", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def test_off_by_default_then_sent_once_over_two_runs(client, login, seeded, ses):
    made = template(client, login(DESK))
    sold = sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    assert sold["end"] == "2026-04-22"
    assert nudge(client) == {}  # nudges are off: nothing read beyond the settings, nothing sent

    from chalicelib import wiring
    wiring.plans().save_settings(seeded["business"], PlanSettings(nudges=True),
                                 wiring.now())
    first, second = nudge(client), nudge(client)
    assert first == {"claimed": 1, "sent_email": 1, "sent_sms": 1} and second == {"taken": 1}
    (mail,) = [m for m in emails() if "Bono pelo" in m.subject]
    assert "30" in mail.subject and "/b/" in mail.text
    assert len([text for _, text in sms() if "Bono pelo" in text]) == 1


def test_concurrent_runs_send_once(client, login, seeded, ses, atomic_moto):
    made = template(client, login(DESK))
    sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    from chalicelib import wiring
    wiring.plans().save_settings(seeded["business"], PlanSettings(nudges=True), wiring.now())
    before = len(emails())  # the seeded booking's own messages may be there already
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: nudge(client), range(4)))
    assert sum(r.get("claimed", 0) for r in reports) == 1
    assert len(emails()) - before == 1
