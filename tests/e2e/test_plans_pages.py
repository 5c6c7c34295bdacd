"""Plans in the browser: the booking page says what the client's plan covers before they confirm (the three
cases, with the salon's and the online-payment wording), against the whole local stack (tests/e2e/seed_plans.py)."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import run_seed
from tests.e2e.test_backoffice_screens import no_serious_violations, sign_in
from tests.e2e.test_page_guidance import madrid_day
from tests.e2e.seed_plans import ADMIN, PACK, PAULA


@pytest.fixture(scope="session")
def plan_salons(stack):
    run_seed(stack, "tests.e2e.seed_plans")
    return stack


def choose(page, url: str, slug: str, service: str, nth_slot: int = 0) -> None:
    """A time tomorrow (a whole day of free times: late in the day, today may have too few left)."""
    page.goto(f"{url}/b/{slug}")
    page.get_by_role("radio", name=re.compile(service)).check()
    page.locator(f"#days button[data-day='{madrid_day(1)}']").click()
    slot = page.locator("#slots button.slot").nth(nth_slot)
    expect(slot).to_be_visible()
    slot.click()
    expect(page.get_by_role("heading", name="Your details")).to_be_focused()


def fill(page, email: str) -> None:
    page.get_by_label("First name", exact=True).fill(PAULA["first_name"])
    page.get_by_label("Last name", exact=True).fill(PAULA["last_name"])
    page.get_by_label("Email", exact=True).fill(email)


def test_case_1_the_plan_covers_the_haircut_and_the_page_says_so_before_booking(page, plan_salons, shoot):
    choose(page, plan_salons.api_url, "e2e-plans", "Haircut")
    fill(page, PAULA["email"])
    page.get_by_role("button", name="Confirm booking").click()  # the plan's message first, no booking yet
    note = page.locator("#plan-note")
    expect(note).to_have_attribute("data-case", "1")
    expect(note).to_have_text(f"Your plan “{PACK}” covers this appointment: nothing to pay at the salon. "
                              "Sessions left after it: 1.")
    expect(page.get_by_role("heading", name="You're booked!")).to_have_count(0)
    shoot("case-1")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()
    expect(page.locator("#done-plan")).to_have_text("This appointment uses one session of your plan.")


def test_case_3_a_service_the_plan_does_not_cover_with_the_online_payment_wording(page, plan_salons, shoot):
    choose(page, plan_salons.api_url, "e2e-plans-online", "Manicure")
    fill(page, PAULA["email"])
    page.get_by_label("Email", exact=True).press("Tab")  # leaving the field asks at once
    note = page.locator("#plan-note")
    expect(note).to_have_attribute("data-case", "3")
    expect(note).to_have_text(f"Your plan “{PACK}” does not cover Manicure: you pay for it online as usual.")
    shoot("case-3")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()
    expect(page.locator("#done-plan")).to_be_hidden()


def test_case_2_some_services_covered_and_no_message_without_a_plan(page, plan_salons, shoot):
    # A booking here is one service, so the API answers case 1 or 3 for it; case 2 (several services, as
    # POST /plan-coverage takes them) is shown from that call's answer, given here as the API would give it.
    answer = {"case": 2, "date": "2026-12-01", "online_payment": False,
              "covered": [{"service": "svc_cut", "plan": "pln_x", "plan_name": PACK, "item": 0, "left": 1}],
              "uncovered": ["svc_colour"], "duplicate_client": False,
              "plans": [{"id": "pln_x", "name": PACK, "end": "2027-01-01"}]}
    page.route("**/plan-coverage", lambda route: route.fulfill(status=200, content_type="application/json",
                                                              body=json.dumps(answer)))
    choose(page, plan_salons.api_url, "e2e-plans", "Haircut", nth_slot=1)
    fill(page, PAULA["email"])
    page.get_by_label("Email", exact=True).press("Tab")
    expect(page.locator("#plan-note")).to_have_text(
        f"Your plan “{PACK}” covers Haircut but not Colour, which you pay at the salon.")
    shoot("case-2")
    page.unroute("**/plan-coverage")
    # someone without a plan sees nothing and books in one tap
    page.get_by_label("Email", exact=True).fill("nobody@example.com")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()


# -- the backoffice's Plans screen ----------------------------------------------------------------------
def test_staff_create_a_plan_sell_it_adjust_it_and_read_the_periods_figures(page, plan_salons, shoot):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, plan_salons.api_url, ADMIN[1])
    page.get_by_role("link", name="Plans").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans")
    expect(page.locator("table.plan-templates tbody tr")).to_have_count(1)  # the seeded haircut pack

    # a new plan: three colours or any hair service, 90 days; a bad price is shown beside its field
    page.get_by_role("button", name="New plan").click()
    dialog = page.locator("dialog")
    dialog.get_by_label("Name").fill("Colour trio")
    dialog.get_by_label("Price (EUR)").fill("12.345")
    dialog.get_by_label("Valid for").fill("90")
    dialog.get_by_label("Unit").select_option("days")
    dialog.get_by_label("Service").select_option(label="Colour")
    dialog.get_by_label("Sessions").fill("3")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator(".field-error")).to_be_visible()
    dialog.get_by_label("Price (EUR)").fill("150.00")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("table.plan-templates tbody tr")).to_have_count(2)
    expect(page.locator("table.plan-templates")).to_contain_text("3 × Colour")
    shoot("templates")
    no_serious_violations(page, "plans")

    # sell it to Paula, found as staff type her number
    page.get_by_label("Find a client by name or phone").fill("611000222")  # her phone: one Paula among the bookers
    page.get_by_role("button", name="Paula Plan").click()
    expect(page.get_by_role("heading", name="Plans of Paula Plan")).to_be_visible()
    page.get_by_label("Plan", exact=True).select_option(label="Colour trio · €150.00")
    page.get_by_role("button", name="Sell").click()
    sold = page.locator("section.sold-plan", has_text="Colour trio")
    expect(sold.locator("td[data-col=available]")).to_have_text("3")

    # an adjustment with its reason, in the ledger
    sold.get_by_role("button", name="Adjust").click()
    page.locator("dialog").get_by_label("Units (+ or −)").fill("-1")
    page.locator("dialog").get_by_label("Reason").fill("Session given at the launch party")
    page.locator("dialog").get_by_role("button", name="Adjust").click()
    sold = page.locator("section.sold-plan", has_text="Colour trio")
    expect(sold.locator("td[data-col=available]")).to_have_text("2")
    sold.locator("summary").click()
    expect(sold.locator("table.plan-ledger")).to_contain_text("Session given at the launch party")
    shoot("client-plans")
    no_serious_violations(page, "client plans")

    # the period: two plans sold today (the seeded pack and this one); deferred revenue is price x sessions
    # left / sessions sold: 45 x 2/2 (a session booked is still to be given) + 150 x 2/3
    page.get_by_role("button", name="Show").click()
    expect(page.locator("dd[data-field=plans_sold]")).to_have_text("2")
    expect(page.locator("dd[data-field=sold_value]")).to_have_text("€195.00")
    expect(page.locator("dd[data-field=deferred_revenue]")).to_have_text("€145.00")
    shoot("figures")
