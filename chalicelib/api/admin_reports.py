"""Backoffice reports: sales, services performed, clients, professionals, commissions, statistics, as JSON or CSV.

CSV (`?format=csv`, or `Accept: text/csv`) holds the same figures as the JSON: one row per line of each of
the report's tables, the table's name first, and the totals row; cells that a spreadsheet would take
for a formula (starting with =, +, -, @) are escaped with a leading apostrophe."""
from __future__ import annotations

import csv
import io
from typing import Any

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..errors import ValidationError
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body, parse_date, query

reports = later("chalicelib.services.reports")
client_reports = later("chalicelib.services.client_reports")

admin_reports = AdminApi(__name__)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _period(request) -> tuple:
    return parse_date(query(request, "from"), "from"), parse_date(query(request, "to"), "to")


def _answer(request, report: dict[str, Any]) -> Any:
    chosen = query(request, "format", required=False)
    if chosen not in (None, "json", "csv"):
        raise ValidationError("json or csv", field="format", code="invalid_format")
    accept = (request.headers or {}).get("accept", "")
    if chosen == "csv" or (chosen is None and "text/csv" in accept):
        filename = f"{report['report']}-{report['from']}-{report['to']}.csv"
        return Response(body=csv_text(report), status_code=200,
                        headers={"Content-Type": "text/csv; charset=utf-8",
                                 "Content-Disposition": f'attachment; filename="{filename}"'})
    return report


def _report(principal: Principal, build, **more: Any) -> Any:
    """A report over the request's period, answered as JSON or CSV."""
    request = admin_reports.current_request
    return _answer(request, build(principal, wiring.store().catalog, *_period(request), **more))


@admin_reports.route("/admin/reports/sales", methods=["GET"], action="reports.read")
def sales(principal: Principal) -> Any:
    return _report(principal, reports.sales,
                   group=query(admin_reports.current_request, "group", required=False) or "month")


def _period_report(name: str, use_case: str) -> None:
    """GET /admin/reports/<name>?from&to[&format]: the reports with no other parameter than their period
    (the use case named, so that it loads with the first request, not with the app)."""
    def view(principal: Principal) -> Any:
        return _report(principal, getattr(reports, use_case))

    view.__name__ = view.__qualname__ = f"{name}_report"
    admin_reports.route(f"/admin/reports/{name}", methods=["GET"], action="reports.read")(view)


@admin_reports.route("/admin/reports/clients", methods=["GET"], action="reports.read")
def clients_report(principal: Principal) -> Any:
    return _report(principal, client_reports.clients, profiles=wiring.clients().many)


for _name, _use_case in (("services", "services_performed"), ("professionals", "professionals"),
                         ("statistics", "statistics"), ("commissions", "commissions")):
    _period_report(_name, _use_case)


@admin_reports.route("/admin/reports/commission-rules", methods=["GET"], action="reports.read")
def commission_rules(principal: Principal) -> dict:
    return reports.read_commission_rules(principal)


@admin_reports.route("/admin/reports/commission-rules", methods=["PUT"], action="settings.write")
def change_commission_rules(principal: Principal) -> dict:
    body = json_body(admin_reports.current_request, BY_USE_CASE)
    return reports.change_commission_rules(principal, wiring.store().catalog, body, wiring.now())


@admin_reports.route("/admin/reports/settings", methods=["GET"], action="reports.read")
def report_settings(principal: Principal) -> dict:
    return reports.read_settings(principal)


@admin_reports.route("/admin/reports/settings", methods=["PUT"], action="settings.write")
def change_report_settings(principal: Principal) -> dict:
    body = json_body(admin_reports.current_request, BY_USE_CASE)
    return reports.change_settings(principal, body, wiring.now())


# -- CSV -------------------------------------------------------------------------------------------------
def csv_text(report: dict[str, Any]) -> str:
    """Every table of the report (lists of rows, and the totals and time-saved objects as one row each)."""
    tables = [(name, rows) for name, rows in report.items() if isinstance(rows, list)]
    tables += [(name, [row]) for name, row in report.items() if isinstance(row, dict)]
    columns: list[str] = []
    for _, rows in tables:
        for row in rows:
            columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["report", report["report"], "from", report["from"], "to", report["to"],
                     "date used", report["date_used"], "currency", report["currency"]])
    writer.writerow(["table", *columns])
    for name, rows in tables:
        for row in rows:
            writer.writerow([name, *(cell(row.get(c)) for c in columns)])
    return out.getvalue()


def cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
