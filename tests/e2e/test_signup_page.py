"""A salon's owner signs up in a real browser, against the whole local stack, then signs in with the
temporary password from the email the stack kept in .local/outbox/."""
from __future__ import annotations

import re
import uuid
from email import message_from_bytes, policy

import requests
from playwright.sync_api import expect

from infra.local.ses import OUTBOX_DIR


def welcome_password(email: str) -> str:
    [path] = OUTBOX_DIR.glob(f"*-staff-email-{email}-*.eml")
    text = message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    return re.search(r"temporary password: (\S+)", text).group(1)


def test_an_owner_signs_up_with_the_keyboard_and_signs_in_with_the_emailed_password(page, stack, shoot):
    suffix = uuid.uuid4().hex[:8]
    email = f"owner-{suffix}@example.com"
    page.goto(f"{stack.api_url}/signup?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Put your business on Turno")

    page.get_by_label("Booking page address").fill("admin")
    expect(page.locator("#slug-error")).to_have_text("This address is reserved. Try another one.")
    expect(page.get_by_label("Booking page address")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Booking page address").fill("e2e-open")  # the seeded salon's
    expect(page.locator("#slug-error")).to_have_text("Another business has this address. Try another one.")

    page.get_by_label("Booking page address").fill("")
    page.get_by_label("Business name").fill(f"Salón Ñandú {suffix}")  # the address follows the name
    expect(page.get_by_label("Booking page address")).to_have_value(f"salon-nandu-{suffix}")
    expect(page.locator("#slug-status")).to_contain_text(f"/b/salon-nandu-{suffix}")
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    expect(page.get_by_label("Time zone")).to_have_value(zone)  # the browser's own, not the server's guess
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Your name", exact=True).fill("Nadia Ñandú")
    page.get_by_label("Your email", exact=True).fill(email)
    shoot("form")
    page.get_by_label("Your email", exact=True).press("Enter")

    expect(page.get_by_role("heading", name="Check your email")).to_be_focused()
    expect(page.locator("#done-text")).to_contain_text(email)
    expect(page.get_by_role("link", name=f"{stack.api_url}/b/salon-nandu-{suffix}")).to_be_visible()
    shoot("done")
    first = requests.post(f"{stack.api_url}/auth/login", timeout=30,
                          json={"email": email, "password": welcome_password(email)})
    assert first.json()["challenge"] == "new_password_required", first.text
    profile = requests.get(f"{stack.api_url}/public/salon-nandu-{suffix}", timeout=30).json()
    assert (profile["name"], profile["timezone"], profile["currency"]) == \
        (f"Salón Ñandú {suffix}", zone, "EUR")


def test_a_refused_sign_up_says_why_next_to_the_field(page, stack):
    page.goto(f"{stack.api_url}/signup?lang=es")
    page.get_by_role("button", name="Crear mi negocio").click()
    expect(page.locator("#business_name-error")).to_have_text("Este campo es obligatorio.")
    expect(page.get_by_label("Nombre del negocio")).to_be_focused()
    page.get_by_label("Nombre del negocio").fill("Otro salón")
    page.get_by_label("Dirección de la página de reservas").fill("otro-salon-" + uuid.uuid4().hex[:6])
    page.get_by_label("Tu nombre").fill("Ana")
    page.get_by_label("Tu correo electrónico").fill("ana@")
    page.get_by_role("button", name="Crear mi negocio").click()
    expect(page.locator("#email-error")).to_have_text("No es una dirección de correo válida.")
    expect(page.get_by_label("Tu correo electrónico")).to_be_focused()
