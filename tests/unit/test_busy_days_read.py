"""The busy days' read keeps each resource-day it decoded by the item's bytes (repositories/busy_days.py):
the same minutes as a plain decode, whichever way the answer is spaced, a changed item decoded anew, and
an answer that is the same bytes as last time not cut apart at all."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from chalicelib.domain.busy import day_start
from chalicelib.domain.model import ResourceRef
from chalicelib.repositories import busy_days

DAY = date(2026, 3, 2)
BASE = day_start(DAY)


class Answers:
    """A lean reader answering the busy days' query with bodies written here."""

    def __init__(self, *bodies: bytes) -> None:
        self.bodies = list(bodies)

    def query_bodies(self, **params) -> list[bytes]:
        return self.bodies


def _item(resource: str, entries: dict[str, str], day: date = DAY) -> dict:
    return {"pk": {"S": "BUSY#biz_cache"}, "sk": {"S": f"{day.isoformat()}#staff#{resource}"},
            "kind": {"S": "busy"}, "expires_at": {"N": "1800000000"}, **{k: {"S": v} for k, v in entries.items()}}


def _body(items: list[dict], spaced: bool) -> bytes:
    answer = {"Count": len(items), "Items": items, "ScannedCount": len(items)}
    return (json.dumps(answer) if spaced else json.dumps(answer, separators=(",", ":"))).encode()


def _read(*bodies: bytes):
    start = datetime(2026, 3, 2, tzinfo=timezone.utc)
    return busy_days.read(Answers(*bodies), "t", "biz_cache", start, start)


@pytest.fixture(autouse=True)
def _forget():
    busy_days.forget()
    yield
    busy_days.forget()


@pytest.mark.parametrize("spaced", [False, True], ids=["dynamodb", "moto"])
def test_the_same_minutes_as_decoding_the_whole_answer(spaced):
    items = [_item("ana", {"R1": "540,600", "R2": "615,660"}), _item("bea", {"R3": "0,30"}),
             _item("ana", {"R4": "60,90"}, date(2026, 3, 3))]
    found = _read(_body(items, spaced))
    assert found == {ResourceRef("staff", "ana"): [(BASE + 540, BASE + 600), (BASE + 615, BASE + 660),
                                                   (BASE + 1440 + 60, BASE + 1440 + 90)],
                     ResourceRef("staff", "bea"): [(BASE, BASE + 30)]}
    assert len(busy_days._known) == 3  # each item cut apart and kept


def test_a_changed_item_is_decoded_anew_and_the_others_found_by_their_bytes(monkeypatch):
    before = [_item("ana", {"R1": "540,600"}), _item("bea", {"R3": "0,30"})]
    _read(_body(before, spaced=False))
    decoded = []
    plain = busy_days._decoded
    monkeypatch.setattr(busy_days, "_decoded", lambda item: decoded.append(item["sk"]["S"]) or plain(item))
    after = [_item("ana", {"R1": "540,600", "R9": "700,730"}), _item("bea", {"R3": "0,30"})]
    found = _read(_body(after, spaced=False))
    assert decoded == [f"{DAY.isoformat()}#staff#ana"]  # only the booked day
    assert found[ResourceRef("staff", "ana")] == [(BASE + 540, BASE + 600), (BASE + 700, BASE + 730)]
    assert found[ResourceRef("staff", "bea")] == [(BASE, BASE + 30)]


def test_an_answer_it_cannot_cut_apart_is_decoded_whole():
    items = [_item("ana", {"R1": "540,600"}), _item("bea", {"R3": "0,30"})]
    odd = json.dumps({"Items": items, "Count": 3}, separators=(",", ":")).encode()  # a Count that disagrees
    assert _read(odd) == {ResourceRef("staff", "ana"): [(BASE + 540, BASE + 600)],
                          ResourceRef("staff", "bea"): [(BASE, BASE + 30)]}
    assert busy_days._known == {}
    empty = json.dumps({"Count": 0, "Items": []}).encode()
    assert _read(empty) == {}


def test_pages_of_one_resource_add_up():
    first = _body([_item("ana", {"R1": "540,600"})], spaced=False)
    second = _body([_item("ana", {"R2": "60,90"}, date(2026, 3, 3))], spaced=False)
    assert _read(first, second) == {ResourceRef("staff", "ana"): [(BASE + 540, BASE + 600),
                                                                  (BASE + 1500, BASE + 1530)]}


def test_the_same_answer_again_is_not_cut_apart_and_each_caller_gets_its_own_lists(monkeypatch):
    body = _body([_item("ana", {"R1": "540,600"}), _item("bea", {"R3": "0,30"})], spaced=False)
    first = _read(body)
    first[ResourceRef("staff", "ana")].append((0, 1))  # what one caller does with its answer stays its own
    monkeypatch.setattr(busy_days, "_pieces", lambda body: pytest.fail("the same bytes were cut apart again"))
    again = _read(bytes(body))  # equal bytes, another object: as a new answer from DynamoDB
    assert again == {ResourceRef("staff", "ana"): [(BASE + 540, BASE + 600)], ResourceRef("staff", "bea"): [(BASE, BASE + 30)]}
    other = datetime(2026, 3, 9, tzinfo=timezone.utc)  # another query with the same answer: its own entry
    monkeypatch.undo()
    assert busy_days.read(Answers(body), "t", "biz_cache", other, other) == again
