"""The staff authorizer reads its signing keys only from where a pool's keys can be: https, http on this
machine's loopback (the local stack's moto), a file only in the test stage; never through a redirect."""
from __future__ import annotations

import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from chalicelib.auth import tokens
from chalicelib.auth.tokens import InvalidTokenError, check_keys_url
from chalicelib.config import Settings


@pytest.mark.parametrize("url", [
    "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json",
    "http://127.0.0.1:5000/eu-west-1_abc/.well-known/jwks.json",
    "http://localhost:8001/pool/.well-known/jwks.json",
    "http://[::1]:8001/pool/.well-known/jwks.json",
])
def test_https_and_loopback_http_are_allowed(url):
    assert check_keys_url(url) == url


@pytest.mark.parametrize("url", [
    "http://keys.example.com/jwks.json",           # plain http off this machine
    "http://127.0.0.1.attacker.example/jwks.json",  # looks like loopback, is not
    "http://169.254.169.254/latest/meta-data/",     # the instance metadata service
    "ftp://127.0.0.1/jwks.json",
    "file:///etc/passwd",                           # no file outside the test stage
    "file://host/share/jwks.json",
    "https:///no-host",
    "jwks.json",
    "",
])
def test_any_other_url_is_refused(url):
    with pytest.raises(InvalidTokenError):
        check_keys_url(url)


def test_a_file_only_when_the_caller_allows_it(tmp_path):
    url = (tmp_path / "jwks.json").as_uri()
    assert check_keys_url(url, allow_file=True) == url
    with pytest.raises(InvalidTokenError):
        check_keys_url(url)


def test_only_the_test_stage_reads_keys_from_a_file(tmp_path, monkeypatch):
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": []}))
    url = (tmp_path / "jwks.json").as_uri()
    base = Settings.from_env({"TURNO_STAGE": "dev", "TURNO_JWKS_URL": url, "TURNO_USER_POOL_CLIENT_ID": "c"})
    monkeypatch.setattr(tokens, "_key_sets", {})
    seen = []
    monkeypatch.setattr(tokens.KeySet, "_fetch", lambda self: seen.append(self.url) or {})
    token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.c2ln"  # RS256 header with kid "k"
    with pytest.raises(InvalidTokenError):
        tokens.verify(token, base)
    assert seen == []  # a dev stage never even opens the file
    with pytest.raises(InvalidTokenError):  # no such key in the file, but it was read
        tokens.verify(token, replace(base, stage="test"))
    assert seen == [url]


def test_a_redirect_is_never_followed(monkeypatch):
    hits = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/jwks.json":
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{server.server_port}/elsewhere.json")
                self.end_headers()
            else:
                body = json.dumps({"keys": []}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        keys = tokens.KeySet(f"http://127.0.0.1:{server.server_port}/jwks.json")
        with pytest.raises(InvalidTokenError, match="redirect"):
            keys.key("k")
        assert hits == ["/jwks.json"]
    finally:
        server.shutdown()
        server.server_close()
