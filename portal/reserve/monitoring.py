"""The working body's monitoring of the members (A-RC-12; issue 8 item 7): the export as CSV or XLSX.

The rows are read from the database a chunk at a time and written out as they come (CSV), or into a
write-only workbook that is then sent in chunks (XLSX; openpyxl is imported only here, when asked).
The IIN is masked unless the reader's role needs it and asks for it (rules.md 5.11). A cell that
starts like a formula is written as text (CSV/formula injection).
"""

import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from portal.i18n import N_
from portal.reserve.queries import Filters, MemberRow, stream_members
from portal.rules.iin import mask_iin

CHUNK = 256 * 1024
#: The columns, in order (their headings are translated by the caller).
HEADINGS: tuple[str, ...] = (
    N_("Name"),
    N_("IIN"),
    N_("Sector direction"),
    N_("Clause"),
    N_("Term start"),
    N_("Term end"),
    N_("Days left"),
    N_("Status"),
    N_("Under exclusion review"),
    N_("Open appointment proposals"),
    N_("Appointments"),
    N_("Consent to another region"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@dataclass(frozen=True, slots=True)
class Labels:
    """What the rows show in the reader's language, prepared before the response streams."""

    headings: tuple[str, ...]
    directions: Mapping[str, str]
    statuses: Mapping[str, str]
    yes: str
    no: str


def cells(row: MemberRow, labels: Labels, *, today: date, full_iin: bool) -> list[Any]:
    m = row.membership
    return [
        safe_text(m.candidate_name),
        m.candidate_iin if full_iin else mask_iin(m.candidate_iin),
        safe_text(labels.directions.get(m.direction_code or "", "")),
        m.clause,
        m.starts_on,
        m.ends_on,
        row.days_left(today) if m.status == "active" else "",
        labels.statuses.get(m.status, m.status),
        labels.yes if row.under_review else labels.no,
        row.open_proposals,
        row.appointed,
        labels.yes if row.consented else labels.no,
    ]


SessionFactory = Callable[[], AsyncSession]


async def _rows(
    factory: SessionFactory, tenant_id: str, filters: Filters, labels: Labels, *, today: date, full_iin: bool
) -> AsyncIterator[list[Any]]:
    async with factory() as session:
        async for row in stream_members(session, tenant_id, filters, today=today):
            yield cells(row, labels, today=today, full_iin=full_iin)


async def csv_chunks(
    factory: SessionFactory, tenant_id: str, filters: Filters, labels: Labels, *, today: date, full_iin: bool
) -> AsyncIterator[bytes]:
    """UTF-8 CSV with a byte-order mark (spreadsheets then read Kazakh and Russian right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(labels.headings)
    async for values in _rows(factory, tenant_id, filters, labels, today=today, full_iin=full_iin):
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in values])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def xlsx_chunks(
    factory: SessionFactory,
    tenant_id: str,
    filters: Filters,
    labels: Labels,
    *,
    today: date,
    full_iin: bool,
    work_dir: Path,
) -> AsyncIterator[bytes]:
    """An XLSX workbook (one sheet), written row by row in write-only mode, then sent in chunks."""
    import openpyxl  # lazy: only the few who export load it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("reserve")
    sheet.append(list(labels.headings))
    async for values in _rows(factory, tenant_id, filters, labels, today=today, full_iin=full_iin):
        sheet.append(values)
    work_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="monitoring-", suffix=".xlsx", dir=work_dir)
    os.close(handle)
    path = Path(name)
    try:
        await anyio.to_thread.run_sync(workbook.save, str(path))
        async with await anyio.open_file(path, "rb") as source:
            while chunk := await source.read(CHUNK):
                yield chunk
    finally:
        path.unlink(missing_ok=True)


__all__ = ["HEADINGS", "Labels", "cells", "csv_chunks", "safe_text", "xlsx_chunks"]
