"""The nudge job on moto, invoked as EventBridge would: once per (plan, kind, threshold) over two runs and
over concurrent runs, only when the business turned nudges on."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import json

from chalicelib.domain.principal import Level
from tests.notifications.delivery_helpers import emails, sms
from tests.plans.helpers import DESK, sell, template

# NOW is Monday 23 March 2026, 08:00 in Madrid: a plan starting today for a month ends on 22 April, 30 days on.


def nudge(client) -> dict:
    return client.lambda_.invoke("nudge_plans", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


ADMIN = Level.ADMIN


def turn_nudges_on(client, login) -> None:
    response = client.http.put("/admin/plan-settings", body=json.dumps({"nudges": True}),
                               headers={"Content-Type": "application/json", **login(ADMIN)})
    assert response.status_code == 200 and response.json_body["nudge_days"] == [30, 7]


def test_the_nudge_settings_are_checked_and_kept(client, login, seeded):
    def put(client, path, body, headers):
        return client.http.put(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
    bad = put(client, "/admin/plan-settings", {"nudges": True, "nudge_days": [30, 30]}, login(ADMIN))
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "nudge_days", bad.json_body
    bad = put(client, "/admin/plan-settings", {"nudge_days": [0]}, login(ADMIN))
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "nudge_days.0"
    good = put(client, "/admin/plan-settings", {"nudges": True, "nudge_days": [7, 14]}, login(ADMIN))
    assert good.status_code == 200 and good.json_body["nudge_days"] == [14, 7]


def test_off_by_default_then_sent_once_over_two_runs(client, login, seeded, ses):
    made = template(client, login(DESK))
    sold = sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    assert sold["end"] == "2026-04-22"
    assert nudge(client) == {}  # nudges are off: nothing read beyond the settings, nothing sent

    turn_nudges_on(client, login)
    first, second = nudge(client), nudge(client)
    assert first == {"claimed": 1, "sent_email": 1, "sent_sms": 1} and second == {"taken": 1}
    (mail,) = [m for m in emails() if "Bono pelo" in m.subject]
    assert "30" in mail.subject and "/b/" in mail.text
    assert len([text for _, text in sms() if "Bono pelo" in text]) == 1


def test_concurrent_runs_send_once(serialised_moto, client, login, seeded, ses):
    """Four runs at once (the job's own wiring, as tests/plans/test_plan_expiry.py does): one claim wins."""
    import threading

    from chalicelib.jobs.plan_jobs import nudge_run
    from chalicelib.services import plan_nudges

    made = template(client, login(DESK))
    sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    turn_nudges_on(client, login)
    before = len(emails())  # the seeded booking's own messages may be there already
    barrier = threading.Barrier(4)

    def run():
        barrier.wait(timeout=30)
        return plan_nudges.send_due(nudge_run())

    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: run(), range(4)))
    assert sum(r.get("claimed", 0) for r in reports) == 1 and sum(r.get("taken", 0) for r in reports) == 3, reports
    assert len(emails()) - before == 1
