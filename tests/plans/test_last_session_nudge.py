""""One session left" for a plan valid twelve months, on moto: the stream record of the change that left one
unit to book queues the nudge, the hourly job sends it once, whatever replays and reruns.

moto's stream hands out no records for PynamoDB's writes, so the records are built from the sold plan's item
before and after (the images the stream carries), as tests/notifications/test_stream.py does."""
from __future__ import annotations

from chalicelib.repositories.codecs import plan_pk, sold_plan_sk
from chalicelib.repositories.tables import SoldPlanItem
from tests.api.helpers import post
from tests.notifications.delivery_helpers import emails, sms
from tests.notifications.test_stream import on_table_change, record
from tests.plans.helpers import DESK, sell, template
from tests.plans.test_plan_nudges_job import nudge, turn_nudges_on


def test_a_plan_valid_a_year_reaching_one_unit_left_gets_exactly_one_nudge(client, login, seeded, ses):
    made = template(client, login(DESK), name="Bono anual", validity={"amount": 12, "unit": "months"})
    sold = sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    assert sold["end"] == "2027-03-22"
    turn_nudges_on(client, login)
    key = (plan_pk(seeded["business"]), sold_plan_sk(seeded["client"], sold["id"]))
    before = SoldPlanItem.get(*key, consistent_read=True)
    taken = post(client, f"/admin/clients/{seeded['client']}/plans/{sold['id']}/adjustments",
                 {"item": 0, "units": -2, "reason": "two sessions taken before the plan was recorded"}, login(DESK))
    assert taken.status_code == 201, taken.body
    after = SoldPlanItem.get(*key, consistent_read=True)
    assert list(after.available) == [0, 1]

    change = record(after, before, "MODIFY")
    on_table_change(client, [change])
    on_table_change(client, [change])  # delivered again
    first, second = nudge(client), nudge(client)
    assert first == {"claimed": 1, "sent_email": 1, "sent_sms": 1}, first
    assert second == {}, second  # nothing left queued, and no expiry nudge a year ahead
    on_table_change(client, [change])  # a late replay queues it again: the marker says it went
    assert nudge(client) == {"taken": 1}
    assert len([m for m in emails() if "Bono anual" in m.subject]) == 1
    assert len([text for _, text in sms() if "Bono anual" in text]) == 1
