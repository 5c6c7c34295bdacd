"""Unsubscribing from a business's marketing email: no login, the link's HMAC token is the proof.

GET only shows a page with a button (mail scanners and link previews follow GET links: they must not
unsubscribe anyone). POST unsubscribes at once: the page's button, or the mail client's one-click
(RFC 8058: `List-Unsubscribe=One-Click` posted as a form to the List-Unsubscribe https address)."""
from __future__ import annotations

from chalice import Response

from .. import wiring
from ..config import settings
from ..errors import NotFoundError
from ..later import later
from .http import Api
from .pages import SECURITY_HEADERS

consents = later("chalicelib.services.consents")
links = later("chalicelib.notifications.marketing_messages")
environment = later("chalicelib.templating")

unsubscribe = Api(__name__)
FORMS = ["application/x-www-form-urlencoded", "multipart/form-data"]
PATH = "/unsubscribe/{business_id}/{client_id}/{token}"

WORDS = {
    "en": ("Unsubscribe", "Stop receiving news and offers from {business} by email?", "Unsubscribe",
           "Done: you will get no more marketing email from {business}. Messages about your bookings still arrive.",
           "This link is not valid."),
    "es": ("Darse de baja", "¿Dejar de recibir novedades y ofertas de {business} por email?", "Darme de baja",
           "Hecho: no recibirás más emails promocionales de {business}. Los mensajes de tus citas siguen llegando.",
           "Este enlace no es válido."),
    "it": ("Annulla iscrizione", "Non ricevere più novità e offerte da {business} via email?", "Annulla iscrizione",
           "Fatto: non riceverai più email promozionali da {business}. I messaggi sulle prenotazioni continuano.",
           "Questo link non è valido."),
    "cs": ("Odhlásit", "Přestat dostávat novinky a nabídky od {business} e-mailem?", "Odhlásit",
           "Hotovo: od {business} už nedostanete žádné marketingové e-maily. Zprávy o rezervacích chodí dál.",
           "Tento odkaz není platný."),
    "et": ("Loobu", "Kas lõpetada uudiste ja pakkumiste saamine ettevõttelt {business} e-postiga?", "Loobu",
           "Tehtud: {business} ei saada teile enam turunduskirju. Broneeringute teated tulevad edasi.",
           "See link ei kehti."),
}


@unsubscribe.route(PATH, methods=["GET"])
def confirm_page(business_id: str, client_id: str, token: str) -> Response:
    business = _checked(business_id, client_id, token)
    if business is None:
        return _page(None, "invalid", 404)
    return _page(business, "ask", 200)


@unsubscribe.route(PATH, methods=["POST"], content_types=FORMS)
def unsubscribe_now(business_id: str, client_id: str, token: str) -> Response:
    business = _checked(business_id, client_id, token)
    if business is None:
        return _page(None, "invalid", 404)
    consents.withdraw(business_id, client_id, "email", "unsubscribe_link", wiring.now(),
                      "Unsubscribe link in a marketing email")
    return _page(business, "done", 200)


def _checked(business_id: str, client_id: str, token: str):
    if not links.holds_unsubscribe_token(settings().signing_key, business_id, client_id, token):
        return None
    try:
        return wiring.store().catalog(business_id).business
    except NotFoundError:
        return None


def _page(business, state: str, status: int) -> Response:
    from ..notifications.render import message_locale

    locale = message_locale(business.locale) if business else "en"
    title, question, button, done, invalid = WORDS[locale]
    name = business.name if business else ""
    html = environment.environment().get_template("marketing/unsubscribe.html").render(
        locale=locale, title=title, state=state, question=question.format(business=name), button=button,
        done=done.format(business=name), invalid=invalid)
    headers = {**SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
               "Content-Language": locale}
    return Response(body=html, status_code=status, headers=headers)
