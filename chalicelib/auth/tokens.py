"""Checking a Cognito access token: signature against the pool's JWKS, issuer, client, expiry, use.

Token times are Cognito's real clock (PyJWT checks `exp`/`iat` against the real time, 30 s leeway);
the frozen business clock of the tests (`wiring.now`) is deliberately not used here.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import Settings

if TYPE_CHECKING:  # PyJWT (and cryptography under it) load with the first token checked, not at cold start
    import jwt

LEEWAY_SECONDS = 30
KEYS_REFRESH_SECONDS = 3600  # keys are refetched at most this often, or at once for an unknown kid...
UNKNOWN_KID_BACKOFF_SECONDS = 60  # ...but at most once a minute, so forged kids cannot make us hammer the URL


class InvalidTokenError(Exception):
    """Any reason a token is not accepted; never shown to the caller."""


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def check_keys_url(url: str, *, allow_file: bool = False) -> str:
    """`url` if the keys may be read from it: https anywhere, http only on this machine's loopback (the local
    stack's moto), file: only where the caller allows it (the test stage); InvalidTokenError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return url
    if parts.scheme == "file" and allow_file and not parts.netloc:
        return url
    raise InvalidTokenError(f"the token keys may not be read from a {parts.scheme or 'relative'} URL")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead from an allowed URL to any other: the keys are read where configured or not at all."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib's hook
        raise InvalidTokenError("the token keys URL redirects")


_opener = urllib.request.build_opener(_NoRedirects())


@dataclass(frozen=True)
class AccessClaims:
    sub: str
    issued_at: int  # epoch seconds (`iat`)
    claims: dict[str, Any]


class KeySet:
    """The pool's public keys, fetched lazily from a URL (https:// on AWS, moto's server on loopback http://
    locally, a file:// in the test stage) and kept while warm."""

    def __init__(self, url: str, *, allow_file: bool = False) -> None:
        self.url = check_keys_url(url, allow_file=allow_file)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK:
        now = time.monotonic()
        stale = now - self._fetched_at > KEYS_REFRESH_SECONDS
        unknown = kid not in self._keys and now - self._fetched_at > UNKNOWN_KID_BACKOFF_SECONDS
        if stale or unknown:
            with self._lock:
                self._keys = self._fetch()
                self._fetched_at = time.monotonic()
        try:
            return self._keys[kid]
        except KeyError:
            raise InvalidTokenError("unknown key id") from None

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        import jwt

        try:
            # Only the URL check_keys_url let through is read: the opener refuses redirects.
            with _opener.open(self.url, timeout=5) as response:
                document = json.loads(response.read())
            keys = jwt.PyJWKSet.from_dict(document).keys
        except Exception as error:  # network, JSON or key errors: no key, no entry
            raise InvalidTokenError(f"cannot read the token keys: {error}") from None
        return {k.key_id: k for k in keys if k.key_id}


_key_sets: dict[str, KeySet] = {}


def key_set(url: str, *, allow_file: bool = False) -> KeySet:
    if url not in _key_sets:
        _key_sets[url] = KeySet(url, allow_file=allow_file)
    return _key_sets[url]


def verify_access_token(token: str, *, keys_url: str, issuer: str, client_id: str,
                        allow_file_keys: bool = False) -> AccessClaims:
    """The claims of a valid access token for our app client, or InvalidTokenError."""
    if not token or not client_id:
        raise InvalidTokenError("no token or no client configured")
    import jwt

    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "RS256":
            raise InvalidTokenError("unexpected algorithm")
        key = key_set(keys_url, allow_file=allow_file_keys).key(header.get("kid") or "")
        claims = jwt.decode(
            token, key, algorithms=["RS256"], issuer=issuer, leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "sub", "token_use", "client_id"], "verify_aud": False},
        )
    except jwt.PyJWTError as error:
        raise InvalidTokenError(str(error)) from None
    # Access tokens name their app client in `client_id` (ID tokens use `aud`): only ours are accepted.
    if claims.get("token_use") != "access":
        raise InvalidTokenError("not an access token")
    if claims.get("client_id") != client_id:
        raise InvalidTokenError("issued to another app client")
    return AccessClaims(sub=str(claims["sub"]), issued_at=int(claims["iat"]), claims=claims)


def verify(token: str, settings: Settings) -> AccessClaims:
    """The claims of a valid access token of this stage's user pool and backoffice app client.

    Only the test stage may read the keys from a file (the tests serve moto's public key as one)."""
    return verify_access_token(token, keys_url=settings.token_keys_url, issuer=settings.token_issuer,
                               client_id=settings.user_pool_client_id, allow_file_keys=settings.stage == "test")
