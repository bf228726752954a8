"""Pages: the list with its filter panel (same FilterSet as the API) and Excel export, the
item page per role, the action forms (errors next to the field, input kept, 409 on a
stale version), the meeting page and the home widgets."""

import io

import openpyxl
import pytest
from django.urls import reverse

from congress.history import history_for
from supervision import choices as c
from supervision.models import SupervisionItem, SupervisionStep

LIST = "/supervision/"


@pytest.fixture
def items(heard_item, make_item, other_unit, frozen):
    other = make_item(kind=c.SupervisionType.RESEARCH, title="关于住房保障的调研", target_unit=other_unit)
    return heard_item, other


def test_list_page_filters_like_the_api(items, client_as, director, api_client):
    mine, other = items
    page = client_as(director).get(LIST, {"kind": "research"})
    assert page.status_code == 200
    text = page.content.decode()
    assert other.title in text and mine.title not in text
    api = api_client(director).get("/api/v1/supervision/items/", {"kind": "research"}).json()
    assert [r["id"] for r in api["results"]] == [other.pk]
    overdue = client_as(director).get(LIST, {"overdue": "true"}).content.decode()
    assert mine.title in overdue and other.title not in overdue
    # the filter panel is rendered from the FilterSet's form
    for name in ("kind", "year", "body", "lead_office", "status", "overdue"):
        assert f'name="{name}"' in text


def test_list_page_scoped_for_a_unit(items, client_as, other_unit_clerk):
    mine, other = items
    text = client_as(other_unit_clerk).get(LIST).content.decode()
    assert other.title in text and mine.title not in text


def test_excel_export_follows_filters_and_scope(items, client_as, unit_clerk):
    mine, other = items
    resp = client_as(unit_clerk).get(LIST, {"format": "xlsx"})
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(resp.getvalue()))
    titles = [row[2] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert titles == [mine.title]


def test_detail_page_for_roles(heard_item, client_as, staff_user, other_staff_user, other_unit_clerk, deputy_user):
    url = heard_item.get_absolute_url()
    own = client_as(staff_user).get(url).content.decode()
    assert "汇总审议意见" in own and reverse("supervision:item-edit", args=[heard_item.pk]) in own
    assert "变更记录" in own and "报告初稿报送常委会" in own
    assert "满意票超过全体组成人员半数" in own  # the vote rule beside the results
    other = client_as(other_staff_user).get(url).content.decode()
    assert heard_item.title in other and reverse("supervision:item-edit", args=[heard_item.pk]) not in other
    assert client_as(other_unit_clerk).get(url).status_code == 404
    assert client_as(deputy_user).get(url).status_code == 404


def test_edit_page_refuses_other_office(heard_item, client_as, other_staff_user):
    resp = client_as(other_staff_user).get(reverse("supervision:item-edit", args=[heard_item.pk]))
    assert resp.status_code == 302


def test_create_page_prefills_from_agenda_item(client_as, staff_user, agenda_item, frozen):
    page = client_as(staff_user).get(reverse("supervision:item-create"), {"agenda_item": agenda_item.pk})
    assert page.status_code == 200
    assert agenda_item.title in page.content.decode()
    resp = client_as(staff_user).post(reverse("supervision:item-create"), {
        "kind": "special_report", "title": agenda_item.title, "agenda_item": agenda_item.pk, "year": 2025,
    })
    assert resp.status_code == 302
    item = SupervisionItem.objects.get(title=agenda_item.title)
    assert item.hearing_date == agenda_item.meeting.start_date


def test_create_form_shows_service_errors_next_to_field(client_as, staff_user, frozen):
    resp = client_as(staff_user).post(reverse("supervision:item-create"), {
        "kind": "budget_review", "title": "决算审查", "year": 2025, "start_date": "2025-06-10", "end_date": "2025-06-01",
    })
    assert resp.status_code == 200
    text = resp.content.decode()
    assert 'data-field-error="end_date"' in text and "决算审查" in text


def test_edit_conflict_keeps_input(heard_item, client_as, staff_user, frozen):
    url = reverse("supervision:item-edit", args=[heard_item.pk])
    resp = client_as(staff_user).post(url, {"title": "我改的题目", "year": 2025, "version": heard_item.version - 1 or 99,
                                            "agenda_item": heard_item.agenda_item_id})
    assert resp.status_code == 409
    assert "我改的题目" in resp.content.decode() and "data-conflict" in resp.content.decode()


def test_action_form_errors_and_success(heard_item, client_as, staff_user, chair_meeting, frozen):
    client = client_as(staff_user)
    url = reverse("supervision:item-action", args=[heard_item.pk, "opinion-compile"])
    bad = client.post(url, {"text": "意见", "compiled_on": "2025-06-01"})
    assert bad.status_code == 200 and 'data-field-error="compiled_on"' in bad.content.decode()
    assert client.post(url, {"text": "一、加强师资", "compiled_on": "2025-06-23"}).status_code == 302
    op = heard_item.opinions.get()
    approve = reverse("supervision:item-action", args=[heard_item.pk, "opinion-approve"])
    assert client.post(approve, {"obj": op.pk, "version": op.version, "approval_meeting": chair_meeting.pk}).status_code == 302
    stale = client.post(reverse("supervision:item-action", args=[heard_item.pk, "opinion-issue"]),
                        {"obj": op.pk, "version": op.version})
    assert stale.status_code == 409


def test_vote_form_shows_rule_and_result(heard_item, client_as, staff_user, frozen):
    client = client_as(staff_user)
    url = reverse("supervision:item-action", args=[heard_item.pk, "vote"])
    assert "data-vote-rule" in client.get(url).content.decode()
    client.post(url, {"voted_on": "2025-06-20", "members_total": 40, "satisfied": 20, "basically_satisfied": 5,
                      "dissatisfied": 3})
    page = client.get(heard_item.get_absolute_url()).content.decode()
    assert "满意20票未超过半数（20）" in page and "结果为基本满意" in page


def test_unit_submits_report_through_the_page(heard_item, client_as, staff_user, unit_clerk, chair_meeting, frozen):
    from supervision import services

    op = services.opinion_compile(actor=staff_user, item=heard_item, text="意见", compiled_on=heard_item.hearing_date)
    op = services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=chair_meeting)
    op = services.opinion_issue(actor=staff_user, opinion=op, version=op.version)
    client = client_as(unit_clerk)
    page = client.get(heard_item.get_absolute_url()).content.decode()
    assert "报送研究处理情况" in page
    url = reverse("supervision:item-action", args=[heard_item.pk, "opinion-report"])
    assert client.post(url, {"obj": op.pk, "version": op.version, "report_text": "逐条落实"}).status_code == 302
    op.refresh_from_db()
    assert op.status == c.OpinionStatus.REPORTED


def test_action_on_a_record_of_another_item_is_404(heard_item, make_item, client_as, staff_user, frozen):
    other = make_item(title="另一个")
    step = SupervisionStep.objects.filter(item=other).first()
    url = reverse("supervision:item-action", args=[heard_item.pk, "step-complete"])
    assert client_as(staff_user).get(url, {"obj": step.pk}).status_code == 404
    assert client_as(staff_user).get(reverse("supervision:item-action", args=[heard_item.pk, "nope"])).status_code == 404


def test_meeting_page_shows_preparation_deadlines(heard_item, client_as, director, meeting, frozen):
    resp = client_as(director).get(reverse("supervision:meeting-agenda", args=[meeting.pk]))
    text = resp.content.decode()
    assert resp.status_code == 200
    assert heard_item.title in text and "2025-05-31" in text and "2025-06-10" in text
    assert client_as(director).get(reverse("supervision:meeting-list"), {"year": 2025}).status_code == 200


def test_year_overview_page(heard_item, client_as, director, frozen):
    resp = client_as(director).get(reverse("supervision:year"), {"year": 2025})
    assert resp.status_code == 200 and 'data-figure="three_checks"' in resp.content.decode()


def test_home_widgets(heard_item, client_as, staff_user, unit_clerk, chair_meeting, frozen):
    from supervision import services

    page = client_as(staff_user).get("/").content.decode()
    assert "待交办的审议意见" in page and heard_item.title in page
    op = services.opinion_compile(actor=staff_user, item=heard_item, text="意见", compiled_on=heard_item.hearing_date)
    op = services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=chair_meeting)
    services.opinion_issue(actor=staff_user, opinion=op, version=op.version)
    unit_page = client_as(unit_clerk).get("/").content.decode()
    assert "待答复的审议意见" in unit_page and heard_item.title in unit_page


def test_livelihood_letter_download(make_item, client_as, staff_user, unit, other_unit_clerk, frozen):
    import datetime as dt

    from supervision import services

    item = make_item(kind=c.SupervisionType.LIVELIHOOD)
    p = services.project_save(actor=staff_user, item=item, name="新建学校", department=unit)
    url = reverse("supervision:reminder-letter", args=[item.pk, p.pk])
    resp = client_as(staff_user).get(url)
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    assert client_as(other_unit_clerk).get(url).status_code == 404
    services.project_votes_record(actor=staff_user, item=item, voters_total=5, seats=1, votes={p.pk: (5, 0, 0)})
    services.milestone_save(actor=staff_user, project=p, title="开工", due_date=dt.date(2025, 5, 1))
    page = client_as(staff_user).get(item.get_absolute_url()).content.decode()
    assert "生成进度提醒函" in page and "滞后" in page


def test_finance_calendar_warning_on_the_page(make_item, client_as, staff_user, term, frozen):
    import datetime as dt

    from tests import factories as f

    november = f.MeetingFactory(term=term, number=40, start_date=dt.date(2025, 11, 20))
    item = make_item(kind=c.SupervisionType.BUDGET_REVIEW, finance_kind="final_accounts", meeting=november)
    page = client_as(staff_user).get(item.get_absolute_url()).content.decode()
    assert "data-finance-warning" in page and "6月至9月" in page


def test_status_change_through_the_page(heard_item, client_as, staff_user, frozen):
    """The status form carries the item's version; it used to arrive empty and the change was lost silently."""
    client = client_as(staff_user)
    url = reverse("supervision:item-action", args=[heard_item.pk, "transition"])
    form = client.get(url).content.decode()
    assert f'name="version" value="{heard_item.version}"' in form
    resp = client.post(url, {"to_status": "heard", "version": heard_item.version})
    assert resp.status_code == 302
    heard_item.refresh_from_db()
    assert heard_item.status == c.ItemStatus.HEARD
    # a stale form is refused, shown as a conflict with the input kept
    stale = client.post(url, {"to_status": "follow_up", "version": heard_item.version - 1, "reason": "我的理由"})
    assert stale.status_code == 409 and "我的理由" in stale.content.decode()
    # a wrong transition is explained next to the field
    wrong = client.post(url, {"to_status": "planned", "version": heard_item.version})
    assert 'data-field-error="to_status"' in wrong.content.decode()


def test_department_records_a_milestone_reached(make_item, client_as, staff_user, unit, unit_clerk, other_unit_clerk,
                                                frozen):
    import datetime as dt

    from supervision import services

    item = make_item(kind=c.SupervisionType.LIVELIHOOD, target_unit=None)
    p = services.project_save(actor=staff_user, item=item, name="新建学校", department=unit)
    services.project_votes_record(actor=staff_user, item=item, voters_total=5, seats=1, votes={p.pk: (5, 0, 0)})
    m = services.milestone_save(actor=staff_user, project=p, title="开工", due_date=dt.date(2025, 5, 1))
    url = reverse("supervision:item-action", args=[item.pk, "milestone-edit"])
    page = client_as(unit_clerk).get(item.get_absolute_url()).content.decode()
    assert f"{url}?obj={m.pk}" in page and "记录完成" in page
    future = client_as(unit_clerk).post(url, {"obj": m.pk, "version": m.version, "title": "开工",
                                              "due_date": "2025-05-01", "done_on": "2025-07-01"})
    assert 'data-field-error="done_on"' in future.content.decode()
    resp = client_as(unit_clerk).post(url, {"obj": m.pk, "version": m.version, "title": "改了名字",
                                            "due_date": "2025-09-01", "done_on": "2025-05-20"})
    assert resp.status_code == 302
    m.refresh_from_db()
    # the department records the date reached; the plan (title, date) stays the office's
    assert m.done_on == dt.date(2025, 5, 20) and m.title == "开工" and m.due_date == dt.date(2025, 5, 1)
    assert history_for(m).exists()
    page = client_as(staff_user).get(item.get_absolute_url()).content.decode()
    assert "生成进度提醒函" not in page  # no slippage any more
    # another unit never reaches the milestone
    assert client_as(other_unit_clerk).get(f"{url}?obj={m.pk}").status_code == 404


def test_interpellation_answer_link_only_for_who_answers(make_item, client_as, staff_user, other_staff_user, unit,
                                                         unit_clerk, frozen):
    import datetime as dt

    from supervision import services

    item = make_item(kind=c.SupervisionType.INTERPELLATION, title="关于某事项的质询")
    services.interpellation_create(actor=staff_user, item=item, subject="质询事由", proposer_names="甲、乙、丙、丁、戊",
                                   submitted_on=dt.date(2025, 6, 1), addressed_unit=unit)
    assert "interpellation-answer" in client_as(unit_clerk).get(item.get_absolute_url()).content.decode()
    assert "interpellation-answer" in client_as(staff_user).get(item.get_absolute_url()).content.decode()
    assert "interpellation-answer" not in client_as(other_staff_user).get(item.get_absolute_url()).content.decode()


def test_unit_widget_lists_only_opinions_it_answers(heard_item, make_item, client_as, staff_user, other_unit,
                                                    other_unit_clerk, chair_meeting, meeting, frozen):
    """A unit that only owns an audit problem sees the item, but the opinions are the body's to answer."""
    from supervision import services

    audit = make_item(kind=c.SupervisionType.AUDIT_RECTIFICATION, title="审计整改情况报告", meeting=meeting)
    services.audit_problem_save(actor=staff_user, item=audit, description="问题", responsible_unit=other_unit)
    op = services.opinion_compile(actor=staff_user, item=audit, text="意见", compiled_on=audit.hearing_date)
    op = services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=chair_meeting)
    services.opinion_issue(actor=staff_user, opinion=op, version=op.version)
    client = client_as(other_unit_clerk)
    assert client.get(audit.get_absolute_url()).status_code == 200
    assert "审计整改情况报告" not in client.get("/").content.decode()
