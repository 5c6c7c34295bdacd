"""The manage page (reschedule, cancel, the phone when online changes are off) and another language."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect


def booked(api, business: str, service: str, staff: str, days_ahead: int = 3) -> dict:
    """A booking made through the API a few days ahead (outside the 24-hour change deadline)."""
    day = (datetime.now(ZoneInfo("Europe/Madrid")) + timedelta(days=days_ahead)).date().isoformat()
    start = api.slots(business, service, staff, day, day)[0]["start"]
    return api.book(business, service, staff, start, f"{business}-{start[:13]}@example.com")


def manage_url(stack, booking: dict, lang: str | None = None) -> str:
    url = f"{stack.api_url}/b/{booking['business']}/manage/{booking['reference']}?token={booking['manage_token']}"
    return url + (f"&lang={lang}" if lang else "")


def current(stack, booking: dict) -> dict:
    return requests.get(f"{stack.api_url}/public/bookings/{booking['reference']}",
                        params={"token": booking["manage_token"]}, timeout=30).json()


def test_a_client_reschedules_then_cancels_from_the_manage_page(page, stack, api, shoot):
    booking = booked(api, "e2e-open", "svc_cut", "stf_ana")
    page.goto(manage_url(stack, booking))
    expect(page.locator("#manage-status")).to_have_text("Confirmed")
    expect(page.locator("#manage-details dd[data-field=reference]")).to_have_text(booking["reference"])
    expect(page.locator("#manage-policy")).to_contain_text("You can change or cancel it online until")
    shoot("booking")

    page.get_by_role("button", name="Change day or time").click()
    page.get_by_role("button", name="Next week").click()
    slot = page.locator("#slots button.slot").nth(2)
    expect(slot).to_be_visible()
    new_start = slot.get_attribute("data-start")
    slot.click()
    expect(page.locator("#move-summary")).to_contain_text("Move your booking from")
    shoot("reschedule")
    page.get_by_role("button", name="Move my booking").click()
    expect(page.locator("#manage-error")).to_contain_text("Done: your booking is now on")
    moved = current(stack, booking)
    assert moved["start"] == new_start and moved["staff"] == "stf_ana" and moved["status"] == "confirmed"

    page.get_by_role("button", name="Cancel booking").click()
    expect(page.locator("#cancel-question")).to_be_visible()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator("#manage-status")).to_have_text("Cancelled")
    expect(page.get_by_role("button", name="Cancel booking")).to_be_hidden()
    expect(page.get_by_role("button", name="Change day or time")).to_be_hidden()
    shoot("cancelled")
    assert current(stack, booking)["status"] == "cancelled"


def test_when_online_changes_are_off_the_page_gives_the_phone(page, stack, api):
    booking = booked(api, "e2e-phone", "svc_cut", "stf_bea")
    page.goto(manage_url(stack, booking))
    expect(page.locator("#manage-policy")).to_have_text(
        "To change or cancel this booking, please call Call Us Salon on +34910000009.")
    expect(page.get_by_role("link", name="+34910000009")).to_have_attribute("href", "tel:+34910000009")
    expect(page.get_by_role("button", name="Cancel booking")).to_be_hidden()


def test_a_czech_salon_books_in_czech_and_a_visitor_may_switch_to_english(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-praha")
    expect(page.locator("html")).to_have_attribute("lang", "cs")
    expect(page.get_by_role("heading", name="Vyberte službu")).to_be_visible()
    expect(page.locator("label.choice", has_text="Střih")).to_contain_text(re.compile(r"650,00\sKč"))
    page.get_by_role("radio", name=re.compile("Střih")).check()
    expect(page.locator("#staff-list label").first).to_have_text("Kdokoli volný")
    page.locator("#slots button.slot").first.click()
    for label, value in {"Jméno": "Jana", "Příjmení": "Nováková", "Mobilní telefon": "+420 601 234 568"}.items():
        page.get_by_label(label, exact=True).fill(value)
    shoot("details-cs")
    page.get_by_role("button", name="Potvrdit rezervaci").click()
    expect(page.get_by_role("heading", name="Máte rezervováno!")).to_be_visible()
    expect(page.locator("#done-details dd[data-field=price]")).to_have_text(re.compile(r"650,00\sKč"))
    shoot("confirmation-cs")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Choose a service")).to_be_visible()
    page.goto(f"{stack.api_url}/b/e2e-praha")  # the choice sticks
    expect(page.locator("html")).to_have_attribute("lang", "en")
