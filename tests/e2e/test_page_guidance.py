"""What a new user hit (issue 11): change or cancel offered only within the business's policy, the
services a personal code opens, times by part of the day, rescheduling from the booking's own week."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.test_lock_and_races import unlock
from tests.e2e.test_manage_and_locale import manage_url

MADRID = ZoneInfo("Europe/Madrid")


def madrid_day(days_ahead: int) -> str:
    return (datetime.now(MADRID) + timedelta(days=days_ahead)).date().isoformat()


def book_first_time(page, business: str) -> None:
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    page.locator("#slots button.slot").first.click()
    for label, value in {"First name": "Ines", "Last name": "Mora", "Email": f"ines@{business}.example"}.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()


def test_the_confirmation_offers_change_or_cancel_only_where_the_policy_allows_it(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-strict")  # 31 days' notice: too late from the moment of booking
    book_first_time(page, "e2e-strict")
    expect(page.locator("#manage-link")).to_be_hidden()
    expect(page.get_by_text("Keep the “Change or cancel” link")).to_be_hidden()
    expect(page.locator("#done-policy")).to_have_text(
        "It is too late to change this booking online. Please call Firm Salon on +34910000001.")
    expect(page.locator("#done-policy").get_by_role("link", name="+34910000001")).to_have_attribute(
        "href", "tel:+34910000001")
    shoot("too-late")

    page.goto(f"{stack.api_url}/b/e2e-phone")  # online changes off
    book_first_time(page, "e2e-phone")
    expect(page.locator("#manage-link")).to_be_hidden()
    expect(page.locator("#done-policy")).to_have_text(
        "To change or cancel this booking, please call Call Us Salon on +34910000009.")


def test_the_manage_page_follows_the_servers_clock_not_a_wrong_one_on_the_phone(page, stack, api):
    day = madrid_day(3)
    start = api.slots("e2e-strict", "svc_cut", "stf_ana", day, day)[0]["start"]
    booking = api.book("e2e-strict", "svc_cut", "stf_ana", start, f"strict-{start[:13]}@example.com")
    page.clock.set_fixed_time(datetime.now(MADRID) - timedelta(days=60))  # the phone thinks it is two months ago
    page.goto(manage_url(stack, booking))
    expect(page.locator("#manage-policy")).to_contain_text("It is too late to change this booking online.")
    expect(page.get_by_role("button", name="Cancel booking")).to_be_hidden()
    expect(page.get_by_role("button", name="Change day or time")).to_be_hidden()


def test_a_personal_code_lists_only_its_professionals_services(page, stack):
    page.goto(f"{stack.api_url}/b/e2e-locked")
    unlock(page, "7007")  # Ana's: she cuts and colours, Bea does the manicures
    expect(page.get_by_role("radio", name=re.compile("Haircut"))).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Colour"))).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Manicure"))).to_be_hidden()
    expect(page.get_by_role("group", name="Hands")).to_be_hidden()
    page.reload()  # the code kept for the visit still decides
    expect(page.get_by_role("radio", name=re.compile("Colour"))).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Manicure"))).to_be_hidden()
    page.get_by_role("radio", name=re.compile("Colour")).check()
    expect(page.locator("#staff-list label")).to_have_text(["Anyone available", "Ana"])
    expect(page.locator("#slots button.slot").first).to_be_visible()


def test_times_are_grouped_by_part_of_the_day_in_the_business_time(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-open")
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    page.locator(f"#days button[data-day='{madrid_day(1)}']").click()
    groups = page.locator("#slots .period")
    expect(groups.locator("h4")).to_have_text(["Morning", "Afternoon", "Evening"])
    for name, hours in {"Morning": range(0, 12), "Afternoon": range(12, 18), "Evening": range(18, 24)}.items():
        starts = page.get_by_role("group", name=name).locator("button.slot").evaluate_all(
            "buttons => buttons.map(b => b.dataset.start)")
        assert starts and all(int(s[11:13]) in hours for s in starts), (name, starts)
    shoot("grouped")

    page.goto(f"{stack.api_url}/b/e2e-mornings?lang=es")  # open 08:00-12:00: the empty groups are not shown
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    page.locator(f"#days button[data-day='{madrid_day(1)}']").click()
    expect(page.locator("#slots .period h4")).to_have_text(["Mañana"])


def test_rescheduling_opens_on_the_bookings_own_week_and_day(page, stack, api):
    day = madrid_day(17)  # the third week the picker shows
    start = api.slots("e2e-open", "svc_colour", "stf_ana", day, day)[-1]["start"]
    booking = api.book("e2e-open", "svc_colour", "stf_ana", start, f"week-{start[:13]}@example.com")
    page.goto(manage_url(stack, booking))
    page.get_by_role("button", name="Change day or time").click()
    expect(page.locator("#days button[aria-pressed=true]")).to_have_attribute("data-day", day)
    expect(page.get_by_role("button", name="Previous week")).to_be_enabled()
    expect(page.locator("#slots button.slot").first).to_be_visible()
