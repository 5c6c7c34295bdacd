"""The backoffice's waiting-list screen in Debian's Chromium against the whole local stack: add a request,
for two services, edit it, find it with the filters, see a refused field beside its control, book it into a free time (the request
leaves the waiting list), its offer history, and axe-core on the screen. The salon is seed_screens.py's."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.seed_screens import ADMIN
from tests.e2e.test_backoffice_screens import (  # noqa: F401 - fixtures shared with the other screens' tests
    desk, no_serious_violations, open_screen, shot, sign_in, toast)


def test_staff_add_a_request_find_it_and_book_it(desk, salons, shot):
    name = f"Wendy{uuid.uuid4().hex[:6]}"
    day = (datetime.now(ZoneInfo("Europe/Madrid")) + timedelta(days=3)).date().isoformat()
    sign_in(desk, salons.api_url, ADMIN[1])
    open_screen(desk, "/waitlist", "Waiting list")
    no_serious_violations(desk, "waiting list")

    desk.get_by_role("button", name="Add request").click()
    dialog = desk.get_by_role("dialog")
    dialog.get_by_role("button", name="Save").click()  # no name: refused beside the field
    expect(dialog.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("First name").fill(name)
    dialog.get_by_label("Email").fill(f"{name.lower()}@example.com")
    dialog.get_by_label("Service").select_option(label="Haircut")
    dialog.get_by_label("Then").first.select_option(label="Colour")  # two services, one after the other
    dialog.get_by_label("From", exact=True).fill(day)
    dialog.get_by_label("To", exact=True).fill(day)
    dialog.get_by_label("From time").fill("15:00")
    dialog.get_by_label("To time").fill("19:00")
    no_serious_violations(desk, "add request")
    dialog.get_by_role("button", name="Save").click()
    toast(desk, "Added to the waiting list")
    row = desk.locator("tr[data-request]", has_text=name)
    expect(row).to_have_attribute("data-status", "waiting")
    expect(row).to_contain_text("Haircut + Colour")
    shot("added")

    row.get_by_role("button", name="Edit").click()
    dialog = desk.get_by_role("dialog")
    expect(dialog.get_by_label("Then").first).to_have_value("svc_colour")
    dialog.get_by_label("Notes").fill("Colour first, if possible")
    dialog.get_by_role("button", name="Save").click()
    toast(desk, "Saved")
    expect(row).to_contain_text("Colour first, if possible")

    desk.get_by_label("Name, email or phone").fill(name)
    desk.get_by_role("button", name="Filter").click()
    expect(desk.locator("tr[data-request]")).to_have_count(1)

    row.get_by_role("button", name="Offers").click()
    expect(desk.get_by_role("dialog")).to_contain_text("No offers yet.")
    desk.keyboard.press("Escape")

    row.get_by_role("button", name="Book").click()
    dialog = desk.get_by_role("dialog")
    dialog.get_by_label("Professional").select_option(label="Ana")
    dialog.get_by_label("Start").fill("16:" + ("00", "30")[uuid.uuid4().int % 2])
    dialog.get_by_role("button", name="Book").click()
    toast(desk, "Booked:")
    expect(desk.locator("tr[data-request]", has_text=name)).to_have_count(0)  # no longer waiting
    desk.get_by_label("Status").select_option(label="booked")
    desk.get_by_role("button", name="Filter").click()
    expect(desk.locator("tr[data-request]", has_text=name)).to_have_attribute("data-status", "booked")
    expect(desk.get_by_role("region", name="This month")).to_be_visible()
    shot("booked")
