"""The booking page's "tell me if something frees up" form in Debian's Chromium against the whole stack:
a client who finds no time that suits them joins the waiting list for the chosen service (and another right
after it) and professional."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect


def test_a_client_joins_the_waiting_list_from_the_booking_page(page, stack, shoot):
    page.goto(f"{stack.api_url}/b/e2e-open")
    page.get_by_role("radio", name=re.compile("Haircut")).check()
    page.get_by_role("radio", name="Bea").check()
    expect(page.locator("#slots button.slot").first).to_be_visible()
    expect(page.get_by_role("heading", name="No time that suits you?")).to_be_visible()
    page.get_by_role("button", name="Tell me if something frees up").click()
    form = page.locator("#waitlist-form")
    expect(form.get_by_label("First name")).to_be_focused()
    expect(form.get_by_label("From day")).not_to_have_value("")  # the day being looked at
    form.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("#wl-first_name-error")).to_be_visible()  # refused next to its field
    expect(form.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("First name").fill("Nadia")
    form.get_by_label("Email").fill(f"nadia.{uuid.uuid4().hex[:6]}@example.com")
    form.get_by_label("From time").fill("17:00")
    form.get_by_label("To time").fill("16:00")
    form.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("#wl-end-error")).to_be_visible()
    form.get_by_label("To time").fill("20:00")
    also = form.get_by_role("group", name="Also, right after it (optional)")
    expect(also.get_by_role("checkbox", name="Haircut")).to_have_count(0)  # the chosen one comes first anyway
    also.get_by_role("checkbox", name="Manicure").check()  # Bea does both, one after the other
    shoot("waitlist-form")
    with page.expect_response(lambda r: r.url.endswith("/waitlist") and r.request.method == "POST") as sent:
        form.get_by_role("button", name="Join the waiting list").click()
    assert sent.value.status == 201
    assert sent.value.request.post_data_json["services"] == ["svc_cut", "svc_manicure"]
    expect(page.locator("#waitlist-done")).to_have_text(
        "You are on the waiting list. We will write to you as soon as a time frees up.")
    expect(form).to_have_count(0)
    shoot("waitlist-joined")
