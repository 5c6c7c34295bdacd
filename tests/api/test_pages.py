"""The public booking page and the manage page, as the server sends them (the browser tests are in tests/e2e)."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chalicelib.api.pages import LOCALES
from chalicelib.domain.model import AppointmentStatus, ClientChanges, Service
from tests import factories
from tests.api.helpers import booking_body, post

PAGES = Path(__file__).resolve().parents[2] / "templates" / "pages"
FIRST_LOAD_BUDGET = 100 * 1024
TUESDAY_11 = "2026-03-24T11:00:00+01:00"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <script type=application/json> blocks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.data_blocks: list[str] = []
        self._in_data = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_data = tag == "script" and dict(attrs).get("type") == "application/json"

    def handle_endtag(self, tag):
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.data_blocks.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def html(response) -> str:
    return response.body.decode("utf-8")


def page_data(response) -> dict:
    return json.loads(Tags(html(response)).data_blocks[0])


def assets(response) -> list[str]:
    """The URLs the page makes the browser fetch on first load (relative to /b/)."""
    parsed = Tags(html(response))
    return [a["href"] for a in parsed.find("link", rel="stylesheet")] + [a["src"] for a in parsed.find("script")
                                                                         if "src" in a]


def book(client, start=TUESDAY_11, business="salon") -> dict:
    made = post(client, f"/public/{business}/bookings", booking_body(start, staff="stf_ana"))
    assert made.status_code == 201, made.body
    return made.json_body


def manage_path(booking: dict, business: str = "salon", token: str | None = None) -> str:
    return f"/b/{business}/manage/{booking['reference']}?token={token or booking['manage_token']}"


# -- what every page answer carries -------------------------------------------------------------

def test_the_booking_page_is_html_with_a_strict_content_security_policy(client, salon):
    response = client.http.get("/b/salon")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_pages_have_no_inline_script_style_or_handler_and_nothing_from_elsewhere(client, salon):
    made = book(client)
    for response in (client.http.get("/b/salon"), client.http.get(manage_path(made))):
        parsed = Tags(html(response))
        for tag, attrs in parsed.tags:
            assert "style" not in attrs and not any(name.startswith("on") for name in attrs), (tag, attrs)
            for name in ("src", "href", "action"):
                assert not re.match(r"^(https?:)?//", attrs.get(name) or ""), (tag, attrs)
        assert not [t for t, a in parsed.tags if t == "style"]
        scripts = parsed.find("script")
        assert [a for a in scripts if "src" in a] and all("src" in a or a.get("type") == "application/json"
                                                          for a in scripts)


def test_a_business_name_with_markup_is_shown_as_text(client, store):
    name = '<script>alert("x")</script> & <b>Bold</b>'
    factories.seed(store, factories.salon(name=name), offered=[
        Service("svc_cut", "<img src=x onerror=alert(1)>", 30, Decimal("25.00"), category="</script><i>")])
    body = html(client.http.get("/b/salon"))
    assert "<script>alert" not in body and "<b>Bold</b>" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;" in body
    assert body.count("</script>") == 2  # the page's own script tag and its JSON block, nothing more
    assert page_data(client.http.get("/b/salon"))["business"]["name"] == name  # the data block keeps it intact


def test_an_unknown_business_is_a_404_page(client, salon):
    response = client.http.get("/b/nobody-here")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Security-Policy" in response.headers
    assert "Page not found" in html(response)


# -- what the booking page shows ----------------------------------------------------------------

def test_services_are_grouped_by_category_and_only_public_ones_are_listed(client, store):
    offered = factories.services() + [Service("svc_nails", "Manicura", 40, Decimal("20.00"), category="Manos")]
    factories.seed(store, offered=offered)
    parsed = Tags(html(client.http.get("/b/salon")))
    radios = [a["value"] for a in parsed.find("input", name="service")]
    assert radios == ["svc_nails", "svc_color", "svc_cut"]  # by category, then name; internal/disabled never
    body = html(client.http.get("/b/salon"))
    assert re.search(r"<legend>Manos</legend>\s*<label class=\"choice\">\s*<input type=\"radio\" name=\"service\" "
                     r"value=\"svc_nails\">", body)
    color = parsed.find("input", value="svc_color")
    assert color and re.search(r'value="svc_color">\s*<span class="what">Color</span>\s*'
                               r'<span class="meta">90\smin · 60,50\s€</span>', body)  # Spanish, by babel
    english = html(client.http.get("/b/salon?lang=en"))
    assert re.search(r'<span class="meta">90 min · €60.50</span>', english)
    data = page_data(client.http.get("/b/salon"))
    assert data["business"] == {"slug": "salon", "name": "Salón Lucía", "timezone": "Europe/Madrid", "currency": "EUR",
                                "requires_code": False, "horizon_days": 60, "phone": "+34910000000",
                                "plans": False}


def test_a_business_with_a_code_shows_the_lock_screen_and_never_the_codes(client, store):
    from chalicelib.domain.model import Staff

    members = [*factories.staff()[:1], Staff("stf_bea", "Bea", frozenset({"svc_cut"}), factories.staff()[1].hours,
                                           secret_code="5150")]
    factories.seed(store, factories.salon(secret_code="4242"), members=members)
    response = client.http.get("/b/salon")
    parsed = Tags(html(response))
    assert "hidden" not in parsed.find("section", id="lock")[0]
    assert "hidden" in parsed.find("div", id="booking")[0]
    assert page_data(response)["business"]["requires_code"] is True
    assert "4242" not in html(response) and "5150" not in html(response)


# -- language -----------------------------------------------------------------------------------

def test_the_page_speaks_the_business_language_unless_the_visitor_chooses(client, salon):
    spanish = client.http.get("/b/salon")
    assert '<html lang="es">' in html(spanish) and "Elige un servicio" in html(spanish)
    assert spanish.headers["Content-Language"] == "es" and "Set-Cookie" not in spanish.headers

    italian = client.http.get("/b/salon?lang=it")
    assert '<html lang="it">' in html(italian) and "Scegli un servizio" in html(italian)
    assert italian.headers["Set-Cookie"].startswith("turno_lang=it;")
    assert page_data(italian)["locale"] == "it" and page_data(italian)["t"]["anyone"] == "Chiunque sia disponibile"

    remembered = client.http.get("/b/salon", headers={"Cookie": "other=1; turno_lang=cs"})
    assert '<html lang="cs">' in html(remembered) and "Vyberte službu" in html(remembered)
    assert '<html lang="es">' in html(client.http.get("/b/salon?lang=xx"))  # unknown: the business's


@pytest.mark.parametrize("business_locale, shown", [("de", "en"), ("it-IT", "it"), ("cs_CZ", "cs"), ("", "en")])
def test_a_business_locale_is_read_by_its_language_and_unsupported_ones_get_english(client, store, business_locale,
                                                                                   shown):
    factories.seed(store, factories.salon(locale=business_locale))
    assert f'<html lang="{shown}">' in html(client.http.get("/b/salon"))


def test_the_language_links_keep_the_manage_token(client, salon):
    made = book(client)
    parsed = Tags(html(client.http.get(manage_path(made))))
    links = {a["hreflang"]: a["href"] for a in parsed.find("a") if "hreflang" in a}
    assert set(links) == set(LOCALES)
    assert links["et"] == f"?token={made['manage_token']}&lang=et"


def test_every_language_has_every_text_the_pages_and_script_use():
    english = json.loads((PAGES / "i18n" / "en.json").read_text(encoding="utf-8"))
    script = (PAGES / "assets" / "page.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bt\('([a-z_]+)'", script)) | set(re.findall(r"'((?:error|status)_[a-z_]+)'", script))
    used |= {m for m in re.findall(r"'([a-z_]+)'", script) if m in english}  # keys picked by a condition
    templates = "".join(p.read_text(encoding="utf-8") for p in PAGES.glob("*.html"))
    used |= set(re.findall(r"\bt\.([a-z_]+)", templates))
    used = {key for key in used if not key.endswith("_")}  # prefixes such as 'status_' + status
    used |= {f"status_{status.value}" for status in AppointmentStatus}
    assert used - set(english) == set()
    for locale in LOCALES:
        texts = json.loads((PAGES / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))
        assert set(texts) == set(english), locale
        for key, text in texts.items():
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", english[key])), (locale, key)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_renders_both_pages(client, salon, locale):
    made = book(client)
    for path in ("/b/salon", manage_path(made), "/b/nobody"):
        response = client.http.get(f"{path}{'&' if '?' in path else '?'}lang={locale}")
        assert f'<html lang="{locale}">' in html(response), path


# -- weight and assets --------------------------------------------------------------------------

def test_the_first_load_is_under_100_kb(client, salon):
    page = client.http.get("/b/salon")
    total = len(page.body)
    for url in assets(page):
        asset = client.http.get(f"/b/{url}")
        assert asset.status_code == 200, url
        total += len(asset.body)
    assert total < FIRST_LOAD_BUDGET, total


def test_assets_have_their_content_type_and_are_cached_for_a_year(client, salon):
    urls = assets(client.http.get("/b/salon"))
    assert [u.rsplit(".", 1)[1] for u in urls] == ["css", "js"]
    css, js = (client.http.get(f"/b/{u}") for u in urls)
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    assert js.headers["Content-Type"] == "text/javascript; charset=utf-8"
    for response in (css, js):
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert js.body == (PAGES / "assets" / "page.js").read_bytes()


def test_an_outdated_asset_name_gets_the_current_file_briefly_and_others_are_404(client):
    stale = client.http.get("/b/assets/page.0000000000.js")
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "public, max-age=60"
    for name in ("app.0000000000.js", "page.js", "..%2F..%2Fapp.py", "page.0000000000.py", "i18n.0000000000.css"):
        response = client.http.get(f"/b/assets/{name}")
        assert response.status_code == 404, name


# -- the manage page ----------------------------------------------------------------------------

def test_the_manage_page_shows_the_booking_to_the_token_holder_and_is_never_cached(client, salon):
    made = book(client)
    response = client.http.get(manage_path(made))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, private"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    data = page_data(response)
    assert data["booking"]["reference"] == made["reference"]
    assert data["booking"]["change_until"] == "2026-03-23T11:00:00+01:00"
    assert data["booking"]["business_phone"] == "+34910000000"
    assert "manage_token" not in data["booking"]
    assert Tags(html(response)).find("link", rel="stylesheet")[0]["href"].startswith("../../assets/page.")


def test_the_manage_page_is_404_without_the_right_token_or_under_another_business(client, store, salon):
    factories.seed(store, factories.salon(id="biz_other", slug="other", name="Other"), members=[], offered=[])
    made = book(client)
    wrong = [manage_path(made, token="0" * 32), f"/b/salon/manage/{made['reference']}",
             manage_path(made, business="other"), manage_path({**made, "reference": "0" * 12})]
    for path in wrong:
        response = client.http.get(path)
        assert response.status_code == 404, path
        assert made["reference"] not in html(response)


def test_a_booking_says_whether_the_client_may_still_change_it_by_the_servers_clock(client, store):
    """Booked at 08:00 for 12:00 the same day, inside the 24-hour notice: no "change or cancel" anywhere."""
    factories.seed(store)
    soon = book(client, "2026-03-23T12:00:00+01:00")
    later = book(client, TUESDAY_11)
    assert (soon["can_change"], later["can_change"]) == (False, True)
    assert page_data(client.http.get(manage_path(soon)))["booking"]["can_change"] is False
    assert page_data(client.http.get(manage_path(later)))["booking"]["can_change"] is True
    cancelled = post(client, f"/public/bookings/{later['reference']}/cancel", {"token": later["manage_token"]})
    assert cancelled.json_body["can_change"] is False

    factories.seed(store, factories.salon(rules=replace(factories.salon().rules, client_changes=ClientChanges.OFF)))
    assert book(client, "2026-03-25T11:00:00+01:00")["can_change"] is False


@pytest.mark.parametrize("phone, shown", [("+34612345678", "612 34 56 78"), ("+447911123456", "+44 7911 123456")])
def test_the_manage_page_shows_the_clients_phone_as_read_in_the_business_country(client, salon, phone, shown):
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", phone=phone)).json_body
    body = html(client.http.get(manage_path(made)))
    assert re.search(r'<dd data-field="client">Eva Ruiz</dd>', body)
    assert re.search(rf'<dd data-field="phone" dir="ltr">{re.escape(shown)}</dd>', body)


@pytest.mark.parametrize("path, headers, language, title", [
    ("/b/salon/manage/0000000000AA?token=bad", {}, "es", "Página no encontrada"),  # the business's language
    ("/b/salon/manage/0000000000AA?token=bad&lang=it", {}, "it", "Pagina non trovata"),
    ("/b/nobody", {"Accept-Language": "xx, cs-CZ;q=0.8, en;q=0.5"}, "cs", "Stránka nenalezena"),  # the browser's
    ("/b/nobody", {"Accept-Language": "en;q=0.2, et"}, "et", "Lehte ei leitud"),
    ("/b/nobody", {"Cookie": "turno_lang=it", "Accept-Language": "cs"}, "it", "Pagina non trovata"),
    ("/b/nobody", {}, "en", "Page not found"),
])
def test_the_missing_page_speaks_the_language_the_other_pages_would(client, salon, path, headers, language, title):
    response = client.http.get(path, headers=headers)
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html(response) and f"<h1>{title}</h1>" in html(response)
    assert response.headers["Content-Language"] == language


def test_every_element_the_script_looks_up_is_in_a_page():
    script = (PAGES / "assets" / "page.js").read_text(encoding="utf-8")
    wanted = set(re.findall(r"\$\('([a-z0-9_-]+)'\)", script))
    ids = set(re.findall(r'\bid="([a-z0-9_-]+)"', "".join(p.read_text(encoding="utf-8") for p in PAGES.glob("*.html"))))
    assert wanted and wanted - ids == set()


def test_a_warm_booking_page_is_one_read_and_the_manage_page_three(client, salon):
    """The manage page reads the booking, the catalog and the client (whose name and phone it shows)."""
    from bench.counting import counting_dynamodb_calls

    made = book(client)
    for path, budget in (("/b/salon", 1), (manage_path(made), 3)):
        assert client.http.get(path).status_code == 200  # warms the function (the slug is cached)
        with counting_dynamodb_calls() as calls:
            assert client.http.get(path).status_code == 200
        assert 1 <= len(calls) <= budget and calls == calls.reads, (path, calls.detail())


@pytest.mark.parametrize("stage", ["", "/api"])
def test_links_are_relative_so_the_pages_work_at_any_stage_prefix(client, salon, stage):
    from urllib.parse import urljoin

    made = book(client)
    for path in ("/b/salon", manage_path(made)):
        response = client.http.get(path)
        here = f"https://salon.example{stage}{path}"
        for url in assets(response):
            resolved = urljoin(here, url)
            assert resolved.startswith(f"https://salon.example{stage}/b/assets/page."), resolved
            assert client.http.get(resolved.removeprefix(f"https://salon.example{stage}")).status_code == 200
        assert urljoin(here, page_data(response)["root"] + "public/salon") == f"https://salon.example{stage}/public/salon"


def test_every_file_under_templates_pages_compiles_as_a_template():
    """The package probe (tests/infra) compiles everything in templates/: scripts must hold no Jinja syntax."""
    from chalicelib.templating import environment

    names = [n for n in environment().list_templates() if n.startswith("pages/")]
    assert "pages/assets/page.js" in names and "pages/i18n/et.json" in names
    for name in names:
        environment().get_template(name)
