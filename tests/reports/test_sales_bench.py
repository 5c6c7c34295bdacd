"""`make bench`'s year-long sales report (bench/sales_report.py), small: the call bound holds whatever the
number of appointments, and the report's totals are the generated counters' own."""
from __future__ import annotations

from bench import sales_report


def test_a_year_of_sales_is_a_bounded_number_of_calls_and_no_scan():
    result = sales_report.run(appointments=600, runs=1)
    for case in result["cases"]:
        assert case["calls"] <= sales_report.CALL_BOUND and case["scans"] == 0, case["summary"]
    year = result["cases"][0]
    assert year["completed"] == result["totals"]["completed"] > 0
    assert [p["period"] for p in year["body"]["by_period"]][:2] == ["2025-01", "2025-02"]
