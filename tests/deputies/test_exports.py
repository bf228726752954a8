"""Excel exports: text that looks like a formula stays text; no row cap; streamed from a file."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from congress.exports import xlsx_bytes
from congress.models import ExportJob
from deputies.choices import SuggestionStatus as S
from deputies.models import Suggestion

DANGEROUS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def test_formula_like_text_is_read_back_as_text_and_values_keep_their_type():
    data = xlsx_bytes(title="表", headers=["=标题", "数"], widths=[10, 10],
                      rows=[[v, 7] for v in DANGEROUS] + [["普通文字", dt.date(2026, 3, 1)]])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "=标题" and ws["A1"].data_type == "s" and ws["A1"].font.bold
    for row, text in enumerate(DANGEROUS, start=2):
        cell = ws.cell(row=row, column=1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
        assert ws.cell(row=row, column=2).value == 7
    last = len(DANGEROUS) + 2
    assert ws.cell(row=last, column=1).value == "普通文字" and not ws.cell(row=last, column=1).quotePrefix
    assert ws.cell(row=last, column=2).value.date() == dt.date(2026, 3, 1)


def test_suggestion_export_has_every_row_past_the_old_cap_and_neutralises_titles(
        world, users, client, django_capture_on_commit_callbacks):
    world.suggestion(S.SUBMITTED, title="=cmd|' /C calc'!A0")
    base = Suggestion.objects.get()
    Suggestion.objects.bulk_create([
        Suggestion(term_id=base.term_id, session_id=base.session_id, title=f"关于第{i}件事项的建议", situation="事由",
                   proposal="建议", lead_deputy_id=base.lead_deputy_id, status=S.SUBMITTED,
                   submitted_at=base.submitted_at)
        for i in range(5000)
    ])
    client.force_login(users["office"])
    # The list's export link says how long the list is and offers the job: no file cut short.
    offer = client.get(reverse("deputies:suggestion-export"))
    assert offer.status_code == 200 and 'data-export-rows="5001"' in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("congress:export-start"), {"kind": "suggestions", "query": ""})
    job = ExportJob.objects.get()
    assert resp["Location"] == reverse("congress:export-detail", args=[job.pk])
    download = client.get(reverse("congress:export-download", args=[job.pk]))
    assert download.streaming and int(download["Content-Length"]) > 0
    ws = load_workbook(io.BytesIO(download.getvalue()), read_only=True).active
    titles = [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 5001
    assert "=cmd|' /C calc'!A0" in titles


def test_a_short_list_downloads_at_once_with_labels(world, users, client):
    s = world.suggestion(S.ASSIGNED, unit=world.unit)
    client.force_login(users["office"])
    resp = client.get(reverse("deputies:suggestion-export"))
    assert resp.streaming and "spreadsheetml" in resp["Content-Type"]
    ws = load_workbook(io.BytesIO(resp.getvalue()), read_only=True).active
    (row,) = list(ws.iter_rows(min_row=2, values_only=True))
    assert row[:2] == (s.number, s.title) and row[6] == "已交办" and row[7] == world.unit.name


def test_wrapped_column_keeps_its_style_and_value_on_every_row_and_times_are_local():
    from django.utils import timezone

    at = timezone.make_aware(dt.datetime(2026, 3, 1, 0, 30), dt.UTC)  # 08:30 in Beijing
    data = xlsx_bytes(title="表", headers=["标题", "时间"], widths=[10, 10], wrap=[0],
                      rows=[[f"第{i}行", at] for i in range(3)])
    ws = load_workbook(io.BytesIO(data)).active
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["第0行", "第1行", "第2行"]
    assert all(ws.cell(row=r, column=1).alignment.wrap_text for r in (2, 3, 4))
    assert ws["B2"].value == dt.datetime(2026, 3, 1, 8, 30)
