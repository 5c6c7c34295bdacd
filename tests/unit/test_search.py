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


@pytest.mark.parametrize("typed", ["+34 612 345 678", "0034612345678", "612 345 678", "(+34) 612-345-678"])
def test_a_query_that_is_a_phone_number_becomes_its_digits(typed):
    assert search.query_words(typed)[0] in search.phone_words("+34612345678")


def test_query_words_are_folded_like_the_index():
    assert search.query_words("  GARCÍA   maría ") == ["garcia", "maria"]


def test_empty_and_too_long_queries_are_refused():
    with pytest.raises(ValidationError):
        search.query_words(" ,; ")
    with pytest.raises(ValidationError) as raised:
        search.query_words("a b c d e f")
    assert raised.value.code == "too_many_words"


def test_appointment_words_are_its_status_and_the_first_words_of_its_notes():
    found = search.appointment_words("Tinte rubio " + " ".join(f"w{i}" for i in range(30)), "no_show")
    assert found[:3] == ["no_show", "tinte", "rubio"]
    assert len(found) == 1 + search.MAX_APPOINTMENT_WORDS


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
            asked = search.query_words(text)
        except ValidationError:
            return
        if len(asked) == 1 and asked[0].isdigit():
            return  # a number-only query is compared with phone words, not text
        assert set(asked) <= indexed


def test_the_largest_online_booking_stays_within_one_transaction():
    """48 lock units + appointment + new client + 2 contact keys + outbox + audit + history link + words <= 100."""
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
    change = agenda_changes.compose(None, appointment, by="stf", new_client=client, audit=audit)
    assert len(change.claims) == 48
    assert change.size <= 100, change.size
    # and the phone numbers survive the cap, ahead of the email's parts
    assert "612345678" in search.contact_words(client.email, client.phone, "+34622333444")
