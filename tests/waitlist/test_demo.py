"""`make dev`'s demo salon has a few waiting requests, added once: a restart with kept data adds none."""
from __future__ import annotations

from infra.local import demo_waitlist
from chalicelib.repositories import waitlist
from tests.factories import NOW


def test_the_demo_requests_are_added_once(aws):
    assert demo_waitlist.provision({}) == ["waiting list: 4 demo requests"]
    assert demo_waitlist.provision({}) == ["waiting list: already there"]
    found, _ = waitlist.page("biz_demo", {}, NOW, None, 10)
    assert [r.contact.first_name for r in found] == ["Carmen", "Javier", "Elena", "Pablo"]  # oldest first
    assert {r.created_by for r in found} == {"client", "stf_lucia"}
    assert found[-1].service_ids == ("svc_cut_style", "svc_beard")  # Marco does both, one after the other
