"""Which counters a period reads, and what an appointment counts for (domain/reports.py)."""
from __future__ import annotations

from datetime import date

from chalicelib.domain.reports import Span, difference, span


def test_a_long_period_reads_whole_months_and_two_edges_of_days():
    assert span(date(2022, 3, 15), date(2027, 3, 10)) == Span(
        ("2022-04", "2027-02"), ((date(2022, 3, 15), date(2022, 3, 31)), (date(2027, 3, 1), date(2027, 3, 10))))


def test_whole_months_need_no_days():
    assert span(date(2026, 1, 1), date(2026, 12, 31)) == Span(("2026-01", "2026-12"), ())
    assert span(date(2026, 2, 1), date(2026, 2, 28)) == Span(("2026-02", "2026-02"), ())


def test_a_period_inside_one_month_reads_its_days():
    assert span(date(2026, 3, 2), date(2026, 3, 30)) == Span(None, ((date(2026, 3, 2), date(2026, 3, 30)),))


def test_two_partial_months_side_by_side_read_days_only():
    assert span(date(2026, 3, 20), date(2026, 4, 10)) == Span(
        None, ((date(2026, 3, 20), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 4, 10))))


def test_the_difference_moves_figures_from_old_keys_to_new_ones():
    before = {("2026-03-24", "all", "-"): {"booked": 1, "completed": 1, "revenue_cents": 2500}}
    after = {("2026-03-24", "all", "-"): {"booked": 1, "cancelled": 1}}
    assert difference(after, before) == {("2026-03-24", "all", "-"): {"completed": -1, "revenue_cents": -2500,
                                                                     "cancelled": 1}}
    assert difference(after, after) == {}


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped():
    from chalicelib.api.admin_reports import cell

    assert [cell(v) for v in ("=SUM(A1)", "+34 600", "-Pelo", "@me", "Corte", 3, None)] == [
        "'=SUM(A1)", "'+34 600", "'-Pelo", "'@me", "Corte", "3", ""]
