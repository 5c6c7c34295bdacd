"""One test class, two back ends: the do-not-contact list over the in-memory storage (tests/fakes.py) and over
DynamoDB (moto). Campaigns' tests use the fake; this keeps it answering as the real list does."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from chalicelib.domain.do_not_contact import Contacts
from chalicelib.services.do_not_contact import DoNotContactList
from tests.fakes import FakeListedContacts

AT = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
KEY = b"contract-privacy-key"


@pytest.fixture(params=["fake", "moto"])
def listed(request):
    if request.param == "fake":
        return DoNotContactList(KEY, FakeListedContacts())
    request.getfixturevalue("aws")
    from chalicelib.repositories.do_not_contact import DynamoListedContacts

    return DoNotContactList(KEY, DynamoListedContacts())


def test_a_listed_email_or_phone_is_blocked_in_any_spelling(listed):
    listed.add("biz-a", Contacts("Ana.Rossi@Mail.example", "+39 347 123 4567"), AT, "erased")

    assert listed.blocked("biz-a", email="ana.rossi@mail.example")
    assert listed.blocked("biz-a", email="  ANA.ROSSI@mail.EXAMPLE ")
    assert listed.blocked("biz-a", phone="0039 347 1234567")
    assert listed.blocked("biz-a", email="someone@else.example", phone="+393471234567")


def test_others_and_other_businesses_are_not_blocked(listed):
    listed.add("biz-a", Contacts("ana@mail.example", None), AT, "erased")

    assert not listed.blocked("biz-a", email="bea@mail.example")
    assert not listed.blocked("biz-a")  # nothing to look up
    assert not listed.blocked("biz-b", email="ana@mail.example")  # the list is per business


def test_the_batch_form_names_the_blocked_people(listed):
    listed.add("biz-a", Contacts("ana@mail.example", "+34612345678"), AT, "erased")
    people = {f"c{i}": Contacts(f"client{i}@mail.example", None) for i in range(120)}  # > one batch read
    people["ana-by-phone"] = Contacts(None, "+34 612 34 56 78")
    people["ana-by-email"] = Contacts("ANA@mail.example", "+34600000000")
    people["nobody"] = Contacts(None, None)

    assert listed.blocked_among("biz-a", people) == {"ana-by-phone", "ana-by-email"}
    assert listed.blocked_among("biz-a", {}) == set()


def test_adding_twice_is_harmless(listed):
    listed.add("biz-a", Contacts("ana@mail.example", None), AT, "erased")
    listed.add("biz-a", Contacts("ana@mail.example", None), AT, "erased")

    assert listed.blocked("biz-a", email="ana@mail.example")


def test_only_keyed_hashes_are_stored(aws):
    from chalicelib.repositories.do_not_contact import DynamoListedContacts
    from chalicelib.repositories.tables import Item

    DoNotContactList(KEY, DynamoListedContacts()).add("biz-a", Contacts("ana@mail.example", "+34612345678"),
                                                      AT, "erased")
    stored = json.dumps([i.attribute_values for i in Item.scan()], default=str)  # the test may scan; code never does

    assert "ana@mail.example" not in stored and "612345678" not in stored
    assert not DoNotContactList(b"another-key", DynamoListedContacts()).blocked("biz-a", email="ana@mail.example")


def test_one_batch_read_answers_for_a_person_and_for_fifty_people(aws):
    from bench.counting import counting_dynamodb_calls
    from chalicelib import wiring

    listed = wiring.do_not_contact()
    listed.add("biz-a", Contacts("ana@mail.example", "+34612345678"), AT, "erased")
    people = {f"c{i}": Contacts(f"client{i}@mail.example", f"+3461234{i:04d}") for i in range(50)}

    with counting_dynamodb_calls() as calls:
        assert listed.blocked("biz-a", email="ana@mail.example", phone="+34612345678")
    assert calls.summary() == "BatchGetItem"
    with counting_dynamodb_calls() as calls:
        assert listed.blocked_among("biz-a", people) == set()
    assert calls.summary() == "BatchGetItem"  # 100 hashes: DynamoDB's most per call
