"""The Reports screen in Debian's Chromium against the whole local stack: the figures come from the counters
that the stack's stream pump keeps (as under `make dev`), not from the test. Screenshots go to
test-artifacts/e2e/app/; axe-core checks the screen for serious or critical violations."""
from __future__ import annotations


import pytest
from playwright.sync_api import Error as PlaywrightError, expect

from tests.e2e.conftest import ARTIFACTS, run_seed
from tests.e2e.seed_reports import ADMIN, PASSWORD
from tests.e2e.test_backoffice_screens import no_serious_violations

SHOTS = ARTIFACTS / "app"


@pytest.fixture(scope="session")
def figures(stack):
    run_seed(stack, "tests.e2e.seed_reports")
    return stack


def shown_totals(page, tries: int = 10) -> None:
    """Show the report until the stream's counters have arrived (the pump hands records over every second):
    every record, the cancellation included, which may come a batch after the completions."""
    revenue = page.locator("section[data-table=totals] td[data-col=revenue]")
    cancelled = page.locator("section[data-table=totals] td[data-col=cancelled]")
    for _ in range(tries):
        page.get_by_role("button", name="Show").click()
        try:
            expect(revenue).to_have_text("€85.50", timeout=1500)
            expect(cancelled).to_have_text("1", timeout=500)
            return
        except (AssertionError, PlaywrightError):
            continue
    expect(revenue).to_have_text("€85.50")
    expect(cancelled).to_have_text("1")


def test_an_administrator_reads_march_s_sales_and_downloads_them(desk_page, figures):
    page = desk_page
    page.goto(f"{figures.api_url}/admin-app/")
    page.get_by_label("Email").fill(ADMIN[1])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("header.top").wait_for()
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("To").fill("2026-03-31")
    shown_totals(page)
    totals = page.locator("section[data-table=totals]")
    expect(totals.locator("td[data-col=completed]")).to_have_text("2")
    expect(totals.locator("td[data-col=cancelled]")).to_have_text("1")
    services = page.locator("section[data-table=by_service] tbody tr")
    expect(services).to_have_count(2)
    expect(page.get_by_text("appointment date", exact=False)).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reports-01-sales.png"), full_page=True)
    no_serious_violations(page, "reports")

    with page.expect_download() as started:
        page.get_by_role("button", name="Download CSV").click()
    text = open(started.value.path(), encoding="utf-8").read()
    assert "totals" in text and "85.50" in text

    page.get_by_label("Report").select_option("statistics")
    saved = page.locator("section[data-table=time_saved]")
    expect(saved.locator("td[data-col=online_bookings]")).to_have_text("2")
    # the administrator sets the simulation's parameters: 2 online bookings x 6 min = 0.20 h x 18.00 = 3.60
    page.get_by_label("Minutes per phone booking").fill("6")
    page.get_by_label("Hourly staff cost").fill("18.00")
    page.get_by_role("button", name="Save parameters").click()
    expect(saved.locator("td[data-col=money_saved]")).to_have_text("€3.60")
    expect(saved.locator("td[data-col=worked]")).to_have_text("2 x 6 min / 60 = 0.20 h; 0.20 h x 18.00 = 3.60")
    page.screenshot(path=str(SHOTS / "reports-02-statistics.png"), full_page=True)
    no_serious_violations(page, "reports: statistics")

    # the clients report: one client seen twice in March, 85.50 / 2 visits
    page.get_by_label("Report").select_option("clients")
    clients = page.locator("section[data-table=totals]")
    expect(clients.locator("td[data-col=clients_seen]")).to_have_text("1")
    expect(clients.locator("td[data-col=average_ticket]")).to_have_text("€42.75")
    expect(page.locator("section[data-table=top_clients] tbody tr")).to_have_count(1)
    # utilisation per professional, and the commission's tiers worked out band by band
    page.get_by_label("Report").select_option("professionals")
    ana = page.locator("section[data-table=by_professional] tbody tr", has_text="Ana")
    expect(ana.locator("td[data-col=utilisation]")).to_contain_text("%")
    page.get_by_label("Report").select_option("commissions")
    ana = page.locator("section[data-table=by_professional] tbody tr", has_text="Ana")
    expect(ana.locator("td[data-col=commission]")).to_have_text("€12.10")
    expect(ana.locator("td[data-col=tiered]")).to_contain_text("50.00–…: 20 % × €35.50 = €7.10")
    page.screenshot(path=str(SHOTS / "reports-03-commissions.png"), full_page=True)
    no_serious_violations(page, "reports: commissions")
