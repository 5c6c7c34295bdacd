"""The page behind an offer's link (the offer message): what is held, until when, and two buttons, Accept and
Decline, each a POST of a plain form (mail scanners follow GET links: they must never answer an offer). The
answer is the public API's own (services/openings.py accept/decline), so the page adds no rule of its own."""
from __future__ import annotations

from urllib.parse import parse_qs

from chalice import Response

from .. import wiring
from ..config import settings
from ..errors import TurnoError
from ..later import later
from .http import Api
from .pages import SECURITY_HEADERS

openings = later("chalicelib.services.openings")
environment = later("chalicelib.templating")

offer_page = Api(__name__)
FORMS = ["application/x-www-form-urlencoded"]
PATH = "/b/{business}/offers/{offer}"

# title, held (until {until}), accept, decline, accepted, declined, ended, invalid,
# offered to everyone (no hold), taken (someone else accepted first)
WORDS = {
    "en": ("A time for you", "This time is held for you until {until}.", "Accept", "Decline",
           "Booked: see you then. Your confirmation is on its way.", "Declined: we have offered the time to the next client.",
           "This offer has ended.", "This link is not valid.",
           "Everyone waiting for this time was told: the first to accept gets it.",
           "Someone else accepted first: this time is taken. You are still on the waiting list."),
    "es": ("Un hueco para ti", "Te reservamos este hueco hasta las {until}.", "Aceptar", "Rechazar",
           "Reservado: te esperamos. La confirmación va de camino.", "Rechazado: lo ofrecemos al siguiente cliente.",
           "Esta oferta ha terminado.", "Este enlace no es válido.",
           "Se lo hemos ofrecido a todos los que lo esperan: es para quien acepte primero.",
           "Otra persona aceptó antes: este hueco ya está cogido. Sigues en la lista de espera."),
    "it": ("Un orario per te", "Teniamo questo orario per te fino alle {until}.", "Accetta", "Rifiuta",
           "Prenotato: ti aspettiamo. La conferma è in arrivo.", "Rifiutato: lo offriamo al cliente successivo.",
           "Questa offerta è terminata.", "Questo link non è valido.",
           "Lo abbiamo offerto a tutti quelli in attesa: è di chi accetta per primo.",
           "Qualcun altro ha accettato prima: questo orario è preso. Sei ancora in lista d'attesa."),
    "cs": ("Termín pro vás", "Tento termín pro vás držíme do {until}.", "Přijmout", "Odmítnout",
           "Rezervováno: těšíme se na vás. Potvrzení je na cestě.", "Odmítnuto: nabídneme ho dalšímu klientovi.",
           "Tato nabídka skončila.", "Tento odkaz není platný.",
           "Nabídli jsme ho všem čekajícím: získá ho ten, kdo přijme první.",
           "Někdo jiný přijal dřív: termín je obsazený. Na čekací listině zůstáváte."),
    "et": ("Aeg teile", "Hoiame seda aega teile kuni {until}.", "Võta vastu", "Loobu",
           "Broneeritud: ootame teid. Kinnitus on teel.", "Loobutud: pakume aega järgmisele kliendile.",
           "See pakkumine on lõppenud.", "See link ei kehti.",
           "Pakkusime seda kõigile ootajatele: aja saab see, kes esimesena vastu võtab.",
           "Keegi teine võttis enne vastu: see aeg on võetud. Olete endiselt ootejärjekorras."),
}


@offer_page.route(PATH, methods=["GET"])
def show_offer(business: str, offer: str) -> Response:
    params = offer_page.current_request.query_params or {}
    return _answer(business, offer, params, None)


@offer_page.route(PATH, methods=["POST"], content_types=FORMS)
def answer_offer(business: str, offer: str) -> Response:
    raw = offer_page.current_request.raw_body or b""
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items() if v}
    choice = form.get("answer")
    return _answer(business, offer, form, choice if choice in ("accept", "decline") else None)


def _answer(business: str, offer: str, params: dict, choice: str | None) -> Response:
    from .public_waitlist import _who

    key, now = settings().signing_key, wiring.now()
    try:
        request_id, round_ = _who(params)
        token = params.get("token")
        view = openings.offer(wiring.store(), business, offer, request_id, round_, token, key)
    except TurnoError:
        return _page(None, None, "invalid", 404, {})
    state = {"open": "ask", "taken": "taken"}.get(view.state, "ended")
    if choice is not None and state == "ask":
        try:
            if choice == "accept":
                openings.accept(wiring.store(), business, offer, request_id, round_, token, key, now)
                state = "accepted"
            else:
                openings.decline(wiring.store(), business, offer, request_id, round_, token, key, now)
                state = "declined"
        except TurnoError as error:
            state = "taken" if getattr(error, "code", "") == "offer_taken" else "ended"
    hidden = {"request": request_id, "round": str(round_), "token": token}
    refused = state in ("ended", "taken") and choice is not None
    return _page(view, view.catalog.business, state, 409 if refused else 200, hidden)


def _page(view, business, state: str, status: int, hidden: dict) -> Response:
    from ..notifications.render import local_time, message_locale

    locale = message_locale(business.locale) if business else "en"
    title, held, accept, decline, accepted, declined, ended, invalid, everyone, taken = WORDS[locale]
    what = {}
    if view is not None:
        o, catalog = view.opening, view.catalog
        from babel.dates import format_datetime

        from ..domain.service_sequence import service_named  # an offer may be for several services

        service, member = service_named(catalog, o.service_id), catalog.member(o.staff_id)

        what = {"service": service.name if service else "", "staff": member.name if member else "",
                "when": format_datetime(o.start.astimezone(business.tz), "full", locale=locale),
                "held": held.format(until=local_time(o.held_until, business)) if o.held_until else everyone}
    html = environment.environment().get_template("pages/offer.html").render(
        locale=locale, title=title, state=state, what=what, hidden=hidden, accept=accept, decline=decline,
        messages={"accepted": accepted, "declined": declined, "ended": ended, "invalid": invalid, "taken": taken},
        business=business.name if business else "")
    headers = {**SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store, private",
               "Content-Language": locale}
    return Response(body=html, status_code=status, headers=headers)
