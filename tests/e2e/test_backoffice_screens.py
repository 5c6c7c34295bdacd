"""The backoffice app's clients, settings, audit and guided-start screens in Debian's Chromium, against the
whole local stack. The salons are tests/e2e/seed_screens.py's (seeded once per session: the `salons` fixture in conftest.py). Each test
makes its own names, so the tests run in any order on one stack. Screenshots go to test-artifacts/e2e/app/;
axe-core checks every screen for serious or critical violations.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, ROOT
from tests.e2e.seed_screens import ADMIN, CLIENT, FAILED_SMS, FOUNDER, NO_CONTACTS, PASSWORD

SHOTS = ARTIFACTS / "app"
AXE = ROOT / "templates" / "app" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desk(page, salons):
    """The conftest's watched page (only the stack's requests, no CSP or script errors) on a laptop's screen."""
    page.set_viewport_size(DESKTOP)
    return page


@pytest.fixture
def shot(desk, request):
    """shot("step") saves test-artifacts/e2e/app/<test>-<n>-<step>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    count = {"n": 0}

    def take(step: str) -> None:
        count["n"] += 1
        name = request.node.name.removeprefix("test_")[:60]
        desk.screenshot(path=str(SHOTS / f"screens-{name}-{count['n']:02d}-{step}.png"), full_page=True)

    return take


def sign_in(page, url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/admin-app/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("header.top").wait_for()


def open_screen(page, path: str, heading: str):
    page.goto(re.sub(r"#.*$", "", page.url) + f"#{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def no_serious_violations(page, where: str) -> None:
    """axe-core, evaluated in the page (the DevTools protocol is not bound by the page's CSP)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')})`)""")
    assert not found, f"{where}: {found}"


def toast(page, text: str) -> None:
    page.locator(".toast", has_text=text).first.wait_for()


def test_a_receptionist_finds_a_client_as_she_types_and_opens_her_history_and_messages(desk, shot, salons):
    page = desk
    sign_in(page, salons.api_url, ADMIN[1])
    open_screen(page, "/clients", "Clients")
    page.get_by_label("Find a client").fill(CLIENT["last_name"])  # no Enter: the search runs as she types
    found = page.get_by_role("link", name=f"{CLIENT['first_name']} {CLIENT['last_name']}")
    found.wait_for()
    expect(page.locator("#client-results tr")).to_have_count(1)
    expect(page.locator("#client-results")).to_contain_text(CLIENT["email"])
    shot("clients-search")
    no_serious_violations(page, "clients")

    found.focus()
    page.keyboard.press("Enter")  # the keyboard reaches the profile
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CLIENT['first_name']} {CLIENT['last_name']}")
    expect(page.locator('dd[data-fact="email"]')).to_have_text(CLIENT["email"])
    history = page.locator("table.history tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Haircut")
    expect(history).to_contain_text("Marco")
    expect(history).to_contain_text("€25.00")  # the salon's currency, through Intl
    expect(history).to_contain_text("Confirmed")
    messages = page.locator("table.messages tbody")
    expect(messages).to_contain_text(FAILED_SMS)
    expect(messages.locator("tr", has_text="Failed")).to_contain_text(CLIENT["phone"])
    shot("client-profile")
    no_serious_violations(page, "client profile")


def test_a_new_client_is_added_then_edited_past_an_error_shown_beside_its_field_and_the_audit_log_lists_it(
        desk, shot, salons):
    page = desk
    surname = f"Audit{uuid.uuid4().hex[:6]}"
    sign_in(page, salons.api_url, ADMIN[1])
    open_screen(page, "/clients", "Clients")
    page.get_by_role("button", name="New client").click()
    dialog = page.get_by_role("dialog", name="New client")
    dialog.get_by_label("First name").fill("Rosa")
    dialog.get_by_label("Last name").fill(surname)
    dialog.get_by_label("Email").fill(f"{surname.lower()}@example.com")
    shot("new-client")
    no_serious_violations(page, "new client dialog")
    page.keyboard.press("Enter")  # submits the form from the email field
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rosa {surname}")
    client_id = page.url.rsplit("/", 1)[1]

    page.get_by_role("button", name="Edit client").click()
    dialog = page.get_by_role("dialog", name="Edit client")
    phone = dialog.get_by_label("Phone", exact=True)
    phone.fill("12")
    dialog.get_by_role("button", name="Save").click()
    expect(phone).to_have_attribute("aria-invalid", "true")  # the API's 400 names the field: shown beside it
    expect(dialog.locator('.field:has([name="phone"]) .field-error')).to_contain_text("phone number")
    shot("edit-client-error")
    phone.fill("+34 622 000 111")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.locator('dd[data-fact="phone"]')).to_have_text("+34622000111")

    open_screen(page, "/audit", "Audit log")
    change = page.locator('tr[data-action="client.update"]', has=page.locator(f'a[href="#/clients/{client_id}"]'))
    expect(change).to_contain_text("Client: changed")
    expect(change).to_contain_text("+34622000111")
    expect(change).to_contain_text(ADMIN[1])
    shot("audit")
    no_serious_violations(page, "audit")


def test_a_professional_without_contact_rights_sees_no_client_email_or_phone(desk, shot, salons):
    page = desk
    sign_in(page, salons.api_url, NO_CONTACTS[1])
    expect(page.get_by_role("link", name="Business")).to_have_count(0)  # settings are not for level 6
    open_screen(page, "/clients", "Clients")
    page.get_by_label("Find a client").fill(CLIENT["last_name"])
    page.get_by_role("link", name=f"{CLIENT['first_name']} {CLIENT['last_name']}").wait_for()
    expect(page.get_by_role("button", name="New client")).to_have_count(0)
    shot("clients-level-6")
    assert_no_contacts(page)
    page.get_by_role("link", name=f"{CLIENT['first_name']} {CLIENT['last_name']}").click()
    expect(page.locator("table.messages tbody")).to_contain_text(FAILED_SMS)
    expect(page.locator("table.history tbody")).to_contain_text("Haircut")
    shot("client-profile-level-6")
    assert_no_contacts(page)
    page.get_by_label("Language").select_option("cs")  # the screens speak the five languages
    expect(page.get_by_role("heading", name="Odeslané zprávy")).to_be_visible()
    expect(page.locator("table.history tbody")).to_contain_text("Potvrzeno")
    expect(page.locator("table.history tbody")).to_contain_text("25,00")  # Czech number format, same euros
    shot("client-profile-level-6-cs")
    assert_no_contacts(page)


def assert_no_contacts(page) -> None:
    text = page.locator("body").inner_text()
    html = page.content()
    digits = re.sub(r"\D", "", CLIENT["phone"])[-9:]
    for secret in (CLIENT["email"], "valentina.quintero", digits):
        assert secret not in text and secret not in html, f"{secret!r} shown to a level without contacts"
    assert "@" not in page.locator("main").inner_text()


def test_a_notification_text_is_changed_and_the_preview_follows_it_with_the_sms_segments(desk, shot, salons):
    page = desk
    sign_in(page, salons.api_url, ADMIN[1])
    open_screen(page, "/notifications", "Messages to clients")
    form = page.locator("#msg-texts").locator("..")
    form.get_by_label("Message", exact=True).select_option("reminder")
    form.get_by_label("Channel", exact=True).select_option("sms")
    preview = page.locator("#text-preview")
    expect(preview.locator(".segments")).to_contain_text("SMS segment")
    expect(form.get_by_label("Subject")).to_be_hidden()  # an SMS has no subject
    marker = uuid.uuid4().hex[:6]
    form.get_by_label("Text", exact=True).fill(f"See you soon {{{{ client.first_name }}}} at Salon Screens! {marker}")
    expect(preview).to_contain_text(f"at Salon Screens! {marker}")  # the live preview, on a sample booking
    expect(preview.locator(".segments")).to_have_text("1 SMS segment(s), GSM-7")
    form.get_by_label("Text", exact=True).fill(f"À bientôt {{{{ client.first_name }}}} — {'x' * 70} {marker}")
    expect(preview).to_contain_text(marker)
    expect(preview.locator(".segments")).to_have_text("1 SMS segment(s), GSM-7")  # cheapest: accents dropped
    page.get_by_label("SMS mode").select_option("as_written")
    page.locator("#msg-sending").locator("..").get_by_role("button", name="Save").click()
    expect(preview.locator(".segments")).to_have_text("2 SMS segment(s), UCS-2")  # as written: the dash is not GSM-7
    page.get_by_label("SMS mode").select_option("cheapest")
    page.locator("#msg-sending").locator("..").get_by_role("button", name="Save").click()
    expect(preview.locator(".segments")).to_have_text("1 SMS segment(s), GSM-7")
    shot("notification-preview")
    form.get_by_label("Text", exact=True).fill("{{ nobody.knows }}")
    body = form.get_by_label("Text", exact=True)
    expect(body).to_have_attribute("aria-invalid", "true")  # 422 invalid_template, beside the text
    expect(form.locator(".field-error")).to_contain_text("unknown variable")
    form.get_by_label("Text", exact=True).fill(f"Reminder {{{{ client.first_name }}}} {marker}")
    expect(preview).to_contain_text(f"Reminder ")
    form.get_by_role("button", name="Save text").click()
    toast(page, "Saved.")
    no_serious_violations(page, "notifications")

    page.reload()
    page.locator("header.top").wait_for()
    form = page.locator("#msg-texts").locator("..")
    form.get_by_label("Message", exact=True).select_option("reminder")
    form.get_by_label("Channel", exact=True).select_option("sms")
    expect(form.get_by_label("Text", exact=True)).to_have_value(f"Reminder {{{{ client.first_name }}}} {marker}")
    expect(form).to_contain_text("Your own text is in use.")
    expect(page.locator("#text-preview")).to_contain_text(marker)
    shot("notification-saved")


def test_a_service_is_added_after_a_refused_duration_and_shows_in_the_list_and_the_audit_log(desk, shot, salons):
    page = desk
    name = f"Keratin {uuid.uuid4().hex[:5]}"
    sign_in(page, salons.api_url, ADMIN[1])
    open_screen(page, "/services", "Services")
    page.get_by_role("button", name="New service").click()
    dialog = page.get_by_role("dialog", name="New service")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Category").fill("Hair")
    duration = dialog.get_by_label("Duration (minutes)")
    duration.fill("7")
    dialog.get_by_label("Price (EUR)").fill("48,50")
    dialog.get_by_label("Status").select_option("internal")
    dialog.get_by_label("Ana").check()
    dialog.get_by_role("button", name="Save").click()
    expect(duration).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator('.field:has([name="duration_minutes"]) .field-error')).to_contain_text("multiple of")
    shot("new-service-error")
    duration.fill("75")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    row = page.locator("table.services tbody tr", has_text=name)
    expect(row).to_contain_text("€48.50")
    expect(row).to_contain_text("Internal (backoffice only)")
    expect(row).to_contain_text("Ana")
    expect(row).to_contain_text("75 min")
    shot("services")
    no_serious_violations(page, "services")

    open_screen(page, "/audit", "Audit log")
    expect(page.locator('tr[data-action="service.create"]', has_text=name).first).to_contain_text("Service: added")


def test_settings_screens_show_their_parts_and_an_api_error_beside_its_field(desk, shot, salons):
    page = desk
    sign_in(page, salons.api_url, ADMIN[1])
    open_screen(page, "/business", "Business settings")
    expect(page.locator('a[href$="/b/e2e-screens"]')).to_be_visible()
    horizon = page.get_by_label("Bookable up to (days ahead)")
    horizon.fill("0")
    page.locator("#biz-rules").locator("..").get_by_role("button", name="Save").click()
    expect(horizon).to_have_attribute("aria-invalid", "true")
    shot("business-error")
    horizon.fill("45")
    page.locator("#biz-rules").locator("..").get_by_role("button", name="Save").click()
    toast(page, "Saved.")
    expect(horizon).not_to_have_attribute("aria-invalid", "true")
    shot("business")
    no_serious_violations(page, "business")

    open_screen(page, "/staff", "Team")
    marco = page.locator('tr[data-staff="stf_marco"]')
    expect(marco).to_contain_text(NO_CONTACTS[1])
    expect(marco).to_contain_text("professional (no client contacts)")
    shot("team")
    no_serious_violations(page, "team")
    marco.get_by_role("button").click()
    dialog = page.get_by_role("dialog", name="Marco")
    expect(dialog.get_by_label("Monday: From")).to_have_value("08:00")
    expect(dialog.get_by_label("Access level")).to_have_value("6")
    shot("team-member")
    no_serious_violations(page, "team member dialog")
    dialog.get_by_label("Tuesday: break from").fill("13:00")
    dialog.get_by_label("Tuesday: break until").fill("14:00")
    dialog.get_by_label("Sunday: Open").uncheck()
    dialog.locator("form", has=page.get_by_label("Tuesday: break from")).get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    marco.get_by_role("button").click()
    dialog = page.get_by_role("dialog", name="Marco")
    expect(dialog.get_by_label("Tuesday: break from")).to_have_value("13:00")
    expect(dialog.get_by_label("Tuesday: To")).to_have_value("20:00")
    expect(dialog.get_by_label("Sunday: From")).to_be_disabled()
    dialog.get_by_role("button", name="Add time off").click()
    dialog.get_by_label("Off from").fill("2030-12-24T09:00")
    dialog.get_by_label("Until", exact=True).fill("2030-12-27T20:00")
    dialog.locator("form", has=page.get_by_label("Off from")).get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    marco.get_by_role("button").click()
    dialog = page.get_by_role("dialog", name="Marco")
    expect(dialog.get_by_label("Off from")).to_have_value("2030-12-24T09:00")  # the salon's clock, both ways
    dialog.get_by_role("button", name="Close").or_(dialog.get_by_role("button", name="×")).first.click()

    invitee = f"nadia{uuid.uuid4().hex[:6]}@e2e-screens.example"
    page.get_by_role("button", name="Invite someone").click()
    dialog = page.get_by_role("dialog", name="Invite someone")
    dialog.get_by_label("Name").fill("Nadia")
    dialog.get_by_label("Sign-in email").fill(invitee)
    dialog.get_by_label("Access level").select_option("4")
    dialog.get_by_role("button", name="Send invitation").click()
    toast(page, "Invitation sent.")
    expect(page.locator("table.staff tbody tr", has_text="Nadia")).to_contain_text(
        f"{invitee} · 4 reception (agenda and clients)")
    shot("team-invited")


def test_a_new_business_gets_a_guided_start_that_leaves_once_it_can_take_bookings(desk, shot, salons):
    page = desk
    sign_in(page, salons.api_url, FOUNDER[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Turno")  # the landing screen
    expect(page.locator('a.booking-link[href$="/b/e2e-fresh"]')).to_be_visible()
    shot("start")
    no_serious_violations(page, "start")

    page.get_by_role("link", name="Go to services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Services")
    page.get_by_role("button", name="New service").click()
    dialog = page.get_by_role("dialog", name="New service")
    dialog.get_by_label("Name").fill("Blow-dry")
    dialog.get_by_label("Price (EUR)").fill("18")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("table.services tbody tr", has_text="Blow-dry")).to_be_visible()

    open_screen(page, "/start", "Welcome to Turno")
    expect(page.locator('li[data-step="services"]')).to_have_class("done")
    expect(page.locator('li[data-step="staff"]')).not_to_have_class("done")
    page.get_by_role("link", name="Go to the team").click()
    page.get_by_role("button", name="Add staff member").click()
    dialog = page.get_by_role("dialog", name="Add staff member")
    dialog.get_by_label("Name").fill("Gina")
    dialog.get_by_label("Blow-dry").check()
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("table.staff tbody tr", has_text="Gina")).to_contain_text("Blow-dry")

    page.goto(f"{salons.api_url}/admin-app/")
    page.locator("header.top").wait_for()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Welcome to Turno")
    expect(page.locator('header nav a[data-screen="start"]')).to_have_count(0)
    shot("after-start")
