"""The working body's monitoring of the members and its export (issue 8 item 7; A-RC-12, rules.md 2.2,
5.11)."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import sqlalchemy as sa
from litestar import Litestar
from sqlmodel import col

from portal.core.audit import AuditEvent
from portal.core.settings import Settings
from portal.rules.iin import mask_iin
from tests.conftest import TODAY
from tests.integration.reserve.support import (
    COMMISSION_MEMBER,
    HTMX_PARTIAL,
    OFFICIAL,
    SECRETARY,
    account,
    browser,
    member,
    rows,
    tag,
)

CSV_DIRECTION, XLSX_DIRECTION = "agro_industrial_complex", "digitalisation_innovation"


def _members(settings: Settings, prefix: str, direction: str) -> list[str]:
    """Three members of one direction ending 500-502 days from today (no other test's members of the
    direction end within 502 days); their IINs."""
    iins = []
    for n, name in enumerate((f"{prefix}-00", f"=HYPERLINK(1)-{prefix}", f"{prefix}-02")):
        user = account(settings, name)
        end = TODAY + timedelta(days=500 + n)
        member(
            settings,
            user=user,
            name=name,
            direction=direction,
            ends_on=end,
            starts_on=end - timedelta(days=730),
        )
        iins.append(user[1])
    return iins


def _query(direction: str) -> str:
    return f"direction={direction}&ending_within=502&sort=ends_on"


def test_a_rc_12_the_secretary_monitors_and_exports_csv_with_masked_iins_by_default(
    app: Litestar, database: Settings
) -> None:
    prefix = f"Monitor{tag()}"
    iins = _members(database, prefix, CSV_DIRECTION)
    query = _query(CSV_DIRECTION)
    with browser(app, SECRETARY) as secretary:
        page = secretary.get(f"/astana/reserve/monitoring?{query}")
        assert page.status_code == 200 and "3 members found" in page.text
        assert mask_iin(iins[0]) in page.text and iins[0] not in page.text
        assert "Not appointed" in page.text
        fragment = secretary.get(f"/astana/reserve/monitoring?{query}", headers=HTMX_PARTIAL)
        assert 'id="monitoring-rows"' in fragment.text and "<html" not in fragment.text
        exported = secretary.get(f"/astana/reserve/monitoring.csv?{query}")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert "attachment" in exported.headers["content-disposition"]
        assert exported.headers["cache-control"] == "no-store"
        text = exported.content.decode("utf-8")
        assert text.startswith("\ufeff")
        table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert table[0][:3] == ["Name", "IIN", "Sector direction"]
        assert [r[0] for r in table[1:]] == [f"{prefix}-00", f"'=HYPERLINK(1)-{prefix}", f"{prefix}-02"]
        assert [r[1] for r in table[1:]] == [mask_iin(i) for i in iins]
        assert (
            table[1][2] == "Agro-industrial complex"
            and table[1][5] == (TODAY + timedelta(days=500)).isoformat()
        )
        assert table[1][6] == "500" and table[1][7] == "Active" and table[1][8] == "No"
        # the working body may ask for the IINs in full; the export is logged
        full = secretary.get(f"/astana/reserve/monitoring.csv?{query}&iin=full").content.decode("utf-8")
        assert all(iin in full for iin in iins)
    exports = rows(
        database,
        sa.select(AuditEvent)
        .where(col(AuditEvent.action) == "reserve.monitoring_exported")
        .order_by(col(AuditEvent.seq)),
    )
    assert exports[-1].after is not None and exports[-1].after["full_iin"] is True
    assert exports[-2].after is not None and exports[-2].after["full_iin"] is False
    assert not any(iin in str(e.after) for e in exports for iin in iins)


def test_a_rc_12_the_commission_reads_the_xlsx_with_masked_iins_and_the_appointing_official_is_refused(
    app: Litestar, database: Settings
) -> None:
    prefix = f"Workbook{tag()}"
    iins = _members(database, prefix, XLSX_DIRECTION)
    query = _query(XLSX_DIRECTION)
    with browser(app, COMMISSION_MEMBER) as reader:
        assert reader.get(f"/astana/reserve/monitoring.csv?{query}&iin=full").status_code == 403
        workbook = reader.get(f"/astana/reserve/monitoring.xlsx?{query}")
        assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
        sheet = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True).active
        assert sheet is not None
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0][0] == "Name" and len(values) == 4
        assert [v[0] for v in values[1:]] == [f"{prefix}-00", f"'=HYPERLINK(1)-{prefix}", f"{prefix}-02"]
        assert [v[1] for v in values[1:]] == [mask_iin(i) for i in iins]
        assert values[1][5] is not None and values[1][5].date() == TODAY + timedelta(days=500)
        assert reader.get("/astana/reserve/monitoring.csv?sort=iin").status_code == 400
        assert reader.get(f"/shymkent/reserve/monitoring?{query}").status_code == 403
    with browser(app, OFFICIAL) as official:
        assert official.get("/astana/reserve/monitoring").status_code == 403
        assert official.get(f"/astana/reserve/monitoring.csv?{query}").status_code == 403
        registry = official.get(f"/astana/reserve?{query}").text
        assert re.findall(rf"{prefix}-0\d", registry) == [f"{prefix}-00", f"{prefix}-02"]
        assert mask_iin(iins[0]) not in registry  # the registry shows no IIN at all
