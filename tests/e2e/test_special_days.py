"""Special days in Chromium against the whole local stack: the booking page shows a closed day as closed,
and the backoffice's Calendar screen adds a closure over a booked day, shows what it covers, and cancels
it when asked. The salon is tests/e2e/seed_days.py's."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import run_seed
from tests.e2e.seed_days import ADMIN, HOLIDAY, PASSWORD, local_day
from tests.e2e import test_backoffice_screens as screens
from tests.e2e.test_backoffice_screens import DESKTOP, no_serious_violations, toast


@pytest.fixture(scope="module")
def salon(stack):
    run_seed(stack, "tests.e2e.seed_days")
    return stack


def sign_in(page, url: str) -> None:
    """The salon's administrator, on a laptop's screen."""
    page.set_viewport_size(DESKTOP)
    screens.sign_in(page, url, ADMIN[1], PASSWORD)


def test_the_booking_page_shows_the_closed_day_as_closed_with_its_name(page, salon, shoot):
    tomorrow = local_day(datetime.now(timezone.utc), 1).isoformat()
    page.goto(f"{salon.api_url}/b/e2e-days")
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    expect(page.locator("#slots button.slot").first).to_be_visible()
    closed = page.locator(f'#days button[data-day="{tomorrow}"]')
    expect(closed).to_be_disabled()
    expect(closed).to_have_class(re.compile(r"\bclosed\b"))
    expect(closed).to_have_attribute("aria-label", re.compile(f"Closed: {HOLIDAY}"))
    expect(closed).to_contain_text("closed")  # in place of the month
    shoot("closed-day")


def test_a_closure_over_a_booked_day_lists_the_appointment_and_cancels_it_when_asked(page, salon):
    sign_in(page, salon.api_url)
    page.goto(re.sub(r"#.*$", "", page.url) + "#/calendar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    expect(page.locator("table.closures tbody tr")).to_have_count(1)
    expect(page.locator("table.closures")).to_contain_text(HOLIDAY)
    no_serious_violations(page, "calendar")

    # a closure on the booked day: refused with the list, then saved with "cancel"
    page.get_by_role("button", name="Add a closure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Staff training")
    dialog.get_by_label("First day").fill(local_day(datetime.now(timezone.utc), 2).isoformat())
    dialog.get_by_role("button", name="Save").click()
    listed = dialog.locator("table.affected-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Valeria Soto")
    expect(listed).to_contain_text("Ana")
    no_serious_violations(page, "calendar conflict")
    dialog.get_by_role("button", name="Cancel these appointments and save").click()
    toast(page, "1 appointment(s) cancelled")
    expect(page.locator("table.closures tbody tr")).to_have_count(2)
    expect(page.locator("table.closures")).to_contain_text("Staff training")

    # special hours for the whole business on a free day
    page.get_by_role("button", name="Set special hours").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Date").fill(local_day(datetime.now(timezone.utc), 5).isoformat())
    dialog.get_by_label("From", exact=True).fill("10:00")
    dialog.get_by_label("To", exact=True).fill("14:00")
    dialog.get_by_role("button", name="Save").click()
    toast(page, "Saved.")
    expect(page.locator("table.special-hours tbody tr")).to_have_count(1)
    expect(page.locator("table.special-hours")).to_contain_text("10:00–14:00")
    expect(page.locator("table.special-hours")).to_contain_text("The whole business")


def test_time_off_over_a_booking_lists_it_and_cancels_it_when_asked(page, salon):
    sign_in(page, salon.api_url)
    page.goto(re.sub(r"#.*$", "", page.url) + "#/staff")
    page.locator("table.staff tbody tr", has_text="Ana").get_by_role("button").click()
    dialog = page.get_by_role("dialog", name="Ana")
    day = local_day(datetime.now(timezone.utc), 3).isoformat()
    dialog.get_by_role("button", name="Add time off").click()
    dialog.get_by_label("Off from").fill(f"{day}T09:00")
    dialog.get_by_label("Until", exact=True).fill(f"{day}T12:00")
    time_off = dialog.locator("form", has=page.get_by_label("Off from"))
    time_off.get_by_role("button", name="Save").click()
    listed = dialog.locator("table.affected-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Iker Mendi")
    no_serious_violations(page, "time off conflict")
    dialog.get_by_role("button", name="Cancel these appointments and save").click()
    expect(dialog).to_be_hidden()
    toast(page, "Saved.")
