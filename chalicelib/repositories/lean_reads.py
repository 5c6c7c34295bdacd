"""The warm availability request's two reads (the catalog and the busy days) sent as one signed HTTP POST each.

Why: botocore spends ~0.3 ms of CPU per call before and after the network (parameter validation and
serialisation against the model, a dozen events, endpoint rules, a fresh SigV4 signature through its
generic canonicaliser, retry bookkeeping, parsing) - twice per availability request, about half of the
engine's own work on a busy fortnight (bench/request.py). A read needs little of it: its JSON body is
written here, signed here (SigV4 with the client's own credentials and region; the day's signing key is
derived once, tests/api/test_lean_reads.py checks the signature against botocore's), and sent through
the client's own HTTP session (its connection pool, timeouts and proxies) to the client's endpoint
(`client.meta.endpoint_url`: the region's, or DynamoDB Local's under `make dev`). The client's `before-send`
handlers still run first, as botocore runs them, so moto and the bench's replay answer these reads too.

Only a clean 200 is taken here (its CRC32 checked, as botocore does). Anything else - a throttle, an
error, a dropped connection - goes to botocore's own call, with its retries and its exceptions: the
lean path never decides what a failure means. Everything else in Turno keeps using botocore.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from botocore import xform_name
from botocore.awsrequest import AWSPreparedRequest

TARGET = "DynamoDB_20120810."
CONTENT_TYPE = "application/x-amz-json-1.0"
DEFAULT_PORTS = {"http": 80, "https": 443}


def lean_reads(client: Any) -> "LeanReads":
    """The lean reader of a botocore DynamoDB client, made once per client."""
    reads = client.__dict__.get("_turno_lean_reads")
    if reads is None:
        reads = client.__dict__["_turno_lean_reads"] = LeanReads(client)
    return reads


class LeanReads:
    def __init__(self, client: Any) -> None:
        self.client = client
        url = urlsplit(client.meta.endpoint_url)
        self.url = f"{url.scheme}://{url.netloc}{url.path or '/'}"
        self.path = url.path or "/"
        host = url.hostname or ""
        self.host = host if url.port in (None, DEFAULT_PORTS.get(url.scheme)) else f"{host}:{url.port}"
        self.region = client.meta.region_name
        self.scope_tail = f"/{self.region}/dynamodb/aws4_request"
        self._keys: dict[tuple[str, str], bytes] = {}  # (secret key, day) -> that day's signing key

    # -- the reads ------------------------------------------------------------------------------
    def query(self, **params: Any) -> dict:
        """What `client.query(**params)` answers (without ResponseMetadata)."""
        return json.loads(self.answer("Query", params))

    def query_bodies(self, **params: Any) -> list[bytes]:
        """Every page of a query as DynamoDB wrote it (a cache can be keyed by them)."""
        bodies = [self.answer("Query", params)]
        while b'"LastEvaluatedKey"' in bodies[-1]:
            last = json.loads(bodies[-1]).get("LastEvaluatedKey")
            if last is None:
                break
            bodies.append(self.answer("Query", {**params, "ExclusiveStartKey": last}))
        return bodies

    def answer(self, operation: str, params: dict) -> bytes:
        """The body of DynamoDB's successful answer: one lean exchange or, when that fails, botocore's call
        (which retries or raises), its answer written back as DynamoDB's JSON."""
        body = self.exchange(operation, params)
        if body is None:
            parsed = getattr(self.client, xform_name(operation))(**params)
            parsed.pop("ResponseMetadata", None)
            body = json.dumps(parsed, default=_base64).encode()
        return body

    def exchange(self, operation: str, params: dict) -> bytes | None:
        """One signed POST; its body when DynamoDB answered 200 and the CRC32 matches, else None."""
        body = json.dumps(params, separators=(",", ":")).encode()
        try:
            request = AWSPreparedRequest("POST", self.url, self.signed_headers(operation, body), body, False)
            name = f"before-send.dynamodb.{operation}"
            _, response = self.client.meta.events.emit_until_response(name, request=request)
            if response is None:
                response = self.client._endpoint.http_session.send(request)
            content = response.content  # read whatever the status: the connection goes back to the pool
            if response.status_code != 200:
                return None
            expected = response.headers.get("x-amz-crc32")
            if expected is not None and int(expected) != zlib.crc32(content):
                return None
            return content
        except Exception:  # noqa: BLE001  (botocore's call, which follows, knows what each failure means)
            return None

    # -- SigV4 ----------------------------------------------------------------------------------
    def signed_headers(self, operation: str, body: bytes, now: datetime | None = None) -> dict[str, str]:
        credentials = self.client._request_signer._credentials.get_frozen_credentials()
        stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
        day = stamp[:8]
        headers = {"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET + operation, "X-Amz-Date": stamp}
        signed = {"content-type": CONTENT_TYPE, "host": self.host, "x-amz-date": stamp,
                  "x-amz-target": TARGET + operation}
        if credentials.token:
            headers["X-Amz-Security-Token"] = signed["x-amz-security-token"] = credentials.token
        names = ";".join(sorted(signed))
        canonical = "\n".join(("POST", self.path, "", *(f"{k}:{signed[k]}" for k in sorted(signed)), "", names,
                               hashlib.sha256(body).hexdigest()))
        scope = day + self.scope_tail
        to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        signature = hmac.new(self._key(credentials.secret_key, day), to_sign.encode(), hashlib.sha256).hexdigest()
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
                                    f"SignedHeaders={names}, Signature={signature}")
        return headers

    def _key(self, secret: str, day: str) -> bytes:
        key = self._keys.get((secret, day))
        if key is None:
            if len(self._keys) > 4:  # yesterday's, or a rotated secret's
                self._keys.clear()
            key = f"AWS4{secret}".encode()
            for part in (day, self.region, "dynamodb", "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            self._keys[(secret, day)] = key
        return key


def _base64(value: Any) -> str:
    """Binary attribute values, which botocore decoded, as the wire carries them."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} is not DynamoDB JSON")
