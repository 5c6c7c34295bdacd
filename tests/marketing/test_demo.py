"""The demo data `make dev` seeds for Marketing shows loyal and dormant clients, and seeding again adds nothing."""
from __future__ import annotations

from datetime import datetime

from chalicelib.domain.marketing import Audience
from chalicelib.repositories import client_stats


def test_the_demo_has_loyal_and_dormant_clients_and_is_seeded_once(store):
    from infra.local import demo_marketing, devstack

    devstack.seed_demo_step({})
    assert "6 demo clients" in demo_marketing.seed({})[0]
    assert demo_marketing.seed({}) == ["marketing: demo clients already there"]
    now = datetime.now().astimezone()
    today = now.date()
    every = list(client_stats.every("biz_demo"))
    dormant = [s.client_id for s in every if Audience("dormant", days=90).admits(s, today, now)]
    loyal = [s.client_id for s in every if s.completed_count >= 3 and s.absent_days(today) < 30]
    assert set(dormant) == {"cli_mkt_pau", "cli_mkt_eva", "cli_mkt_tom"}
    assert set(loyal) == {"cli_mkt_ana", "cli_mkt_jon"}
