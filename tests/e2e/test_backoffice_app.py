"""The backoffice app (/admin-app/) in Debian's Chromium against the whole local stack.

The salon is tests/e2e/seed.py's "e2e-app": open all day in a fixed-offset zone where it is now about noon,
so the tests book this afternoon, move, and check in on one business day whenever they run. The laptop is
set to New York: every time the app shows must be the salon's. Screenshots go to test-artifacts/e2e/app/.
"""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.e2e.conftest import ARTIFACTS, screenshots
from tests.e2e.seed import APP_LOGINS, APP_PASSWORD, FIRST_SIGN_IN

SHOTS = ARTIFACTS / "app"
AXE = Path(__file__).resolve().parents[2] / "templates" / "app" / "node_modules" / "axe-core" / "axe.min.js"
DESK, BEA = APP_LOGINS["stf_desk"][0], APP_LOGINS["stf_bea"][0]


class StaffApi:
    """The JSON API as one staff login, for what happens around the browser (and to check its effects)."""

    def __init__(self, url: str, email: str) -> None:
        self.url = url
        signed = requests.post(f"{url}/auth/login", json={"email": email, "password": APP_PASSWORD}, timeout=30)
        assert signed.status_code == 200, signed.text
        self.headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}

    def call(self, method: str, path: str, body: dict | None = None, expect: int = 200) -> dict:
        response = requests.request(method, self.url + path, json=body, headers=self.headers, timeout=30)
        assert response.status_code == expect, response.text
        return response.json()

    def client(self, first: str, **contacts) -> dict:
        return self.call("POST", "/admin/clients", {"first_name": first, "last_name": f"T{uuid.uuid4().hex[:6]}",
                                                    **contacts}, expect=201)

    def book(self, client: dict, staff: str, start: datetime, service: str = "svc_cut") -> dict:
        return self.call("POST", "/admin/appointments", {"client": client["id"], "service": service, "staff": staff,
                                                         "start": start.isoformat()}, expect=201)

    def today_at(self, hhmm: str) -> datetime:
        zone = ZoneInfo(self.call("GET", "/admin/business")["timezone"])
        today = datetime.now(zone).date()
        return datetime.combine(today, datetime.strptime(hhmm, "%H:%M").time(), zone)


@pytest.fixture
def desk_api(stack):
    return StaffApi(stack.api_url, DESK)


def sign_in(page, url: str, email: str, password: str = APP_PASSWORD) -> None:
    page.goto(f"{url}/admin-app/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("header.top").wait_for()


def use_english(page) -> None:
    """The salon's locale is English already; the switch is the shell's own (remembered, not a token)."""
    page.get_by_label("Language").select_option("en")
    page.locator("header.top").wait_for()


def slot_box(page, staff: str, hhmm: str, day: date) -> dict:
    """Where hh:mm is in a staff member's column of the day view: x in their column, y on that time's line.
    The time labels' rows sit a fixed offset above their lines: the first label's row against the top of
    the grid (the first slot's line) gives it."""
    column = page.locator(".ec-col-head", has_text=staff).bounding_box()
    label_rows = page.locator(".ec-body .ec-sidebar .ec-slot")
    offset = page.locator(".ec-body").bounding_box()["y"] - label_rows.first.bounding_box()["y"]
    row = page.locator(f'.ec-body .ec-sidebar time[datetime="{day.isoformat()}T{hhmm}:00"]').locator("..").bounding_box()
    return {"x": column["x"] + column["width"] / 2, "y": row["y"] + offset}


def event(page, reference: str):
    return page.locator(f'.ec-event[data-reference="{reference}"]')


def drag(page, reference: str, staff: str, from_hhmm: str, to_hhmm: str, day: date, to_staff: str | None = None) -> None:
    """Grab the appointment a little below its top and drop it as far down as the target time's row, in
    the target professional's column (centred first: near the window's edge the calendar scrolls while
    dragging, as it should for a user)."""
    event(page, reference).evaluate("el => el.scrollIntoView({block: 'center'})")
    box = event(page, reference).bounding_box()
    start, target = slot_box(page, staff, from_hhmm, day), slot_box(page, to_staff or staff, to_hhmm, day)
    x, y = box["x"] + box["width"] / 2, box["y"] + 6
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + 8, steps=2)
    page.mouse.move(x + target["x"] - start["x"], y + (target["y"] - start["y"]), steps=12)
    page.mouse.up()


def show_view(page, name: str) -> None:
    """Switch the agenda's view and wait until the calendar shows that view's answer, not the last one's."""
    page.locator(".segmented").get_by_role("button", name=name).click()
    page.locator(".segmented").get_by_role("button", name=name, pressed=True).wait_for()
    page.locator('section.calendar[aria-busy="false"]').wait_for()


def toast(page, text: str):
    found = page.locator(".toast", has_text=text)
    found.first.wait_for()
    return found.first


def test_a_receptionist_finds_a_client_books_moves_is_refused_a_taken_time_checks_in_and_signs_out(
        desk_page, desk_api, stack):
    page, shot = desk_page, screenshots(SHOTS, "reception")
    lola = desk_api.client("Lola", phone="+34600111222")
    other = desk_api.client("Other")
    taken = desk_api.book(other, "stf_ana", desk_api.today_at("16:00"))
    day = desk_api.today_at("14:00").date()

    sign_in(page, stack.api_url, DESK)
    use_english(page)
    page.locator(".ec-col-head", has_text="Ana").wait_for()
    event(page, taken["reference"]).wait_for()
    shot(page, "agenda-day")

    # click a free time: Ana at 14:00 (the salon's clock, not New York's)
    page.locator('.ec-body .ec-sidebar time[datetime$="T14:00:00"]').evaluate("el => el.scrollIntoView({block: 'center'})")
    free = slot_box(page, "Ana", "14:00", day)
    page.mouse.click(free["x"], free["y"] + 6)  # just below the 14:00 line: inside the slot from 14:00
    dialog = page.get_by_role("dialog", name="New appointment")
    assert dialog.get_by_label("Time", exact=True).input_value() == "14:00"
    assert dialog.get_by_label("Date", exact=True).input_value() == day.isoformat()
    assert dialog.get_by_label("Professional", exact=True).input_value() == "stf_ana"
    dialog.get_by_label("Find a client").press_sequentially(f"lola {lola['last_name']}", delay=20)  # whole words match
    dialog.get_by_role("button", name=re.compile(lola["last_name"])).click()
    dialog.get_by_text(f"Client: Lola {lola['last_name']}").wait_for()
    dialog.get_by_label("Service", exact=True).select_option("svc_cut")
    shot(page, "book-dialog")
    dialog.get_by_role("button", name="Book").click()
    reference = re.search(r"Booked: (\S+)", toast(page, "Booked:").inner_text()).group(1)
    event(page, reference).wait_for()
    assert desk_api.call("GET", f"/admin/appointments/{reference}")["start"].startswith(f"{day}T14:00")

    # drag it to 15:00: moved
    with page.expect_response(lambda r: r.url.endswith(f"/{reference}/reschedule")) as answer:
        drag(page, reference, "Ana", "14:00", "15:00", day)
    assert answer.value.status == 200
    toast(page, f"Moved: {reference}")
    assert desk_api.call("GET", f"/admin/appointments/{reference}")["start"].startswith(f"{day}T15:00")
    event(page, reference).wait_for()
    shot(page, "moved")

    # drag it onto 16:00, where Ana is taken: refused, put back, and the reason is shown
    with page.expect_response(lambda r: r.url.endswith(f"/{reference}/reschedule")) as answer:
        drag(page, reference, "Ana", "15:00", "16:00", day)
    assert answer.value.status == 409
    toast(page, f"Not moved: {answer.value.json()['error']['message']}")  # the server's reason, said
    assert desk_api.call("GET", f"/admin/appointments/{reference}")["start"].startswith(f"{day}T15:00")
    page.wait_for_function("""(ref) => {  // drawn at 15:00 again: its top on the 15:00 row's top
        const el = document.querySelector(`.ec-event[data-reference="${ref}"]`);
        const rows = document.querySelectorAll('.ec-body .ec-sidebar .ec-slot');
        const row = document.querySelector('.ec-body .ec-sidebar time[datetime$="T15:00:00"]').parentElement;
        const offset = document.querySelector('.ec-body').getBoundingClientRect().top - rows[0].getBoundingClientRect().top;
        return el && Math.abs(el.getBoundingClientRect().top - row.getBoundingClientRect().top - offset) < 4;
    }""", arg=reference)
    shot(page, "refused-put-back")

    # hand it over to Bea at the same time
    with page.expect_response(lambda r: r.url.endswith(f"/{reference}/reschedule")) as answer:
        drag(page, reference, "Ana", "15:00", "15:00", day, to_staff="Bea")
    assert answer.value.status == 200
    handed = desk_api.call("GET", f"/admin/appointments/{reference}")
    assert handed["staff"] == "stf_bea" and handed["start"].startswith(f"{day}T15:00")

    # open it and check the client in
    event(page, reference).click()
    opened = page.get_by_role("dialog", name=f"Appointment {reference}")
    opened.get_by_text("+34600111222").wait_for()  # a receptionist sees contacts
    shot(page, "appointment-dialog")
    opened.get_by_role("button", name="Check in").click()
    toast(page, f"{reference}: arrived")
    assert desk_api.call("GET", f"/admin/appointments/{reference}")["status"] == "arrived"
    page.locator(f'.ec-event[data-reference="{reference}"][data-status="arrived"]').wait_for()

    # signing out ends the session: a reload shows the sign-in screen again
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    assert not [c for c in page.context.cookies() if c["name"] == "turno_refresh" and c["value"]]


def test_a_reload_stays_signed_in_through_the_cookie_and_no_token_is_in_storage_or_the_url(desk_page, stack):
    page = desk_page
    sign_in(page, stack.api_url, DESK)
    page.get_by_role("link", name="Monitor").click()
    page.locator("table.monitor tbody tr").first.wait_for()
    page.reload()
    page.locator("table.monitor tbody tr").first.wait_for()  # back on the same screen, no sign-in asked
    cookie = next(c for c in page.context.cookies() if c["name"] == "turno_refresh")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/auth"
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert "eyJ" not in stored and cookie["value"] not in stored  # no JWT, no refresh token
    assert "token" not in page.url and "eyJ" not in page.url
    assert page.evaluate("() => document.cookie") == ""  # the app's script cannot read it

    page.get_by_label("Language").select_option("es")  # switchable; the business's locale is the default
    page.get_by_role("button", name="Cerrar sesión").wait_for()
    page.get_by_role("heading", name="El día por franjas").wait_for()
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Sign out").wait_for()


def test_the_monitor_shows_the_day_by_slot_filters_by_professional_and_refreshes_itself(desk_page, desk_api, stack):
    page, shot = desk_page, screenshots(SHOTS, "monitor")
    page.clock.install()  # the refresh interval is fast-forwarded, never waited for
    first = desk_api.book(desk_api.client("Mona"), "stf_bea", desk_api.today_at("18:00"))
    sign_in(page, stack.api_url, DESK)
    page.get_by_role("link", name="Monitor").click()
    row = page.locator('tr[data-time="18:00"]')
    row.get_by_text(first["reference"]).wait_for()
    shot(page, "day")

    page.get_by_label("Professional").select_option("stf_ana")
    page.wait_for_function("""(ref) => !document.querySelector("table.monitor").textContent.includes(ref)""",
                           arg=first["reference"])
    page.get_by_label("Professional").select_option("")
    row.get_by_text(first["reference"]).wait_for()

    later = desk_api.book(desk_api.client("Nico"), "stf_bea", desk_api.today_at("18:30"))
    page.clock.fast_forward(31_000)
    page.locator('tr[data-time="18:30"]').get_by_text(later["reference"]).wait_for()


def test_a_level_6_professional_sees_no_client_email_or_phone_anywhere(desk_page, desk_api, stack):
    page, shot = desk_page, screenshots(SHOTS, "professional-6")
    contacts = {"email": f"hidden-{uuid.uuid4().hex[:8]}@example.com", "phone": "+34699887766"}
    client = desk_api.client("Pia", **contacts)
    own = desk_api.book(client, "stf_bea", desk_api.today_at("19:00"))
    colleague = desk_api.book(client, "stf_ana", desk_api.today_at("19:00"))
    answers: list[str] = []
    page.on("response", lambda r: answers.append(r.text()) if "/admin/" in r.url and r.ok else None)

    sign_in(page, stack.api_url, BEA)
    event(page, own["reference"]).wait_for()
    event(page, colleague["reference"]).wait_for()
    assert page.get_by_role("link", name="Monitor").count() == 0  # not for level 6
    event(page, own["reference"]).click()
    page.get_by_role("dialog", name=f"Appointment {own['reference']}").get_by_text(client["last_name"]).first.wait_for()
    shot(page, "appointment")
    seen = page.content() + "".join(answers)
    for value in (contacts["email"], contacts["phone"], "699887766", "699 88 77 66"):
        assert value not in seen
    page.keyboard.press("Escape")
    page.goto(f"{stack.api_url}/admin-app/#/monitor")
    page.get_by_text("your access level does not allow this", exact=False).wait_for()


def test_a_first_sign_in_sets_an_own_password(desk_page, stack):
    page = desk_page
    _, email, _ = FIRST_SIGN_IN
    page.goto(f"{stack.api_url}/admin-app/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(APP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Choose your own password").wait_for()
    page.get_by_label("New password").fill("Cleo-Own-Password-1!")
    page.get_by_role("button", name="Save and sign in").click()
    page.locator("header.top").get_by_text(email).wait_for()


def axe_check(page, what: str) -> None:
    """axe-core (npm, templates/app/node_modules) finds no serious or critical violation on this screen."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".filter(v => ['serious', 'critical'].includes(v.impact))"
                           ".map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)")
    assert not result, f"{what}: {result}"


def test_every_screen_has_no_serious_accessibility_violation_and_is_photographed(tablet_page, desk_api, stack):
    page, shot = tablet_page, screenshots(SHOTS, "screens")
    desk_api.book(desk_api.client("Axel", phone="+34600333444"), "stf_ana", desk_api.today_at("13:00"))
    page.goto(f"{stack.api_url}/admin-app/")
    page.get_by_role("button", name="Sign in").wait_for()
    axe_check(page, "sign-in")
    shot(page, "sign-in")
    sign_in(page, stack.api_url, DESK)
    page.locator(".ec-event").first.wait_for()
    for view in ("Day", "Week", "Month"):
        show_view(page, view)
        page.locator(".ec-event").first.wait_for()
        axe_check(page, f"agenda {view}")
        shot(page, f"agenda-{view.lower()}")
    show_view(page, "Day")
    page.locator(".ec-event").first.focus()  # the keyboard opens an appointment too
    page.keyboard.press("Enter")
    page.get_by_role("dialog").wait_for()
    assert page.evaluate("() => document.activeElement.tagName") == "H2"  # focus moved into the dialog
    axe_check(page, "appointment dialog")
    shot(page, "appointment-dialog")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="New appointment").click()
    page.get_by_role("dialog", name="New appointment").wait_for()
    axe_check(page, "booking dialog")
    shot(page, "booking-dialog")
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Monitor").click()
    page.locator("table.monitor tbody tr").first.wait_for()
    axe_check(page, "monitor")
    shot(page, "monitor")


def test_a_forgotten_password_is_reset_with_the_emailed_code_and_the_new_one_signs_in(desk_page, stack):
    page, fay = desk_page, APP_LOGINS["stf_fay"][0]
    page.goto(f"{stack.api_url}/admin-app/")
    page.get_by_label("Email").fill(fay)
    page.get_by_role("button", name="Forgot your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert page.get_by_label("Email").input_value() == fay  # carried over
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_text("If this email has a login, a code is on its way.").wait_for()
    page.get_by_label("Code from the email").fill("123456")  # moto's Cognito takes any code
    page.get_by_label("New password").fill("Fay-New-Password-1!")
    page.get_by_role("button", name="Set the new password").click()
    page.get_by_text("Your password is changed: sign in with it.").wait_for()
    sign_in(page, stack.api_url, fay, password="Fay-New-Password-1!")
    page.locator("header.top").get_by_text(fay).wait_for()


def test_booking_a_new_client_into_an_internal_service_from_the_keyboard_then_cancelling_with_a_reason(
        desk_page, desk_api, stack):
    page = desk_page
    last_name = f"K{uuid.uuid4().hex[:6]}"
    sign_in(page, stack.api_url, DESK)
    page.get_by_role("button", name="New appointment", disabled=False).focus()  # enabled once the agenda loaded
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="New appointment")
    dialog.get_by_role("button", name="New client").click()
    dialog.get_by_label("First name", exact=True).fill("Kim")
    dialog.get_by_label("Last name", exact=True).fill(last_name)
    dialog.get_by_label("Phone", exact=True).fill("+34 600 555 666")
    dialog.get_by_label("Service", exact=True).select_option("svc_treatment")  # internal: backoffice only
    assert dialog.get_by_label("Professional", exact=True).input_value() == "stf_ana"  # the one who does it
    dialog.get_by_label("Date", exact=True).fill(desk_api.today_at("20:00").date().isoformat())
    dialog.get_by_label("Time", exact=True).fill("20:00")
    dialog.get_by_role("button", name="Book").click()
    reference = re.search(r"Booked: (\S+)", toast(page, "Booked:").inner_text()).group(1)
    made = desk_api.call("GET", f"/admin/appointments/{reference}")
    assert made["service"] == "svc_treatment" and made["client"]["last_name"] == last_name
    assert made["client"]["phone"] == "+34600555666"

    event(page, reference).focus()
    page.keyboard.press("Enter")
    opened = page.get_by_role("dialog", name=f"Appointment {reference}")
    opened.get_by_role("button", name="Cancel appointment").click()
    opened.get_by_text("Give a reason first.").wait_for()  # a cancellation says why
    opened.get_by_label("Reason", exact=True).fill("Client called: ill")
    opened.get_by_role("button", name="Cancel appointment").click()
    toast(page, f"{reference}: cancelled")
    assert desk_api.call("GET", f"/admin/appointments/{reference}")["status"] == "cancelled"
    page.wait_for_function("(ref) => !document.querySelector(`.ec-event[data-reference=\"${ref}\"]`)", arg=reference)
