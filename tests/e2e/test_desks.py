"""Desks in Chromium against the whole local stack: the Desks screen lists, creates and closes desks (the
appointment on a closing desk is listed and moved to another free desk when asked), and the monitor
filters by desk with a column per desk. The salon is tests/e2e/seed_desks.py's."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import run_seed
from tests.e2e.seed_desks import ADMIN, PASSWORD, local_day
from tests.e2e.test_booking_page import details
from tests.e2e import test_backoffice_screens as screens
from tests.e2e.test_backoffice_screens import DESKTOP, no_serious_violations, open_screen, toast


@pytest.fixture(scope="module")
def salon(stack):
    run_seed(stack, "tests.e2e.seed_desks")
    return stack


def sign_in(page, url: str) -> None:
    """The salon's administrator, on a laptop's screen."""
    page.set_viewport_size(DESKTOP)
    screens.sign_in(page, url, ADMIN[1], PASSWORD)


def test_desks_are_created_closed_with_their_appointment_moved_and_shown_per_desk(page, salon, shoot):
    sign_in(page, salon.api_url)
    open_screen(page, "/desks", "Desks")
    rows = page.locator("table.desks tbody tr")
    expect(rows).to_have_count(2)
    no_serious_violations(page, "desks")

    # a new desk: a wash basin for haircuts, with a holiday every Christmas
    page.get_by_role("button", name="New desk").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Number").fill("3")
    dialog.get_by_label("Description").fill("Wash basin")
    dialog.get_by_label("Haircut").check()
    dialog.get_by_role("button", name="Add holiday").click()
    dialog.get_by_label("First day").fill("2026-12-25")
    dialog.get_by_label("Every year").check()
    no_serious_violations(page, "desk form")
    dialog.get_by_role("button", name="Save").click()
    toast(page, "Saved.")
    expect(rows).to_have_count(3)
    expect(page.locator('tr[data-desk] th[scope="row"]')).to_have_text(["1", "2", "3"])

    # closing station 1 lists Valeria's colour; moved, it sits at station 2
    page.locator('button[data-toggle="dsk_e2e1"]').click()
    dialog = page.get_by_role("dialog")
    listed = dialog.locator("table.affected-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Valeria Soto")
    expect(listed).to_contain_text("1 · Colour A")
    no_serious_violations(page, "desk close conflict")
    dialog.get_by_role("button", name="Move them to another free desk and save").click()
    toast(page, "Desk 1 · Colour A is closed.")
    expect(page.locator('tr[data-desk="dsk_e2e1"] .badge')).to_have_text("Closed")
    shoot("desks")

    # the monitor of that day, station 2 only, a column per desk
    open_screen(page, "/monitor", "Today by time slot")
    page.get_by_label("Day").fill(local_day(datetime.now(timezone.utc), 2).isoformat())
    page.get_by_label("Desks").select_option(["dsk_e2e2"])
    page.get_by_label("A column per desk").check()
    expect(page.locator('table.monitor thead th[data-desk="dsk_e2e2"]')).to_have_text("2 · Colour B")
    expect(page.locator("table.monitor tbody .booking")).to_have_count(1)
    expect(page.locator("table.monitor tbody .booking")).to_contain_text("Valeria Soto")
    no_serious_violations(page, "monitor per desk")

    # the agenda of that day, a column per desk: Valeria's colour under station 2, which its dialog names
    page.goto(page.url.split("#")[0] + "#/agenda")
    calendar = page.locator("section.calendar")
    for _ in range(2):
        expect(calendar).to_have_attribute("aria-busy", "false")
        page.get_by_role("button", name="Next ›").click()
    expect(calendar).to_have_attribute("aria-busy", "false")
    page.get_by_label("A column per desk").check()
    expect(page.locator(".ec-resource, .ec-header .ec-day").filter(has_text="2 · Colour B").first).to_be_visible()
    event = page.locator('[data-reference][data-desk="dsk_e2e2"]')
    expect(event).to_have_count(1)
    event.click()
    expect(page.get_by_role("dialog").locator('dd[data-desk="dsk_e2e2"]')).to_have_text("2 · Colour B")
    no_serious_violations(page, "agenda per desk")


def test_the_booking_page_names_the_desk_in_the_confirmation(page, salon):
    # the salon shows the desk (booking_rules.show_desk); colour needs one: station 2 is the one still open
    page.goto(f"{salon.api_url}/b/e2e-desks")
    page.get_by_role("radio", name=re.compile("Colour")).check()
    page.get_by_role("button", name="Next week").click()
    page.locator("#slots button.slot").first.click()
    details(page, **{"First name": "Ola", "Last name": "Berg", "Mobile phone": "+34 622 345 678"})
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()
    expect(page.locator("#done-details dd[data-field=desk]")).to_have_text(re.compile(r"^\d · Colour [AB]$"))
