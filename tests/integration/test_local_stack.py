"""The whole local stack as `make dev` runs it (DynamoDB Local, moto, chalice local), over real HTTP."""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests

from infra.local.devstack import launch, running_stack

pytestmark = pytest.mark.slow

TIMEOUT = 30  # seconds for any one HTTP call


def gone(pid: int, deadline: float) -> bool:
    """True once the process no longer exists (or is a zombie about to be reaped), polling until the deadline."""
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.1)
    return False


def client(n: int) -> dict:
    return {"first_name": "Cliente", "last_name": str(n), "email": f"http{n}@example.com",
            "phone": f"+346000000{n:02d}"}


def free_slot(api_url: str, staff: str, service: str = "svc_cut") -> str:
    """The first free start in the next two weeks for one professional of the demo salon."""
    first = date.today() + timedelta(days=2)
    response = requests.get(f"{api_url}/public/demo/availability", timeout=TIMEOUT, params={
        "service": service, "staff": staff, "from": first.isoformat(), "to": (first + timedelta(days=13)).isoformat()})
    assert response.status_code == 200, response.text
    return response.json()["slots"][0]["start"]


def listening_on(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net spells them) of the sockets listening on a TCP port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


@pytest.fixture(scope="module")
def stack():
    with running_stack() as running:
        yield running


def test_every_server_listens_on_loopback_only(stack):
    urls = [stack.api_url, stack.env["AWS_ENDPOINT_URL"], stack.env["AWS_ENDPOINT_URL_DYNAMODB"]]
    for url in urls:
        addresses = listening_on(int(url.rsplit(":", 1)[1]))
        # 127.0.0.1, or the same as an IPv4-mapped IPv6 address (Java): never a wildcard.
        assert addresses and all(a.endswith("0100007F") for a in addresses), (url, addresses)


def test_the_links_the_stack_sends_point_at_its_own_port(stack):
    """running_stack() serves on a free port, not 8000: its messages and invitations must link there."""
    assert stack.env["TURNO_PUBLIC_URL"] == stack.env["TURNO_BACKOFFICE_URL"] == stack.api_url
    assert f"{stack.api_url}/b/demo" in stack.output() and f"POST {stack.api_url}/auth/login" in stack.output()


def test_ten_concurrent_http_bookings_for_one_slot_one_201(stack):
    start = free_slot(stack.api_url, "stf_marco")
    barrier = threading.Barrier(10)

    def attempt(n: int):
        body = {"service": "svc_cut", "staff": "stf_marco", "start": start, "client": client(n)}
        barrier.wait(timeout=TIMEOUT)
        return requests.post(f"{stack.api_url}/public/demo/bookings", json=body, timeout=TIMEOUT)

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(attempt, range(10)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 9, [(r.status_code, r.text) for r in responses]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"slot_unavailable"}
    day = start[:10]
    left = requests.get(f"{stack.api_url}/public/demo/availability", timeout=TIMEOUT, params={
        "service": "svc_cut", "staff": "stf_marco", "from": day, "to": day}).json()["slots"]
    assert start not in [s["start"] for s in left]


def test_an_idempotent_retry_books_once(stack):
    start = free_slot(stack.api_url, "stf_lucia")
    body = {"service": "svc_cut", "staff": "stf_lucia", "start": start, "client": client(50)}
    headers = {"Idempotency-Key": "integration-retry-0001"}
    first, retry = (requests.post(f"{stack.api_url}/public/demo/bookings", json=body, headers=headers,
                                  timeout=TIMEOUT) for _ in range(2))
    assert (first.status_code, retry.status_code) == (201, 201), (first.text, retry.text)
    assert retry.json() == first.json()
    other = requests.post(f"{stack.api_url}/public/demo/bookings", json={**body, "client": client(51)},
                          timeout=TIMEOUT)
    assert other.status_code == 409  # the first request did book the slot, exactly once
    reused = requests.post(f"{stack.api_url}/public/demo/bookings", json={**body, "start": free_slot(
        stack.api_url, "stf_marco"), "staff": "stf_marco"}, headers=headers, timeout=TIMEOUT)
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"


def test_concurrent_retries_with_one_key_book_once(stack):
    start = free_slot(stack.api_url, "stf_lucia", service="svc_color")
    body = {"service": "svc_color", "staff": "stf_lucia", "start": start, "client": client(60)}
    barrier = threading.Barrier(5)

    def attempt(_):
        barrier.wait(timeout=TIMEOUT)
        return requests.post(f"{stack.api_url}/public/demo/bookings", json=body,
                             headers={"Idempotency-Key": "integration-concurrent-01"}, timeout=TIMEOUT)

    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(attempt, range(5)))
    booked = {r.json()["reference"] for r in responses if r.status_code == 201}
    assert len(booked) == 1, [(r.status_code, r.text) for r in responses]
    # The others either got the same booking back or were told it is still being processed.
    assert all(r.status_code == 201 or r.json()["error"]["code"] == "request_in_progress" for r in responses)


def test_make_dev_stack_keeps_data_and_stops_everything_on_ctrl_c(tmp_path):
    data = tmp_path / "dynamodb"
    stack = launch(data_dir=data)
    try:
        demo = requests.get(f"{stack.api_url}/public/demo", timeout=TIMEOUT)
        assert demo.status_code == 200
        assert demo.json()["slug"] == "demo" and demo.json()["timezone"] == "Europe/Madrid"
        assert len(requests.get(f"{stack.api_url}/public/demo/services", timeout=TIMEOUT).json()["services"]) >= 5
        start = free_slot(stack.api_url, "stf_sara", service="svc_manicure")
        booked = requests.post(f"{stack.api_url}/public/demo/bookings", timeout=TIMEOUT, json={
            "service": "svc_manicure", "staff": "stf_sara", "start": start, "client": client(70)})
        assert booked.status_code == 201, booked.text
    finally:
        stack.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        status = stack.process.wait(30)
    assert status == 0, stack.output()
    deadline = time.monotonic() + 15
    assert all(gone(pid, deadline) for pid in stack.pids.values()), stack.pids
    assert "seeded" in stack.output()
    for noise in ("Override settings for pynamo", "Found credentials", "Found endpoint for", "Starting a new Thread",
                  '"POST / HTTP/1.1"'):  # library chatter at every start (issue 11)
        assert noise not in stack.output(), noise

    with running_stack(data_dir=data) as again:  # a restart keeps the bookings
        reference, token = booked.json()["reference"], booked.json()["manage_token"]
        kept = requests.get(f"{again.api_url}/public/bookings/{reference}", params={"token": token},
                            timeout=TIMEOUT)
        assert kept.status_code == 200 and kept.json()["start"] == start
        assert "already there" in again.output()
    assert again.process.returncode == 0
