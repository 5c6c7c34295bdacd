"""Search words: case and accents folded, compounds and parts, phone numbers however typed."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain import search
from chalicelib.errors import ValidationError


def test_accents_and_case_are_folded():
    assert search.fold("José ÁLVAREZ Muñoz") == "jose alvarez munoz"
    assert search.fold("Straße") == "strasse"
    assert search.words("Ñoño") == ["nono"]


def test_compound_words_are_indexed_whole_and_by_part():
    assert search.words("María-José") == ["maria-jose", "maria", "jose"]
    assert search.words("eva.ruiz@example.com") == ["eva.ruiz@example.com", "eva", "ruiz", "example", "com"]


def test_punctuation_is_dropped_and_repeats_collapse():
    assert search.words("Alergia al tinte; ¡alergia! (prefiere té).") == ["alergia", "al", "tinte", "prefiere", "te"]


def test_no_word_ever_contains_the_key_separator():
    assert all("#" not in w for w in search.words("#vip cliente#1 c#"))


def test_phone_numbers_are_words_with_and_without_country_code():
    assert search.phone_words("+34612345678") == ["34612345678", "612345678"]
    assert search.phone_words(None) == []


@pytest.mark.parametrize("typed", ["+34 612 345 678", "0034612345678", "612 345 678", "(+34) 612-345-678",
                                   "612 34", "+34 612"])
def test_a_query_that_is_a_phone_number_or_its_start_becomes_its_digits(typed):
    [digits] = search.parse_query(typed).words
    assert any(w.startswith(digits) for w in search.phone_words("+34612345678"))


def test_query_words_are_folded_like_the_index_and_the_longest_leads():
    query = search.parse_query("  GARCÍA   maría ")
    assert query.words == ("garcia", "maria") and query.lead == "garcia"


def test_empty_one_letter_and_too_long_queries_are_refused():
    for typed, code in ((" ,; ", "required"), ("a b c d e f", "too_many_words"), ("j", "query_too_short"),
                        ("a b", "query_too_short")):
        with pytest.raises(ValidationError) as raised:
            search.parse_query(typed)
        assert raised.value.code == code


def entry(word, words, contacts=()):
    return search.SearchEntry("biz", search.CLIENTS, word, "cli_1", tuple(words), tuple(contacts))


def test_a_query_matches_the_start_of_words_and_each_target_once():
    query = search.parse_query("mar lo")
    words = ("maria", "martinez", "lopez")
    assert [query.matches(entry(w, words), contacts=True) for w in words] == [True, False, False]
    assert not search.parse_query("mar ga").matches(entry("maria", words), contacts=True)


def test_contact_words_are_matched_only_for_those_who_see_contacts():
    row = entry("611222333", ("jose",), ("611222333",))
    assert row.key == ("biz", search.CLIENTS, "611222333", "cli_1")
    assert search.parse_query("611 22").matches(row, contacts=True)
    assert not search.parse_query("611 22").matches(row, contacts=False)
    assert not search.parse_query("jose 611").matches(entry("jose", ("jose",), ("611222333",)), contacts=False)


def test_a_changed_entry_is_put_again_and_only_stale_words_are_deleted():
    old = search.entries("biz", search.APPOINTMENTS, "REF", ["confirmed", "eva"])
    new = search.entries("biz", search.APPOINTMENTS, "REF", ["cancelled", "eva"])
    puts, stale = search.index_changes(old, new)
    assert {e.word for e in puts} == {"cancelled", "eva"} and [e.word for e in stale] == ["confirmed"]


def test_appointment_entries_are_its_status_client_and_first_words_of_its_notes():
    from datetime import datetime
    from decimal import Decimal

    from chalicelib.domain.calendar import UTC, Interval
    from chalicelib.domain.model import Appointment, AppointmentStatus, Source

    at = datetime(2026, 3, 24, 9, tzinfo=UTC)
    made = Appointment("REF", "biz", "cli_x", "svc", "stf", at, at, Interval(at, at), AppointmentStatus.CONFIRMED,
                       Source.ONLINE, Decimal("1"), "EUR", at, at, notes="Tinte rubio " + " ".join(
                           f"w{i}" for i in range(30)), client_words=("eva", "ruiz"), client_contacts=("612345678",))
    found = {e.word for e in search.appointment_entries(made)}
    assert {"confirmed", "eva", "ruiz", "tinte", "rubio", "612345678"} <= found
    assert len(found) == 1 + 2 + search.MAX_NOTES_WORDS + 1


def test_cursors_round_trip_and_garbage_is_a_400():
    assert search.decode_cursor(search.encode_cursor({"after": "cli_1", "q": ["ana"]})) == {"after": "cli_1", "q": ["ana"]}
    assert search.decode_cursor(None) is None
    for bad in ("%%%", "bm90IGpzb24", search.encode_cursor([1])):
        with pytest.raises(ValidationError):
            search.decode_cursor(bad)


@given(st.text(max_size=60))
def test_any_text_found_by_any_of_its_own_words(text):
    indexed = set(search.words(text))
    for word in indexed:
        assert "#" not in word and word == search.fold(word)
    if indexed:
        try:
            asked = search.parse_query(text).words
        except ValidationError:
            return
        if len(asked) == 1 and asked[0].isdigit():
            return  # a number-only query is compared with phone words, not text
        assert set(asked) <= indexed


def test_the_largest_online_booking_stays_within_one_transaction():
    """48 lock units + appointment + new client + 2 contact keys + outbox + audit + history link + words <= 100."""
    from dataclasses import replace
    from datetime import datetime, timedelta
    from decimal import Decimal

    from chalicelib.domain.calendar import UTC, Interval
    from chalicelib.domain.audit import AuditEntry
    from chalicelib.domain.model import Appointment, AppointmentStatus, Client, Source
    from chalicelib.services import agenda_changes

    long_text = " ".join(f"palabra{n}" for n in range(200))
    start = datetime(2026, 3, 24, 9, tzinfo=UTC)
    appointment = Appointment("REF", "biz", "cli_x", "svc", "stf", start, start + timedelta(minutes=240),
                              Interval(start, start + timedelta(minutes=240)), AppointmentStatus.CONFIRMED,
                              Source.ONLINE, Decimal("1"), "EUR", start, start, notes=long_text)
    client = Client("cli_x", long_text[:100], long_text[100:200], ".".join("abcdefghijklmnopqrstuvwxyz") + "@e.com",
                    "+34612345678")
    audit = AuditEntry("biz", start, "stf", "", 1, "appointment.create", "appointment", "REF", None, {})
    words, contacts = search.who(client.first_name, client.last_name, "X" * 40, client.phone, "+34622333444")
    appointment = replace(appointment, client_words=words, client_contacts=contacts)
    change = agenda_changes.compose(None, appointment, by="stf", new_client=client, audit=audit)
    assert len(change.claims) == 48
    assert change.size <= 100, change.size
    # and the phone numbers survive the cap, ahead of the email's parts
    assert "612345678" in search.contact_words(client.email, client.phone, "+34622333444")
