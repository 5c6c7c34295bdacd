"""The backoffice app as the server sends it: /admin-app/ and its built files (templates/app/dist, built by
`make`); the browser tests are in tests/e2e/test_backoffice_app.py."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

DIST = Path(__file__).resolve().parents[2] / "templates" / "app" / "dist"
FIRST_LOAD_BUDGET = 250 * 1024  # bytes, gzip-compressed: the budget for a receptionist's laptop


@pytest.fixture(scope="module")
def built():
    if not (DIST / "index.html").is_file():
        pytest.fail("templates/app/dist is not built: run `make test` (it builds the app first)", pytrace=False)
    return DIST


def first_load(index_html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(assets/[^"]+)"', index_html)


def test_the_index_is_html_under_a_strict_content_security_policy(client, built):
    response = client.http.get("/admin-app/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"  # a deploy's new asset names are seen at once
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    body = response.body.decode()
    assert "<script>" not in body and " style=" not in body  # no inline script or style
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)  # nothing from another origin


def test_without_the_slash_it_redirects_so_relative_urls_resolve(client, built):
    response = client.http.get("/admin-app")
    assert response.status_code == 308 and response.headers["Location"] == "admin-app/"


def test_every_file_the_index_loads_is_served_with_its_type_and_kept_for_a_year(client, built):
    loaded = first_load(client.http.get("/admin-app/").body.decode())
    assert {name.rsplit(".", 1)[1] for name in loaded} == {"js", "css"}
    for name in loaded:
        response = client.http.get(f"/admin-app/{name}")
        assert response.status_code == 200, name
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        assert response.headers["Content-Type"] == f"{kind}; charset=utf-8"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.body == (DIST / name).read_bytes()


@pytest.mark.parametrize("name", ["app-AAAAAAAA.js", "..%2Findex.html", "index.html", "app.js", "x-ABCDEFGH.exe"])
def test_unknown_or_odd_asset_names_are_404(client, built, name):
    response = client.http.get(f"/admin-app/assets/{name}")
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("path", ["/admin-app/", "/admin-app", "/admin-app/assets/app-AAAAAAAA.js",
                                  "/admin-app/assets/..%2F..%2Fapp.py", "first-load"])
def test_every_answer_under_admin_app_carries_the_strict_policy(client, built, path):
    """The policy is on the redirect, the files and the 404s too, not only on the page."""
    paths = first_load(client.http.get("/admin-app/").body.decode()) if path == "first-load" else [path]
    for each in paths:
        response = client.http.get(each if each.startswith("/") else f"/admin-app/{each}")
        assert "default-src 'none'" in response.headers.get("Content-Security-Policy", ""), (each, response.status_code)
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_first_load_fits_the_budget_compressed(client, built):
    index = client.http.get("/admin-app/").body
    sizes = {"index": len(gzip.compress(index, 9))}
    for name in first_load(index.decode()):
        sizes[name] = len(gzip.compress(client.http.get(f"/admin-app/{name}").body, 9))
    total = sum(sizes.values())
    print(f"first load of /admin-app/: {total / 1024:.1f} KB gzip {sizes}")
    assert total <= FIRST_LOAD_BUDGET, sizes


def test_the_script_never_keeps_tokens_in_storage_or_urls(built):
    """Tokens live in memory (templates/app/src/api.js); the only thing stored is the language choice."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (DIST.parent / "src").rglob("*.js"))
    assert "sessionStorage" not in source
    assert re.findall(r"localStorage\.setItem\(([^,]+),", source) == ["CHOICE"]
    assert "access_token=" not in source and "refresh_token" not in source
