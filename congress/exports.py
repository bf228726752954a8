"""Excel exports of any length in constant memory, and cells that can never run a formula.

Every list export goes through `xlsx_response`: a write-only openpyxl workbook (rows go to
a temporary file as they are written, not kept in memory), filled in one pass over the rows
the caller yields from `QuerySet.iterator(chunk_size=...)`, then sent from that file in
blocks with its length, so the browser shows the download's progress. No row cap.

Text that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return: CSV/formula injection) is written as a text cell with Excel's "quote prefix" style,
so it shows as typed, is never evaluated, and stays text even when the cell is edited."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Rows fetched per round trip when an export walks a queryset.
CHUNK_SIZE = 2000


def choice_labels(model, field: str) -> dict:
    """{stored value: label} of a choices field, translated once: get_FOO_display() per row
    re-hashes the choices and re-translates the label, a third of an export's time."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def text_cell(ws, value: str, style=None):
    """A cell holding `value` as plain text, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if style is not None:
        cell.font, cell.alignment = style
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(ws, values: Sequence, styles: dict | None = None) -> list:
    """The row as cells: formula-like text neutralised, `styles` {column index: (font, alignment)}
    applied; other values stay as they are (numbers, dates)."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for i, v in enumerate(values):
        style = styles.get(i) if styles else None
        if is_formula_like(v):
            row.append(text_cell(ws, v, style))
        elif style is not None:
            cell = WriteOnlyCell(ws, value=v)
            cell.font, cell.alignment = style
            row.append(cell)
        else:
            row.append(v)
    return row


def write_xlsx(fileobj, *, title: str, headers: Sequence, widths: Sequence[int], rows: Iterable[Sequence],
               wrap: Sequence[int] = ()) -> int:
    """Write one sheet to `fileobj`: a bold header row, frozen, then `rows`; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31])
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    bold = (Font(bold=True), Alignment())
    ws.append(safe_row(ws, [str(h) for h in headers], dict.fromkeys(range(len(headers)), bold)))
    wrapped = {i: (Font(), Alignment(wrap_text=True, vertical="top")) for i in wrap}
    # One styled cell per wrapped column, reused row after row: a write-only sheet writes
    # each row out as it is appended, and styling a fresh cell per row (a style lookup
    # each time) was a quarter of a long export's time.
    styled = {}
    for i, (font, alignment) in wrapped.items():
        styled[i] = WriteOnlyCell(ws)
        styled[i].font, styled[i].alignment = font, alignment
    n = 0
    for values in rows:
        row = list(values)
        for i, v in enumerate(row):
            if isinstance(v, dt.datetime) and timezone.is_aware(v):
                v = row[i] = timezone.localtime(v).replace(tzinfo=None)  # Beijing time, as shown on the pages
            if is_formula_like(v):
                row[i] = text_cell(ws, v, wrapped.get(i))
            elif i in styled:
                styled[i].value = v
                row[i] = styled[i]
        ws.append(row)
        n += 1
    wb.save(fileobj)
    return n


def xlsx_response(filename: str, **sheet) -> FileResponse:
    """The sheet as a download, built in a temporary file and streamed from it."""
    out = tempfile.TemporaryFile()
    write_xlsx(out, **sheet)
    out.seek(0)
    resp = FileResponse(out, content_type=XLSX, as_attachment=True)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def xlsx_bytes(**sheet) -> bytes:
    """The same sheet as bytes (tests, mail attachments)."""
    with tempfile.TemporaryFile() as out:
        write_xlsx(out, **sheet)
        out.seek(0)
        return out.read()
