"""Browser tests: Debian's Chromium driven by Playwright against the whole local stack.

One stack (DynamoDB Local in memory, moto, `chalice local`) for the session, seeded by tests/e2e/seed.py;
one browser for the session; a fresh context (empty storage; a phone's viewport, or for the backoffice
app a laptop's or a tablet's: desk_page, tablet_page) per test. Every wait
is a Playwright wait with a timeout; nothing sleeps. Screenshots of the main steps go to test-artifacts/e2e/.
`make test` installs Chromium (Makefile, only when /usr/bin/chromium is missing); never `playwright install`.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def stack():
    from infra.local.devstack import running_stack

    with running_stack() as running:
        run_seed(running, "tests.e2e.seed")
        yield running


@pytest.fixture(scope="session")
def salons(stack):
    """seed_screens.py's salons, which the screens' tests share (the backoffice screens, the waiting list):
    seeded once per session, whichever of them runs first."""
    run_seed(stack, "tests.e2e.seed_screens")
    return stack


def run_seed(stack, module: str) -> str:
    """Run a seed module against the stack, in a process of its own with the stack's environment only
    (none of the tests' own AWS or Turno settings); returns what it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TURNO_"))}
    done = subprocess.run([sys.executable, "-m", module], cwd=ROOT, env={**env, **stack.env},
                          check=True, timeout=120, stdout=subprocess.PIPE, text=True)
    return done.stdout


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def watched_page(browser, stack, **options):
    """A new context and page whose every request must go to the stack, with its console errors collected.
    Returns (page, check): call check() at the end of the test."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    elsewhere: list[str] = []
    console_errors: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((stack.api_url, "blob:", "data:"))
               else elsewhere.append(r.url))
    opened = context.new_page()
    opened.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: console_errors.append(str(e)))

    def check() -> None:
        context.close()
        assert not elsewhere, f"requests outside the app: {elsewhere}"
        csp = [e for e in console_errors if "Content Security Policy" in e]
        assert not csp, csp
        uncaught = [e for e in console_errors if not e.startswith("Failed to load resource")]  # 4xx answers, aborts
        assert not uncaught, uncaught

    return opened, check


@pytest.fixture
def page(browser, stack, request):
    """A phone-sized page whose every request must go to the stack (anything else fails the test)."""
    opened, check = watched_page(browser, stack, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                 has_touch=True, locale="en-GB")
    yield opened
    check()


DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def desk_page(browser, stack):
    """A receptionist's laptop for the backoffice app, set to another time zone than any business's:
    the app must show the business's clock, not the laptop's."""
    opened, check = watched_page(browser, stack, viewport=DESKTOP, locale="en-GB", timezone_id="America/New_York")
    yield opened
    check()


@pytest.fixture
def tablet_page(browser, stack):
    """A tablet, with the page's CSP bypassed so axe-core can be injected (tests/e2e/test_backoffice_app.py
    checks the CSP itself on desk_page)."""
    opened, check = watched_page(browser, stack, viewport=TABLET, locale="en-GB", has_touch=True, bypass_csp=True)
    yield opened
    check()


def screenshots(folder: Path, prefix: str):
    """take(page, "step") saves folder/<prefix>-<n>-<step>.png."""
    folder.mkdir(parents=True, exist_ok=True)
    count = {"n": 0}

    def take(on, step: str) -> None:
        count["n"] += 1
        on.screenshot(path=str(folder / f"{prefix}-{count['n']:02d}-{step}.png"), full_page=True)

    return take


@pytest.fixture
def shoot(page, request):
    """shoot("step") saves a screenshot as test-artifacts/e2e/<test>-<n>-<step>.png."""
    take = screenshots(ARTIFACTS, request.node.name)
    return lambda step: take(page, step)


@pytest.fixture
def api(stack):
    """The stack's public API, for what 'someone else' does during a test."""
    class Api:
        url = stack.api_url

        def book(self, business: str, service: str, staff: str, start: str, email: str) -> dict:
            response = requests.post(f"{stack.api_url}/public/{business}/bookings", timeout=30, json={
                "service": service, "staff": staff, "start": start,
                "client": {"first_name": "Other", "last_name": "Client", "email": email},
            })
            assert response.status_code == 201, response.text
            return response.json()

        def slots(self, business: str, service: str, staff: str, first: str, last: str) -> list[dict]:
            response = requests.get(f"{stack.api_url}/public/{business}/availability", timeout=30, params={
                "service": service, "staff": staff, "from": first, "to": last})
            assert response.status_code == 200, response.text
            return response.json()["slots"]

    return Api()
