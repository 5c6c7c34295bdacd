"""The lock screen (business and personal codes, the throttle) and a slot taken by someone else."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def unlock(page, code: str) -> None:
    page.get_by_role("textbox", name="Access code").fill(code)
    page.get_by_role("button", name="Continue").click()


def test_a_wrong_code_says_so_and_the_business_code_opens_everyone(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-locked")
    expect(page.get_by_role("heading", name="Enter your access code")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Haircut"))).to_be_hidden()
    shoot("lock")

    unlock(page, "8585-1")
    expect(page.locator("#code-error")).to_have_text(re.compile("That code is not valid"))
    expect(page.get_by_role("textbox", name="Access code")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("textbox", name="Access code")).to_be_focused()
    shoot("wrong-code")

    unlock(page, "4200")  # the business code
    expect(page.get_by_role("heading", name="Enter your access code")).to_be_hidden()
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    expect(page.locator("#staff-list input")).to_have_count(3)  # anyone, Ana, Bea
    expect(page.locator("#slots button.slot").first).to_be_visible()
    shoot("unlocked")


def test_a_personal_code_opens_only_that_professional(page, stack):
    page.goto(f"{stack.api_url}/b/e2e-locked")
    unlock(page, "7007")
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    staff = page.locator("#staff-list label")
    expect(staff).to_have_count(2)
    expect(staff).to_have_text(["Anyone available", "Ana"])
    expect(page.locator("#slots button.slot").first).to_be_visible()


def test_too_many_wrong_codes_say_when_to_try_again(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-throttle")
    for attempt in range(5):
        unlock(page, f"WRONG-{attempt}")
        expect(page.locator("#code-error")).to_have_text(re.compile("That code is not valid"))
        page.locator("#code-error").evaluate("node => node.hidden = true")  # the next answer must be a new one
    unlock(page, "8585")  # even the right code waits: guessing must not pay
    expect(page.locator("#code-error")).to_have_text(re.compile(r"Too many wrong codes\. Please try again in 1[456] minutes\."))
    shoot("throttled")


def test_a_time_taken_by_someone_else_meanwhile_is_explained_and_others_are_offered(page, stack, api, shoot):
    page.goto(f"{stack.api_url}/b/e2e-open")
    page.get_by_role("radio", name=re.compile("Colour")).check()
    page.get_by_role("radio", name="Ana").check()
    slot = page.locator("#slots button.slot").first
    expect(slot).to_be_visible()
    start = slot.get_attribute("data-start")
    slot.click()
    for label, value in {"First name": "Iris", "Last name": "Vega", "Email": "iris@example.com"}.items():
        page.get_by_label(label, exact=True).fill(value)

    api.book("e2e-open", "svc_colour", "stf_ana", start, "quicker@example.com")  # someone else, faster
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.locator("#slots-message")).to_have_text(re.compile("someone has just booked that time"))
    expect(page.get_by_role("heading", name="Your details")).to_be_hidden()
    expect(page.locator(f'#slots button[data-start="{start}"]')).to_have_count(0)
    other = page.locator("#slots button.slot").first
    expect(other).to_be_visible()
    shoot("slot-taken")
    other.click()
    expect(page.get_by_label("First name")).to_have_value("Iris")  # nothing typed is lost
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()


def test_when_the_answer_is_lost_a_second_tap_gets_the_same_booking(page, stack, api):
    page.goto(f"{stack.api_url}/b/e2e-open")
    page.get_by_role("radio", name=re.compile("Colour")).check()
    page.get_by_role("radio", name="Ana").check()  # the only one who does colour: a second booking would fail
    slot = page.locator("#slots button.slot").first
    expect(slot).to_be_visible()
    start = slot.get_attribute("data-start")
    slot.click()
    for label, value in {"First name": "Noa", "Last name": "Lind", "Email": "noa@example.com"}.items():
        page.get_by_label(label, exact=True).fill(value)

    lost = []

    def lose_the_first_answer(route):
        if lost:
            route.continue_()
            return
        lost.append(route.fetch())  # the server books...
        route.abort()  # ...but the answer never reaches the phone

    page.route("**/public/e2e-open/bookings", lose_the_first_answer)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator("#form-error")).to_have_text(re.compile("could not reach the server"))
    assert lost[0].status == 201
    page.get_by_role("button", name="Confirm booking").click()  # same Idempotency-Key: the same booking comes back
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()
    expect(page.locator("#done-details dd[data-field=reference]")).to_have_text(lost[0].json()["reference"])
    assert start not in [s["start"] for s in api.slots("e2e-open", "svc_colour", "stf_ana", start[:10], start[:10])]
