"""The waiting-list screen in manual mode, in Debian's Chromium against the whole local stack: the month's
freed time suggested to staff, who is waiting for it (read when opened), and booking one of them from the
suggestion, which takes the suggestion off the screen. The salon is seed_screens.py's; the suggestion
seed_suggestions.py's."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import run_seed
from tests.e2e.seed_screens import ADMIN
from tests.e2e.test_backoffice_screens import (  # noqa: F401 - fixtures shared with the other screens' tests
    desk, no_serious_violations, open_screen, shot, sign_in, toast)


@pytest.fixture(scope="module")
def suggestion(salons) -> str:
    return run_seed(salons, "tests.e2e.seed_suggestions").strip()


def test_staff_see_a_freed_time_s_matches_and_book_one_from_it(desk, salons, suggestion, shot):
    sign_in(desk, salons.api_url, ADMIN[1])
    open_screen(desk, "/waitlist", "Waiting list")
    section = desk.get_by_role("region", name="Freed times to offer")
    row = section.locator(f"tr[data-offer='{suggestion}']")
    expect(row).to_contain_text("Ana")
    expect(row.locator("td").nth(2)).to_have_text("2")
    no_serious_violations(desk, "suggestions")

    row.get_by_role("button", name="Who is waiting").click()
    dialog = desk.get_by_role("dialog")
    expect(dialog.locator("li[data-request]")).to_have_count(2)
    expect(dialog).to_contain_text("Sofia Suggested")
    shot("suggestion")
    dialog.locator("li", has_text="Teo Suggested").get_by_role("button", name="Book").click()
    toast(desk, "Booked:")
    expect(row).to_have_count(0)  # filled: no longer to offer
    expect(desk.locator("tr[data-request]", has_text="Teo Suggested")).to_have_count(0)  # no longer waiting
    expect(desk.locator("tr[data-request]", has_text="Sofia Suggested")).to_have_count(1)
