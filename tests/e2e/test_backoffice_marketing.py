"""The Marketing screen in Debian's Chromium against the whole local stack: the dormant client comes from the
figures the stack's stream pump keeps; a campaign is composed from the view, previewed (recipients and who is
left out) and sent; the client's consent dialog shows its history. axe-core checks each state."""
from __future__ import annotations


import pytest
from playwright.sync_api import Error as PlaywrightError, expect

from tests.e2e.conftest import ARTIFACTS, run_seed
from tests.e2e.seed_marketing import ADMIN, PASSWORD
from tests.e2e.test_backoffice_screens import no_serious_violations

SHOTS = ARTIFACTS / "app"


@pytest.fixture(scope="session")
def dormant(stack):
    run_seed(stack, "tests.e2e.seed_marketing")
    return stack


def test_an_administrator_wins_back_a_dormant_client(desk_page, dormant):
    page = desk_page
    page.goto(f"{dormant.api_url}/admin-app/")
    page.get_by_label("Email").fill(ADMIN[1])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("header.top").wait_for()
    page.get_by_role("link", name="Marketing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marketing")
    row = page.locator("tr[data-client=cli_dora]")
    for _ in range(10):  # the pump hands the stream's records over every second
        page.get_by_role("button", name="Show").click()
        try:
            expect(row).to_be_visible(timeout=1500)
            break
        except (AssertionError, PlaywrightError):
            continue
    expect(row).to_contain_text("Dora Dormant")
    SHOTS.mkdir(parents=True, exist_ok=True)
    no_serious_violations(page, "marketing")

    page.get_by_label("Name", exact=True).fill("We miss you")
    page.get_by_label("Email subject").fill("Come back, {{ client.first_name }}")
    page.get_by_label("Email text").fill("It has been a while. Book: {{ booking_url }}")
    page.get_by_role("button", name="Preview").click()
    email = page.locator("tr[data-channel=email]")
    expect(email.locator("td[data-col=recipients]")).to_have_text("1")
    expect(email.locator("td[data-col=no_consent]")).to_have_text("0")
    page.screenshot(path=str(SHOTS / "marketing-01-preview.png"), full_page=True)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".marketing-campaigns tr[data-campaign]")).to_have_count(1)

    row.get_by_role("button", name="Consent").click()
    expect(page.get_by_role("dialog")).to_contain_text("News by email? Yes")
    no_serious_violations(page, "marketing: consent")
