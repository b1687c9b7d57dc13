"""Reports: a day or a range of days (present, absent, excused, late; per group when the
site has groups, narrowed to one group on request), and the same reports to download as
an Excel workbook or as CSV files (in one zip), written by the code `report --from --to`
uses (records.range_reports). Nothing is kept on the server: each download is written
into a temporary folder and sent."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from attendance_app.errors import AttendanceError
from attendance_app.records.range_reports import RangeReports, describe_range
from attendance_app.records.reporting import describe_day
from attendance_app.web.rendering import page
from attendance_app.web.roster import group_names
from attendance_app.web.security import viewer

router = APIRouter(dependencies=[Depends(viewer)])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportAsked(AttendanceError):
    """A report asked for with dates or a group that cannot be reported."""


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportAsked(f'"{text}" is not a date: pick one, or write it as YYYY-MM-DD'
                          ) from None


def _asked(request: Request) -> tuple[date, date, str | None]:
    """(first day, last day, group or None) from the query; one day when only `first`."""
    query = request.query_params
    first = _day(query.get("first"), date.today())
    last = _day(query.get("last"), first)
    return first, last, query.get("group") or None


def _reports(request: Request, first: date, last: date) -> RangeReports:
    site = request.app.state.site
    if site.records() is None:
        raise ReportAsked("no attendance has been logged here yet: nothing to report")
    return RangeReports.load(site, first, last)


@router.get("/reports")
def reports(request: Request) -> Response:
    workspace = request.app.state.workspace
    groups = group_names(workspace)
    try:
        first, last, group = _asked(request)
        _, report = _reports(request, first, last).report(group)
        lines = describe_day(report, first) if first == last else describe_range(report)
    except (AttendanceError, ValueError) as error:
        return page(request, "reports.html", status=400, error=str(error), groups=groups,
                    query=request.query_params)
    return page(request, "reports.html", lines=lines, groups=groups, first=first, last=last,
                group=group, query=request.query_params,
                query_string=request.url.query)


def _zipped(paths: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, path.name)
    return buffer.getvalue()


@router.get("/reports/download")
def download(request: Request) -> Response:
    """The reports asked for as `format=xlsx` (one workbook) or `format=csv` (a zip)."""
    kind = request.query_params.get("format", "xlsx")
    try:
        if kind not in ("xlsx", "csv"):
            raise ReportAsked("a report downloads as xlsx or csv")
        first, last, group = _asked(request)
        reports = _reports(request, first, last)
        name = f"attendance-{first}" + (f"-to-{last}" if last != first else "")
        with tempfile.TemporaryDirectory(prefix="attendance-web-") as folder:
            if kind == "xlsx":
                path = Path(folder) / f"{name}.xlsx"
                reports.write_workbook(path, group)
                body, media, filename = path.read_bytes(), XLSX, path.name
            else:
                body = _zipped(reports.write_csv(Path(folder), group))
                media, filename = "application/zip", f"{name}-csv.zip"
    except (AttendanceError, ValueError) as error:
        return page(request, "refused.html", status=400, reason=str(error))
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
