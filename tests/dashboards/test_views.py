"""Pages: the leaders' dashboard, presentation mode, drill-down lists, the summary draft
(edit, conflict, Word), hand-entered figures, role dashboards and navigation."""

import datetime as dt
import io
import re

import pytest
import time_machine
from docx import Document
from docx.oxml.ns import qn

from congress.models import Meeting
from congress.navigation import nav_items
from dashboards.models import ManualFigure, YearSummary

from . import builders as b

pytestmark = pytest.mark.django_db


def test_leader_dashboard_is_server_rendered_and_loads_figures_from_the_api(director, client_as):
    response = client_as(director).get("/dashboard/?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-api="/api/v1/dashboard/year/?year=2025"' in html
    # the chart library is served locally, never from a CDN
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert not re.search(r'<script[^>]+src="(https?:)?//', html)
    assert html.count("data-chart=") == 7
    assert 'value="2024"' in html  # year picker offers the comparison year


def test_presentation_mode_refreshes_itself(director, client_as):
    html = client_as(director).get("/dashboard/present/?year=2025&refresh=30").content.decode()
    assert 'data-refresh="30"' in html
    assert "data-fullscreen" in html
    assert "app-navbar" not in html  # full screen: no navigation bar


@pytest.mark.parametrize("role", ["deputy_user", "unit_clerk", "unit_head"])
@pytest.mark.parametrize(
    "url",
    ["/dashboard/", "/dashboard/present/", "/dashboard/records/standing_meetings/", "/dashboard/summary/",
     "/dashboard/summary/edit/", "/dashboard/summary/word/", "/dashboard/manual/"],
)
def test_deputies_and_units_cannot_open_the_leaders_pages(request, role, url, client_as):
    assert client_as(request.getfixturevalue(role)).get(url).status_code == 403


def test_unknown_figure_list_is_404(director, client_as):
    assert client_as(director).get("/dashboard/records/no_such_figure/").status_code == 404


def test_figure_list_shows_rate_numerator_and_denominator(director, client_as, office):
    item = b.sv_item(kind="audit_rectification", office=office)
    b.problem(item=item, status="rectified")
    b.problem(item=item, status="pending")
    html = client_as(director).get("/dashboard/records/audit_rectification_rate/?year=2025").content.decode()
    assert 'data-figure-value="audit_rectification_rate">50.0%<' in html
    assert "分母 2 条记录，其中计入分子 1 条" in html
    assert html.count("✓</span>") == 1


def test_navigation_offers_statistics_to_leaders_and_staff_only(director, staff_user, deputy_user, unit_clerk):
    def labels(u):
        return [str(i["label"]) for i in nav_items(u)]

    assert "统计分析" in labels(director)
    assert "统计分析" in labels(staff_user)
    assert "统计分析" not in labels(deputy_user)
    assert "统计分析" not in labels(unit_clerk)
    assert "我的看板" in labels(deputy_user)


# -------------------------------------------------------------------------- summary
def _year_data():
    for on in (dt.date(2025, 2, 1), dt.date(2025, 6, 1)):
        m = b.agenda(meeting_obj=b.meeting(on=on)).meeting
    b.meeting(kind=Meeting.Kind.CHAIRPERSONS, on=dt.date(2025, 3, 3))
    b.decision(on=dt.date(2025, 6, 1), meeting_obj=m)


def test_summary_page_shows_the_default_wording_with_the_figures(director, client_as):
    _year_data()
    html = client_as(director).get("/dashboard/summary/?year=2025").content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert "全年共举行常委会会议2次，召开主任会议1次，听取和审议“一府一委两院”工作报告2项" in text
    assert "作出决议决定1项" in text
    assert "尚未保存本年度的总结文字" in text


def test_staff_saves_the_wording_and_the_history_keeps_it(staff_user, client_as):
    _year_data()
    client = client_as(staff_user)
    response = client.post(
        "/dashboard/summary/edit/?year=2025",
        {"title": "江州市人大常委会2025年工作总结", "body": "一、会议\n本年召开常委会会议{standing_meetings}次。",
         "version": "", "reason": "初稿"},
    )
    assert response.status_code == 302
    summary = YearSummary.objects.get(year=2025)
    assert summary.version == 1 and summary.updated_by == staff_user
    html = client.get("/dashboard/summary/?year=2025").content.decode()
    assert "本年召开常委会会议" in html and 'data-figure="standing_meetings"' in html
    assert "变更记录" in html and "初稿" in html


def test_an_unknown_code_is_shown_next_to_the_text_which_is_kept(staff_user, client_as):
    client = client_as(staff_user)
    body = "全年招商引资{investment}亿元。"
    response = client.post("/dashboard/summary/edit/?year=2025", {"title": "总结", "body": body, "version": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="body"' in html and "{investment}" in html
    assert body in html
    assert not YearSummary.objects.exists()


def test_a_conflicting_edit_keeps_what_the_user_typed_and_shows_the_other_text(staff_user, other_staff_user, client_as):
    from dashboards import services

    services.summary_save(actor=staff_user, year=2025, title="总结", body="第一稿。")
    services.summary_save(actor=other_staff_user, year=2025, title="总结", body="别人改的稿。", version=1)
    client = client_as(staff_user)
    response = client.post("/dashboard/summary/edit/?year=2025", {"title": "总结", "body": "我的改稿。", "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "该记录已被他人修改" in html
    assert "我的改稿。" in html and "别人改的稿。" in html and "data-conflict" in html
    assert YearSummary.objects.get().body == "别人改的稿。"


def test_word_download_opens_and_contains_the_figures(director, client_as):
    _year_data()
    ManualFigure.objects.create(year=2025, figure_key="press_articles", label="刊发稿件", value=200, unit="篇",
                                reason="宣传处统计")
    response = client_as(director).get("/dashboard/summary/word/?year=2025")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    title = doc.paragraphs[0]
    assert "2025年工作总结" in title.text
    assert title.alignment == 1  # centred
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if "全年共举行常委会会议2次" in p.text)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert any("附表" in t for t in paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "常委会会议" in cells and "2次" in cells
    assert "手工填报：宣传处统计" in cells and "200篇" in cells


# ------------------------------------------------------------------- manual figures
def test_manual_figure_form_requires_a_reason_and_keeps_the_input(staff_user, client_as):
    response = client_as(staff_user).post(
        "/dashboard/manual/?year=2025", {"figure_key": "investment", "label": "招商引资", "value": "12.5", "reason": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="reason"' in html
    assert 'value="招商引资"' in html
    assert not ManualFigure.objects.exists()


def test_manual_figure_is_listed_as_entered_by_hand(staff_user, client_as):
    client = client_as(staff_user)
    response = client.post(
        "/dashboard/manual/?year=2025",
        {"figure_key": "investment", "label": "招商引资", "value": "12.5", "unit": "亿元", "reason": "商务局提供", "order": 1},
    )
    assert response.status_code == 302
    html = client.get("/dashboard/manual/?year=2025").content.decode()
    assert "招商引资" in html and "12.5亿元" in html and "手工填报" in html
    fig = ManualFigure.objects.get()
    assert fig.entered_by == staff_user
    edit = client.post(f"/dashboard/manual/{fig.pk}/", {"label": "招商引资", "value": "13", "unit": "亿元",
                                                        "reason": "商务局更正", "version": fig.version})
    assert edit.status_code == 302
    fig.refresh_from_db()
    assert fig.value == 13 and fig.version == 2


def test_a_deputy_cannot_post_manual_figures(deputy_user, client_as):
    response = client_as(deputy_user).post("/dashboard/manual/?year=2025", {"figure_key": "x", "label": "x", "value": 1,
                                                                           "reason": "x"})
    assert response.status_code == 403
    assert not ManualFigure.objects.exists()


# ------------------------------------------------------------------- role dashboards
def _tile(html, label):
    match = re.search(rf'data-tile="{label}">.*?tile-value[^>]*>([^<]*)<', html, re.S)
    assert match, label
    return match.group(1).strip()


@time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_unit_dashboard_shows_assigned_due_overdue_and_ratings(unit_clerk, client_as, term, unit, other_unit):
    sess = b.session(2025)
    b.assignment(sug=b.suggestion(sess=sess, status="assigned"), unit=unit, status="assigned",
                 due_date=dt.date(2025, 8, 1))
    b.assignment(sug=b.suggestion(sess=sess), unit=unit, status="signed", due_date=dt.date(2025, 6, 5))
    b.assignment(sug=b.suggestion(sess=sess), unit=unit, status="signed", due_date=dt.date(2025, 5, 1))
    done = b.assignment(sug=b.suggestion(sess=sess, status="replied"), unit=unit, status="replied")
    b.evaluation(asg=done, result="unsatisfied")
    b.assignment(sug=b.suggestion(sess=sess), unit=other_unit, status="signed", due_date=dt.date(2025, 5, 1))
    html = client_as(unit_clerk).get("/dashboard/mine/").content.decode()
    assert _tile(html, "交办本单位的建议") == "4"
    assert _tile(html, "待签收") == "1"
    assert _tile(html, "本周到期") == "1"
    assert _tile(html, "已逾期") == "1"
    assert _tile(html, "代表满意率") == "0.0%"
    assert "tile-red" in html


@time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_deputy_dashboard_lists_my_items_and_their_steps(deputy_user, other_deputy_user, client_as, term, unit):
    sess = b.session(2025)
    mine = b.suggestion(sess=sess, status="replied", lead=deputy_user.deputy, replied_on=dt.date(2025, 4, 1))
    b.reply(asg=b.assignment(sug=mine, unit=unit, status="replied"))  # waiting for my rating
    rated = b.suggestion(sess=sess, status="replied", lead=deputy_user.deputy, replied_on=dt.date(2025, 4, 1))
    b.evaluation(asg=b.assignment(sug=rated, unit=unit, status="replied"))  # already rated
    b.suggestion(sess=sess, lead=other_deputy_user.deputy)
    html = client_as(deputy_user).get("/dashboard/mine/").content.decode()
    assert mine.title in html
    assert html.count("<tr>") - 1 == 2  # only my own items in the table (header row excluded)
    assert _tile(html, "待我评价") == "1"
    assert 'class="step done"' in html


def test_assigning_office_dashboard_shows_what_waits_for_it(assigning_clerk, client_as, term):
    sess = b.session(2025)
    b.suggestion(sess=sess, status="submitted", assigned=False)
    b.suggestion(sess=sess, status="under_review", assigned=False)
    b.suggestion(sess=sess, status="under_review", assigned=False)
    b.suggestion(sess=sess, status="accepted", assigned=False)
    html = client_as(assigning_clerk).get("/dashboard/mine/").content.decode()
    assert _tile(html, "待登记") == "1"
    assert _tile(html, "待审查") == "2"
    assert _tile(html, "待交办") == "1"


@time_machine.travel(dt.datetime(2025, 6, 20, 9, 0, tzinfo=dt.UTC), tick=False)
def test_staff_dashboard_shows_my_office_items(staff_user, client_as, office, other_office):
    p = b.plan(year=2025)
    b.plan_item(plan_obj=p, office=office, due_date=dt.date(2025, 6, 1))  # overdue
    b.plan_item(plan_obj=p, office=office, due_date=dt.date(2025, 6, 24), last_progress_on=dt.date(2025, 6, 3))
    b.plan_item(plan_obj=p, office=office, status="done", due_date=dt.date(2025, 5, 1))
    b.plan_item(plan_obj=p, office=other_office, due_date=dt.date(2025, 6, 1))
    html = client_as(staff_user).get("/dashboard/mine/").content.decode()
    assert _tile(html, "计划事项已逾期") == "1"
    assert _tile(html, "计划事项本周到期") == "1"
    assert _tile(html, "本月进度待报送") == "1"


# ------------------------------------------------------------------- home widget
def test_leaders_home_shows_the_headline_figures_linked_to_their_lists(director, staff_user):
    from congress.workdays import today
    from dashboards.home import widgets

    b.meeting(on=today())
    b.meeting(on=today(), status=Meeting.Status.CANCELLED)
    [widget] = widgets(director)
    row = next(r for r in widget.rows if r.label == "常委会会议")
    assert row.note == "1次"
    assert row.url == f"/dashboard/records/standing_meetings/?year={today().year}"
    assert widgets(staff_user) == []


def test_leaders_home_widget_queries_do_not_grow(director):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congress.workdays import today
    from dashboards.home import widgets

    def count():
        with CaptureQueriesContext(connection) as ctx:
            widgets(director)
        return len(ctx.captured_queries)

    b.meeting(on=today())
    few = count()
    for _ in range(20):
        b.meeting(on=today())
    assert count() == few <= 5  # meetings, agenda, decisions, suggestions, evaluations


def test_dashboard_script_labels_are_translated_in_the_page(director, client_as):
    html = client_as(director).get("/dashboard/").content.decode()
    assert 'id="dashboard-labels"' in html and "\\u624b\\u5de5\\u586b\\u62a5" in html  # 手工填报
