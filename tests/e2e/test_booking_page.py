"""A client books on a phone in a real browser, against the whole local stack."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

FIRST_LOAD_BUDGET = 100 * 1024


def details(page, **values):
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_first_load_is_under_100_kb_and_only_from_the_app(page, stack):
    requests_seen = []
    page.on("requestfinished", lambda r: requests_seen.append(r))
    page.goto(f"{stack.api_url}/b/e2e-open", wait_until="networkidle")
    expect(page.get_by_role("radio", name=re.compile("Haircut"))).to_be_visible()
    sizes = {r.url: r.sizes() for r in requests_seen}
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "first-load-bytes.txt").write_text(
        "".join(f"{s['responseBodySize'] + s['responseHeadersSize']:>8}  {url}\n" for url, s in sizes.items())
        + f"{total:>8}  total (bodies + headers, uncompressed)\n")
    assert len(sizes) == 3, list(sizes)  # the page, its script, its stylesheet
    assert total < FIRST_LOAD_BUDGET


def test_a_client_books_on_a_phone_then_books_again_in_two_taps(page, stack, api, shoot):
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(f"{stack.api_url}/b/e2e-open")
    expect(page.get_by_role("heading", level=1)).to_have_text("Studio Bella")
    expect(page.locator("label.choice", has_text="Haircut")).to_contain_text("€25.00")
    shoot("services")

    page.get_by_role("radio", name=re.compile("Haircut")).check()
    staff = page.locator("#staff-list input[name=staff]")
    expect(staff).to_have_count(3)
    expect(staff.first).to_have_value("any")  # "anyone" first
    expect(staff.first).to_be_checked()
    page.get_by_role("radio", name="Bea").check()
    slot = page.locator("#slots button.slot").first
    expect(slot).to_be_visible()
    expect(page.locator("#days button[aria-pressed=true]")).to_have_count(1)
    shoot("day-and-times")
    start = slot.get_attribute("data-start")
    slot.click()

    expect(page.get_by_role("heading", name="Your details")).to_be_focused()
    expect(page.locator("#summary")).to_contain_text("Haircut with Bea")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator("#first_name-error")).to_have_text("Please fill this in.")  # next to its field
    expect(page.get_by_label("First name")).to_be_focused()
    details(page, **{"First name": "Eva", "Last name": "Ruiz", "Email": "eva@example.com",
                     "Mobile phone": "+34 612 345 678"})
    shoot("details")
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()
    reference = page.locator("#done-details dd[data-field=reference]").inner_text()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", reference)
    expect(page.locator("#done-details dd[data-field=with]")).to_have_text("Bea")
    shoot("confirmation")

    manage = page.locator("#manage-link").get_attribute("href")
    token = re.search(r"token=([0-9a-f]+)", manage).group(1)
    stored = requests.get(f"{stack.api_url}/public/bookings/{reference}", params={"token": token}, timeout=30).json()
    assert (stored["start"], stored["staff_name"], stored["service_name"]) == (start, "Bea", "Haircut")

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    raw = open(download.value.path(), "rb").read()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # RFC 5545 folding, in octets
    ics = raw.decode("utf-8").replace("\r\n ", "")
    assert f"URL:{manage}" in ics
    assert f"UID:{reference}@turno" in ics
    utc = datetime.fromisoformat(start).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{utc}" in ics and "SUMMARY:Haircut · Studio Bella" in ics

    # A returning visitor: same service and professional already chosen, details filled in.
    page.reload()
    expect(page.locator("#welcome-text")).to_have_text("Welcome back, Eva!")
    expect(page.get_by_role("radio", name=re.compile("Haircut"))).to_be_checked()
    expect(page.get_by_role("radio", name="Bea")).to_be_checked()
    page.locator("#slots button.slot").first.click()  # tap 1 (the first booking took the earlier time)
    expect(page.get_by_label("Email", exact=True)).to_have_value("eva@example.com")
    shoot("returning-visitor")
    page.get_by_role("button", name="Confirm booking").click()  # tap 2
    expect(page.get_by_role("heading", name="You're booked!")).to_be_visible()
    assert page.locator("#done-details dd[data-field=reference]").inner_text() != reference

    # The client's details never travel in a URL.
    assert not [u for u in urls if re.search(r"eva(@|%40)|ruiz|612.?345", u, re.I)], urls

    # On a shared phone: "Not you?" forgets them.
    page.get_by_role("button", name="Book something else").click()
    page.get_by_role("button", name="Not you? Forget my details").click()
    expect(page.get_by_label("Email", exact=True)).to_have_value("")
    assert page.evaluate("Object.keys(localStorage).length") == 0
    page.reload()
    expect(page.locator("#welcome")).to_be_hidden()
    expect(page.get_by_role("radio", name=re.compile("Haircut"))).not_to_be_checked()


def test_a_client_books_with_the_keyboard_alone_and_sees_where_the_focus_is(page, stack):
    page.goto(f"{stack.api_url}/b/e2e-open?lang=en")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, textarea, select, button')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
        .map(el => el.id || el.name)""")
    assert unlabelled == []

    colour = page.get_by_role("radio", name=re.compile("Colour"))
    colour.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # a radio group: arrows move the choice, and the focus stays with it
    page.keyboard.press("ArrowDown")
    manicure = page.get_by_role("radio", name=re.compile("Manicure"))
    expect(manicure).to_be_checked()
    expect(manicure).to_be_focused()
    anyone = page.get_by_role("radio", name="Anyone available")
    expect(anyone).to_be_checked()
    anyone.focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Bea")).to_be_checked()
    expect(page.get_by_role("radio", name="Bea")).to_be_focused()
    slot = page.locator("#slots button.slot").first
    expect(slot).to_be_visible()
    slot.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your details")).to_be_focused()
    for value in ("Kai", "Tamm", "kai@example.com"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    expect(page.get_by_label("Email", exact=True)).to_have_value("kai@example.com")
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("heading", name="You're booked!")).to_be_focused()


def test_where_staff_approve_bookings_the_client_is_told_it_is_a_request(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-approval")
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    page.get_by_role("button", name="Next week").click()  # outside the 24 hours' notice: "change or cancel" is offered
    page.locator("#slots button.slot").first.click()
    details(page, **{"First name": "Ola", "Last name": "Berg", "Mobile phone": "+34 622 345 678"})
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    expect(page.locator("#done-text")).to_have_text("Careful Clinic will confirm your booking soon.")
    shoot("request-sent")
    page.locator("#manage-link").click()
    expect(page.locator("#manage-status")).to_have_text("Waiting for confirmation")
