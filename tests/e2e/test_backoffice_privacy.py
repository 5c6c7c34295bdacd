"""The client profile's "Data and privacy" card in Debian's Chromium against the whole local stack: the owner
downloads a client's data as JSON and erases them after a confirmation; a receptionist is offered neither.
The salon is tests/e2e/seed_privacy.py's; screenshots go to test-artifacts/e2e/app/."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, run_seed
from tests.e2e.seed_privacy import CLIENT, DESK, OWNER
from tests.e2e.test_backoffice_screens import DESKTOP, no_serious_violations, open_screen, sign_in, toast

SHOTS = ARTIFACTS / "app"
NAME = f"{CLIENT['first_name']} {CLIENT['last_name']}"


@pytest.fixture(scope="session")
def privacy_salon(stack):
    done = run_seed(stack, "tests.e2e.seed_privacy")
    return {"url": stack.api_url, "client": done.strip().splitlines()[-1]}


@pytest.fixture
def desk(desk_page, privacy_salon):
    desk_page.set_viewport_size(DESKTOP)
    return desk_page


def shot(page, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"privacy-{step}.png"), full_page=True)


def test_a_receptionist_is_offered_neither_export_nor_erasure(desk, privacy_salon):
    sign_in(desk, privacy_salon["url"], DESK[1])
    open_screen(desk, f"/clients/{privacy_salon['client']}", NAME)
    expect(desk.locator("table.history tbody tr")).to_have_count(1)
    expect(desk.get_by_role("button", name="Export data")).to_have_count(0)
    expect(desk.get_by_role("button", name="Erase client")).to_have_count(0)


def test_the_owner_downloads_a_clients_data_then_erases_her_after_confirming(desk, privacy_salon):
    page, cid = desk, privacy_salon["client"]
    sign_in(page, privacy_salon["url"], OWNER[1])
    open_screen(page, f"/clients/{cid}", NAME)
    expect(page.get_by_role("heading", name="Data and privacy")).to_be_visible()
    no_serious_violations(page, "client profile with privacy")

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Export data").click()
    download = downloading.value
    assert download.suggested_filename.startswith(f"client-{cid}-") and download.suggested_filename.endswith(".json")
    exported = json.loads(open(download.path(), encoding="utf-8").read())
    assert exported["client"]["email"] == CLIENT["email"] and exported["client"]["notes"] == CLIENT["notes"]
    assert [a["status"] for a in exported["appointments"]] == ["confirmed"]
    toast(page, "Export downloaded.")

    page.get_by_role("button", name="Erase client").click()  # changing her mind first: nothing happens
    dialog = page.get_by_role("dialog", name=f"Erase {NAME}?")
    expect(dialog).to_contain_text("cannot be undone")
    shot(page, "erase-dialog")
    no_serious_violations(page, "erase dialog")
    dialog.get_by_role("button", name="Keep the client").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)

    page.get_by_role("button", name="Erase client").click()
    page.get_by_role("dialog").get_by_role("button", name="Erase for good").click()

    toast(page, "Client erased.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erased client")
    expect(page.locator('p[data-fact="erased"]')).to_contain_text("Erased on")
    expect(page.locator("table.history tbody")).to_contain_text("Cancelled")
    expect(page.locator("body")).not_to_contain_text(CLIENT["email"])
    expect(page.get_by_role("button", name="Erase client")).to_have_count(0)
    expect(page.get_by_role("button", name="Edit client")).to_have_count(0)
    shot(page, "erased")

    open_screen(page, "/clients", "Clients")
    page.get_by_label("Find a client").fill(CLIENT["last_name"])
    expect(page.locator("p.muted[role=status]")).to_have_text("No client found.")


def test_the_owner_turns_retention_on_past_a_refused_number_and_off_again(desk, privacy_salon):
    page = desk
    sign_in(page, privacy_salon["url"], OWNER[1])
    open_screen(page, "/privacy", "Privacy")
    state = page.locator("p[data-retention]")
    expect(state).to_have_attribute("data-retention", "off")
    no_serious_violations(page, "privacy settings")

    page.get_by_label("Erase clients who have not come for a long time").check()
    months = page.get_by_label("Months without an appointment")
    months.fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error")).to_contain_text("between 6 and 240")  # the API's error, beside its field
    expect(months).to_have_attribute("aria-invalid", "true")

    months.fill("18")
    page.get_by_role("button", name="Save").click()
    toast(page, "Saved.")
    expect(state).to_have_attribute("data-retention", "on")
    expect(state).to_contain_text("more than 18 months")
    shot(page, "retention-on")

    page.reload()
    expect(page.get_by_label("Months without an appointment")).to_have_value("18")
    page.get_by_label("Erase clients who have not come for a long time").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("p[data-retention]")).to_have_attribute("data-retention", "off")
