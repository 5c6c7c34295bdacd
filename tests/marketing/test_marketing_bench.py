"""`python -m bench.marketing` (the views, the sweep and a preview at size), small and under moto: every case
runs, none scans, and a dormant page or a name search costs the same few calls whatever the clients."""
from __future__ import annotations

from bench import marketing


def test_the_marketing_bench_runs_small_and_never_scans():
    rows = marketing.run(clients=120, backend="moto")["rows"]

    def row(start: str):
        return next(r for r in rows if r.case.startswith(start))

    assert len(rows) == 10 and sum(r.scans for r in rows) == 0
    first_page = row("(a) dormant view, first page")
    # one index query (half a page more than shown, for the clients booked ahead it skips) and the profiles
    assert first_page.calls.summary() == "Query, BatchGetItem", first_page.calls.summary()
    assert row("(c) filter: text 'garc', first page").calls.operations()["Query"] == 1
    loyal = row("(b) loyal")
    assert loyal.calls.operations()["Query"] == 1, loyal.calls.summary()  # the period's appointments, read once
    assert "queued" in row("(d) dormant-client sweep, first day").result
    again = row("(d) dormant-client sweep, same day again")
    assert again.result == "already_swept 1" and len(again.calls.writes) == 1, again.calls.summary()
