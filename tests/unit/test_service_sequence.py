"""Several services back to back with one professional (domain/service_sequence.py): where each goes, the
composite the engine sees, who and which desk may take them, and what a request body may say."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.domain.model import Catalog, Service
from chalicelib.domain.service_sequence import MAX_SERVICES, sequence_of, service_ids_from, service_named
from chalicelib.errors import NotFoundError, UnprocessableError, ValidationError
from tests.factories import desks, salon, services, staff

CATALOG = Catalog(salon(), tuple(staff()), tuple(services()), desks=tuple(desks()))
TEN = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)  # 10:00 in Madrid


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 24, hour, minute, tzinfo=UTC)


def test_each_service_starts_where_the_previous_ones_busy_time_ends_plus_its_own_buffer():
    cut_then_colour = sequence_of(CATALOG, ["svc_cut", "svc_color"], backoffice=False)
    cut, colour = cut_then_colour.parts(TEN)
    assert (cut.span.start, cut.span.end, cut.busy.end) == (at(9, 0), at(9, 30), at(9, 30))
    # Color: 10 minutes before, 90, 15 after
    assert (colour.busy.start, colour.span.start, colour.span.end, colour.busy.end) == (
        at(9, 30), at(9, 40), at(11, 10), at(11, 25))
    whole = cut_then_colour.as_service()
    assert (whole.id, whole.name, whole.duration_minutes, str(whole.price)) == (
        "svc_cut+svc_color", "Corte + Color", 130, "85.50")
    span, busy = whole.occupies(TEN)
    assert (span.start, span.end, busy.start, busy.end) == (at(9, 0), at(11, 10), at(9, 0), at(11, 25))
    colour_then_cut = sequence_of(CATALOG, ["svc_color", "svc_cut"], backoffice=False)
    assert [p.span.start for p in colour_then_cut.parts(TEN)] == [at(9, 0), at(10, 45)]
    assert colour_then_cut.as_service().occupies(TEN)[1].start == at(8, 50)  # Color's buffer before


def test_one_service_is_just_that_service():
    alone = sequence_of(CATALOG, ["svc_color"], backoffice=False)
    assert alone.as_service() == CATALOG.service("svc_color") and alone.key == "svc_color"
    assert service_named(CATALOG, "svc_color") == CATALOG.service("svc_color")
    assert service_named(CATALOG, "svc_cut+svc_color").name == "Corte + Color"
    assert service_named(CATALOG, "svc_cut+svc_gone") is None


def test_only_who_performs_every_service_and_a_desk_that_takes_them():
    both = sequence_of(CATALOG, ["svc_cut", "svc_color"], backoffice=True)
    assert [m.id for m in both.candidates(CATALOG, "any")] == ["stf_ana"]  # Bea does no colour
    with pytest.raises(NotFoundError) as refused:
        both.candidates(CATALOG, "stf_bea")
    assert refused.value.field == "staff"
    assert both.desks(CATALOG) is None and not both.as_service().requires_desk
    seated = replace(CATALOG, services=tuple(replace(s, requires_desk=s.id == "svc_color") for s in CATALOG.services))
    both = sequence_of(seated, ["svc_cut", "svc_color"], backoffice=True)
    assert [d.id for d in both.desks(seated)] == ["dsk_colour"] and both.as_service().requires_desk
    assert sequence_of(CATALOG, ["svc_cut"], backoffice=True).desks(CATALOG) is None


def test_internal_services_only_from_the_backoffice_and_the_whole_must_fit_one_transaction():
    with pytest.raises(NotFoundError) as refused:
        sequence_of(CATALOG, ["svc_cut", "svc_private"], backoffice=False)
    assert refused.value.field == "services.1"
    assert sequence_of(CATALOG, ["svc_cut", "svc_private"], backoffice=True).as_service().status.value == "internal"
    with pytest.raises(NotFoundError) as refused:
        sequence_of(CATALOG, ["svc_old"], backoffice=True, field="service")
    assert refused.value.field == "service"
    longer = Catalog(CATALOG.business, CATALOG.staff,
                     CATALOG.services + (Service("svc_long", "Largo", 150, Decimal("90.00")),))
    with pytest.raises(UnprocessableError) as refused:  # 115 minutes of Color with its buffers, then 150
        sequence_of(longer, ["svc_color", "svc_long"], backoffice=True)
    assert refused.value.code == "too_long"


@pytest.mark.parametrize("body, field, code", [
    ({}, "service", "required"),
    ({"service": 3}, "service", "wrong_type"),
    ({"services": []}, "services", "required"),
    ({"services": "svc_cut"}, "services", "required"),
    ({"services": ["svc_cut"] * (MAX_SERVICES + 1)}, "services", "too_many"),
    ({"services": ["svc_cut", "svc_color", "svc_cut"]}, "services.2", "duplicate"),
    ({"services": ["svc_cut", None]}, "services.1", "required"),
    ({"services": ["svc_cut"], "service": "svc_cut"}, "services", "ambiguous"),
])
def test_bad_service_lists_name_their_place(body, field, code):
    with pytest.raises(ValidationError) as refused:
        service_ids_from(body)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_list_or_one_service_as_before():
    assert service_ids_from({"services": ["svc_cut", " svc_color "]}) == ("svc_cut", "svc_color")
    assert service_ids_from({"service": "svc_cut"}) == ("svc_cut",)
    with pytest.raises(NotFoundError):
        service_ids_from({"service": "svc_cut+svc_color"})  # a sequence's key is not a service
