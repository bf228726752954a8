"""Services: each type's steps and deadlines, the opinion loop, votes, typed records, and
the refusals (wrong role, wrong office, wrong unit, wrong state, stale version)."""

import datetime as dt
import io

import openpyxl
import pytest
from docx import Document

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.history import history_for
from congress.models import Notification
from supervision import choices as c
from supervision import documents, services
from supervision.models import AuditProblem, DeliberationOpinion, SupervisionStep
from tests import factories as f

from .conftest import TODAY, refresh

T = c.SupervisionType


def steps(item):
    return {s.code: s for s in SupervisionStep.objects.filter(item=item)}


# --- items and steps ------------------------------------------------------------------

def test_special_report_heard_at_a_meeting_gets_its_steps_and_deadlines(heard_item, agenda_item):
    # given a special report linked to the agenda item of the meeting of Friday 20 June 2025
    item = heard_item
    # then it takes the meeting and its date, and each step has the deadline of its rule
    assert item.meeting == agenda_item.meeting
    assert item.hearing_date == dt.date(2025, 6, 20)
    s = steps(item)
    assert list(s) == [st.code for st in c.steps_for(T.SPECIAL_REPORT)]
    assert s["draft_report"].due_date == dt.date(2025, 5, 31)  # T-20
    assert s["final_report"].due_date == dt.date(2025, 6, 10)  # T-10
    assert s["member_notice"].due_date == dt.date(2025, 6, 13)  # T-7
    assert s["heard"].due_date == dt.date(2025, 6, 20)
    assert s["issue_opinions"].due_date == dt.date(2025, 6, 27)  # 5 working days
    assert s["handling_report"].due_date is None  # counted from the issue date
    assert history_for(item).filter(action="create").exists()


@pytest.mark.parametrize("kind", c.SupervisionType.values)
def test_every_type_records_its_own_steps(kind, make_item, meeting, frozen):
    # given every anchor date known
    item = make_item(kind=kind, meeting=meeting, start_date=dt.date(2025, 5, 12), end_date=dt.date(2025, 5, 16),
                     audit_report_date=dt.date(2025, 6, 20))
    s = steps(item)
    table = c.steps_for(kind)
    # then one step per row of the table, and every rule whose anchor is known has a deadline
    assert [x.code for x in table] == list(s)
    for definition in table:
        if definition.rule is not None and definition.rule.anchor != c.Anchor.OPINIONS_ISSUED:
            assert s[definition.code].due_date is not None, (kind, definition.code)
        assert s[definition.code].is_optional == definition.optional


def test_inspection_plan_step_is_ten_days_before_fieldwork(make_item, frozen):
    item = make_item(kind=T.LAW_INSPECTION, start_date=dt.date(2025, 9, 15), end_date=dt.date(2025, 9, 19),
                     law_name="中华人民共和国大气污染防治法", inspection_forms=["site", "joint"])
    assert steps(item)["plan_sent"].due_date == dt.date(2025, 9, 5)


def test_audit_rectification_report_step_is_six_months_after_audit_report(make_item, frozen):
    item = make_item(kind=T.AUDIT_RECTIFICATION, audit_report_date=dt.date(2025, 6, 26))
    assert steps(item)["rectification_report"].due_date == dt.date(2025, 12, 26)


def test_moving_the_meeting_moves_the_deadlines(heard_item, term, staff_user, frozen):
    later = f.MeetingFactory(term=term, number=30, start_date=dt.date(2025, 8, 27))
    services.item_update(actor=staff_user, item=heard_item, version=heard_item.version, meeting=later, agenda_item=None)
    s = steps(heard_item)
    assert refresh(heard_item).hearing_date == dt.date(2025, 8, 27)
    assert s["draft_report"].due_date == dt.date(2025, 8, 7)
    assert history_for(heard_item).filter(summary="修改监督事项").exists()


def test_stale_version_is_refused(heard_item, staff_user, frozen):
    services.item_update(actor=staff_user, item=heard_item, version=heard_item.version, title="新题目")
    with pytest.raises(EditConflict):
        services.item_update(actor=staff_user, item=heard_item, version=1, title="另一个题目")


def test_staff_of_another_office_cannot_edit_or_create_for_the_office(heard_item, other_staff_user, office, frozen):
    with pytest.raises(NotAllowed):
        services.item_update(actor=other_staff_user, item=heard_item, version=heard_item.version, title="x")
    with pytest.raises(ServiceError):
        services.item_create(actor=other_staff_user, kind=T.RESEARCH, title="调研", lead_office=office)


@pytest.mark.parametrize("who", ["unit_clerk", "deputy_user", "director", "vice_director"])
def test_non_staff_cannot_create_items(who, request, frozen):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.item_create(actor=user, kind=T.RESEARCH, title="调研")


def test_budget_review_requires_what_it_examines(staff_user, frozen):
    with pytest.raises(ServiceError) as exc:
        services.item_create(actor=staff_user, kind=T.BUDGET_REVIEW, title="决算", finance_kind="")
    assert "finance_kind" in exc.value.error_dict


def test_item_cannot_be_heard_at_a_council_of_chairpersons(staff_user, chair_meeting, frozen):
    with pytest.raises(ServiceError):
        services.item_create(actor=staff_user, kind=T.SPECIAL_REPORT, title="x", meeting=chair_meeting)


def test_step_complete_and_wrong_state(heard_item, staff_user, other_staff_user, frozen):
    step = SupervisionStep.objects.get(item=heard_item, code="draft_report")
    with pytest.raises(NotAllowed):
        services.step_complete(actor=other_staff_user, step=step, version=step.version)
    services.step_complete(actor=staff_user, step=step, version=step.version, done_on=dt.date(2025, 5, 30))
    step.refresh_from_db()
    assert step.done_on == dt.date(2025, 5, 30)
    with pytest.raises(ServiceError):
        services.step_complete(actor=staff_user, step=step, version=step.version)


def test_required_step_cannot_be_skipped(heard_item, staff_user, frozen):
    step = SupervisionStep.objects.get(item=heard_item, code="heard")
    with pytest.raises(ServiceError):
        services.step_update(actor=staff_user, step=step, version=step.version, skipped=True)
    optional = SupervisionStep.objects.get(item=heard_item, code="prior_research")
    services.step_update(actor=staff_user, step=optional, version=optional.version, skipped=True)
    assert refresh(optional).skipped


def test_transition_follows_the_table(heard_item, staff_user, frozen):
    with pytest.raises(ServiceError):
        services.item_transition(actor=staff_user, item=heard_item, to_status=c.ItemStatus.REPORTED,
                                 version=heard_item.version)
    with pytest.raises(ServiceError):  # cancelling needs a reason
        services.item_transition(actor=staff_user, item=heard_item, to_status=c.ItemStatus.CANCELLED,
                                 version=heard_item.version)
    services.item_transition(actor=staff_user, item=heard_item, to_status=c.ItemStatus.HEARD, version=heard_item.version)
    assert refresh(heard_item).status == c.ItemStatus.HEARD
    assert steps(heard_item)["heard"].done_on == dt.date(2025, 6, 20)


# --- the deliberation-opinion loop ------------------------------------------------------

def run_loop_to_issue(item, staff_user, chair_meeting, issued_on=TODAY, report_due=None):
    op = services.opinion_compile(actor=staff_user, item=item, text="一、进一步优化教育资源配置。\n二、加强教师队伍建设。",
                                  compiled_on=dt.date(2025, 6, 23))
    op = services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=chair_meeting)
    return services.opinion_issue(actor=staff_user, opinion=op, version=op.version, issued_on=issued_on,
                                  in_person=True, report_due=report_due)


def test_opinion_loop_end_to_end(heard_item, staff_user, unit_clerk, unit_head, chair_meeting, frozen):
    # when the office compiles, records approval and issues the opinions
    op = run_loop_to_issue(heard_item, staff_user, chair_meeting)
    # then the body's report is due 3 months after issue, and the body is told
    assert op.status == c.OpinionStatus.ISSUED
    assert op.issue_due == dt.date(2025, 6, 27)
    assert op.approved_on == dt.date(2025, 6, 24)
    assert op.report_due == dt.date(2025, 9, 25)
    s = steps(heard_item)
    assert s["compile_opinions"].done_on and s["approve_opinions"].done_on
    assert s["issue_opinions"].done_on == TODAY
    assert s["handling_report"].due_date == dt.date(2025, 9, 25)
    assert refresh(heard_item).status == c.ItemStatus.OPINIONS_ISSUED
    told = Notification.objects.filter(title__startswith="审议意见交办")
    assert set(told.values_list("recipient__username", flat=True)) == {unit_clerk.username, unit_head.username}
    # when the body's clerk submits its handling report
    op = services.opinion_submit_report(actor=unit_clerk, opinion=op, version=op.version, report_text="已逐条研究落实。")
    assert op.status == c.OpinionStatus.REPORTED
    assert steps(heard_item)["handling_report"].done_on == TODAY
    assert Notification.objects.filter(recipient=staff_user, title__startswith="研究处理情况已报送").count() == 1
    # then the office follows up and closes the round
    op = services.opinion_follow_up(actor=staff_user, opinion=op, version=op.version, note="实地察看落实情况", close=True)
    assert op.status == c.OpinionStatus.CLOSED
    assert refresh(heard_item).status == c.ItemStatus.FOLLOW_UP


def test_opinions_cannot_be_issued_before_approval(heard_item, staff_user, frozen):
    op = services.opinion_compile(actor=staff_user, item=heard_item, text="意见")
    with pytest.raises(ServiceError):
        services.opinion_issue(actor=staff_user, opinion=op, version=op.version)


def test_opinion_approval_must_be_a_council_of_chairpersons(heard_item, staff_user, meeting, frozen):
    op = services.opinion_compile(actor=staff_user, item=heard_item, text="意见")
    with pytest.raises(ServiceError):
        services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=meeting)


def test_opinions_need_a_hearing(make_item, staff_user, frozen):
    item = make_item()
    with pytest.raises(ServiceError):
        services.opinion_compile(actor=staff_user, item=item, text="意见")


def test_types_without_opinions_refuse_them(make_item, staff_user, meeting, frozen):
    item = make_item(kind=T.RESEARCH, meeting=meeting)
    with pytest.raises(ServiceError):
        services.opinion_compile(actor=staff_user, item=item, text="意见")


def test_budget_opinions_are_answered_in_two_months(make_item, meeting, staff_user, chair_meeting, frozen):
    item = make_item(kind=T.BUDGET_REVIEW, meeting=meeting)
    op = run_loop_to_issue(item, staff_user, chair_meeting)
    assert op.report_due == dt.date(2025, 8, 25)


def test_a_resolution_date_overrides_the_period(heard_item, staff_user, chair_meeting, frozen):
    op = run_loop_to_issue(heard_item, staff_user, chair_meeting, report_due=dt.date(2025, 12, 31))
    assert op.report_due == dt.date(2025, 12, 31) and op.report_due_by_resolution
    assert steps(heard_item)["handling_report"].due_date == dt.date(2025, 12, 31)


def test_only_the_body_or_the_lead_office_submits_the_report(
    heard_item, staff_user, other_staff_user, other_unit_clerk, deputy_user, chair_meeting, frozen
):
    op = run_loop_to_issue(heard_item, staff_user, chair_meeting)
    for user in (other_unit_clerk, other_staff_user, deputy_user):
        with pytest.raises(NotAllowed):
            services.opinion_submit_report(actor=user, opinion=op, version=op.version, report_text="x")
    # the lead office may record a report received on paper
    services.opinion_submit_report(actor=staff_user, opinion=op, version=op.version, report_text="纸质报告已收到")


def test_empty_report_is_refused_with_the_field(heard_item, staff_user, unit_clerk, chair_meeting, frozen):
    op = run_loop_to_issue(heard_item, staff_user, chair_meeting)
    with pytest.raises(ServiceError) as exc:
        services.opinion_submit_report(actor=unit_clerk, opinion=op, version=op.version, report_text="  ")
    assert "report_text" in exc.value.error_dict


# --- satisfaction votes ---------------------------------------------------------------

def test_satisfied_vote_is_recorded_with_its_rule(heard_item, staff_user, frozen):
    vote = services.vote_record(actor=staff_user, item=heard_item, voted_on=TODAY, members_total=40, satisfied=21,
                                basically_satisfied=15, dissatisfied=2)
    assert vote.result == c.VoteResult.SATISFIED
    assert "超过组成人员40人的半数" in vote.explanation
    assert steps(heard_item)["satisfaction_vote"].done_on == TODAY


def test_exactly_half_satisfied_is_only_basically_satisfied(heard_item, staff_user, frozen):
    vote = services.vote_record(actor=staff_user, item=heard_item, voted_on=TODAY, members_total=40, satisfied=20,
                                basically_satisfied=1, dissatisfied=0)
    assert vote.result == c.VoteResult.BASICALLY_SATISFIED


def test_dissatisfied_vote_opens_a_re_report(heard_item, staff_user, unit_clerk, chair_meeting, frozen):
    op = run_loop_to_issue(heard_item, staff_user, chair_meeting)
    services.opinion_submit_report(actor=unit_clerk, opinion=op, version=op.version, report_text="已落实")
    # when exactly half vote 满意 or 基本满意
    vote = services.vote_record(actor=staff_user, item=heard_item, voted_on=TODAY, members_total=40, satisfied=10,
                                basically_satisfied=10, dissatisfied=15)
    # then the result is 不满意 and a second round opens for the body to report again
    assert vote.result == c.VoteResult.DISSATISFIED
    rounds = list(DeliberationOpinion.objects.filter(item=heard_item).order_by("round"))
    assert [r.status for r in rounds] == [c.OpinionStatus.CLOSED, c.OpinionStatus.ISSUED]
    assert rounds[1].report_due == dt.date(2025, 9, 25)
    re_step = SupervisionStep.objects.get(item=heard_item, code="re_report_2")
    assert re_step.due_date == dt.date(2025, 9, 25)
    assert refresh(heard_item).status == c.ItemStatus.OPINIONS_ISSUED
    # both rounds keep their history: the first closed by the vote, the second opened by it
    assert history_for(rounds[0]).filter(summary__contains="转入再次报告").exists()
    assert history_for(rounds[1]).filter(action="create").exists()
    # and the body answers the second round
    services.opinion_submit_report(actor=unit_clerk, opinion=rounds[1], version=rounds[1].version, report_text="整改后再次报告")
    assert refresh(re_step).done_on == TODAY


def test_vote_counts_beyond_membership_are_refused(heard_item, staff_user, frozen):
    with pytest.raises(ServiceError) as exc:
        services.vote_record(actor=staff_user, item=heard_item, voted_on=TODAY, members_total=10, satisfied=8,
                             basically_satisfied=2, dissatisfied=1)
    assert "dissatisfied" in exc.value.error_dict


def test_vote_by_other_office_refused(heard_item, other_staff_user, frozen):
    with pytest.raises(NotAllowed):
        services.vote_record(actor=other_staff_user, item=heard_item, voted_on=TODAY, members_total=10, satisfied=8,
                             basically_satisfied=2, dissatisfied=0)


# --- audit rectification -------------------------------------------------------------

def workbook(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["江州市2024年度市级预算执行审计查出问题清单"])
    ws.append(["序号", "问题", "问题类别", "涉及金额（万元）", "责任单位", "整改类型", "整改期限"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "problems.xlsx"
    return buf


@pytest.fixture
def audit_item(make_item, staff_user, frozen):
    return make_item(kind=c.SupervisionType.AUDIT_RECTIFICATION, audit_report_date=dt.date(2025, 6, 20))


def test_audit_problems_import_from_excel(audit_item, staff_user, unit, other_unit):
    file = workbook([
        ["1", "部分专项资金未及时拨付", "预算执行", 1250.5, unit.name, "限期整改", "2025-12-31"],
        ["2", "政府采购程序不规范", "政府采购", None, other_unit.name, "持续整改", None],
        [None, None, None, None, None, None, None],
    ])
    created = services.audit_problems_import(actor=staff_user, item=audit_item, file=file)
    assert len(created) == 2
    p1, p2 = AuditProblem.objects.filter(item=audit_item).order_by("id")
    assert p1.responsible_unit == unit and p1.amount == 1250.5 and p1.due_date == dt.date(2025, 12, 31)
    assert p2.rectification_kind == c.RectificationKind.ONGOING
    assert steps(audit_item)["problem_list"].done_on == TODAY


def test_audit_import_refuses_bad_rows_and_keeps_nothing(audit_item, staff_user):
    file = workbook([["1", "问题甲", "", "很多", "不存在的局", "马上整改", "明天"]])
    with pytest.raises(ServiceError) as exc:
        services.audit_problems_import(actor=staff_user, item=audit_item, file=file)
    text = " ".join(exc.value.error_dict["file"][0].messages)
    assert "第3行" in text and "金额" in text and "不存在的局" in text and "整改类型" in text
    assert not AuditProblem.objects.exists()


def test_audit_import_needs_a_header(audit_item, staff_user):
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    with pytest.raises(ServiceError):
        services.audit_problems_import(actor=staff_user, item=audit_item, file=buf)


def test_rectification_evidence_and_rate(audit_item, staff_user, unit, other_unit, unit_clerk, other_unit_clerk):
    p1 = services.audit_problem_save(actor=staff_user, item=audit_item, description="问题一", responsible_unit=unit)
    p2 = services.audit_problem_save(actor=staff_user, item=audit_item, description="问题二", responsible_unit=other_unit)
    # the responsible unit submits evidence; another unit may not (unless it is the item's target body)
    p2.refresh_from_db()
    stranger = f.UserFactory(role="unit_clerk", unit=f.HandlingUnitFactory())
    with pytest.raises(NotAllowed):
        services.audit_problem_submit_evidence(actor=stranger, problem=p2, version=p2.version, measures="x", evidence="y")
    p2 = services.audit_problem_submit_evidence(actor=other_unit_clerk, problem=p2, version=p2.version,
                                                measures="完善采购制度", evidence="制度文件", finished=True)
    assert p2.status == c.ProblemStatus.EVIDENCE_SUBMITTED
    with pytest.raises(NotAllowed):
        services.audit_problem_verify(actor=other_unit_clerk, problem=p2, version=p2.version)
    services.audit_problem_verify(actor=staff_user, problem=p2, version=p2.version, rules_adopted=2)
    from supervision.models import SupervisionItem
    from supervision.selectors import audit_problems

    figures = audit_problems(SupervisionItem.objects.all(), 2025)
    assert figures["total"] == 2 and figures["rectified"] == 1 and figures["rate"] == 50.0
    assert p1.status == c.ProblemStatus.PENDING


def test_audit_problems_only_on_audit_items(make_item, staff_user, frozen):
    item = make_item(kind=c.SupervisionType.RESEARCH)
    with pytest.raises(ServiceError):
        services.audit_problem_save(actor=staff_user, item=item, description="问题")


# --- livelihood projects ----------------------------------------------------------------

@pytest.fixture
def livelihood(make_item, staff_user, unit, other_unit, frozen):
    item = make_item(kind=c.SupervisionType.LIVELIHOOD, title="2025年民生实事项目")
    projects = [
        services.project_save(actor=staff_user, item=item, name=n, department=d, budget=b)
        for n, d, b in [("新建改扩建中小学5所", unit, 32000), ("老旧小区改造30个", other_unit, 18000),
                        ("城区停车位2000个", other_unit, 6000)]
    ]
    return item, projects


def test_livelihood_vote_picks_the_seats_with_a_majority(livelihood, staff_user):
    item, (a, b, cand) = livelihood
    ranked = services.project_votes_record(
        actor=staff_user, item=item, voters_total=400, seats=2,
        votes={a.pk: (380, 10, 10), b.pk: (350, 30, 20), cand.pk: (150, 200, 50)},
    )
    status = {p.name: p.status for p in ranked}
    assert status[a.name] == status[b.name] == c.ProjectStatus.ELECTED
    assert status[cand.name] == c.ProjectStatus.NOT_ELECTED


def test_livelihood_vote_refuses_counts_over_voters(livelihood, staff_user):
    item, (a, b, cand) = livelihood
    with pytest.raises(ServiceError):
        services.project_votes_record(actor=staff_user, item=item, voters_total=100, seats=2,
                                      votes={a.pk: (90, 20, 0), b.pk: (50, 0, 0), cand.pk: (10, 0, 0)})


def test_department_reports_progress_and_slippage_letter(livelihood, staff_user, unit_clerk, other_unit_clerk):
    item, (a, b, cand) = livelihood
    services.project_votes_record(actor=staff_user, item=item, voters_total=400, seats=3,
                                  votes={a.pk: (380, 0, 0), b.pk: (350, 0, 0), cand.pk: (300, 0, 0)})
    a.refresh_from_db()
    services.milestone_save(actor=staff_user, project=a, title="完成立项和设计", due_date=dt.date(2025, 3, 31),
                            done_on=dt.date(2025, 3, 20))
    services.milestone_save(actor=staff_user, project=a, title="主体工程开工", due_date=dt.date(2025, 5, 31))
    with pytest.raises(NotAllowed):
        services.project_progress(actor=other_unit_clerk, project=a, version=a.version, percent=30, note="x")
    a = services.project_progress(actor=unit_clerk, project=a, version=a.version, percent=30, note="设计完成，招标中")
    assert a.progress_percent == 30
    slipped = documents.slipped_milestones(a, TODAY)
    assert [m.title for m in slipped] == ["主体工程开工"]
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.reminder_letter(a, TODAY))).paragraphs)
    assert "主体工程开工" in text and unit_clerk.unit.name in text and "滞后25天" in text


# --- appraisals, interpellations, filing review ------------------------------------------------

def test_appraisal_vote_and_rectification(make_item, staff_user, unit, unit_clerk, other_unit_clerk, frozen):
    item = make_item(kind=c.SupervisionType.PERFORMANCE_APPRAISAL, title="对市中级人民法院审判员履职评议")
    t = services.appraisal_target_save(actor=staff_user, item=item, person_name="许文静", position="审判员", unit=unit,
                                       rectification_due=dt.date(2025, 12, 31))
    t = services.appraisal_vote(actor=staff_user, target=t, version=t.version, members_total=41, satisfied=20,
                                basically_satisfied=1, dissatisfied=0)
    assert t.result == c.VoteResult.BASICALLY_SATISFIED
    with pytest.raises(NotAllowed):
        services.appraisal_rectification(actor=other_unit_clerk, target=t, version=t.version, report="x")
    t = services.appraisal_rectification(actor=unit_clerk, target=t, version=t.version, report="已整改")
    assert t.rectified_on == TODAY


def test_interpellation_needs_five_members_and_second_answer(make_item, staff_user, unit, unit_clerk, frozen):
    item = make_item(kind=c.SupervisionType.INTERPELLATION, title="关于某化工企业违法排污问题的质询")
    with pytest.raises(ServiceError) as exc:
        services.interpellation_create(actor=staff_user, item=item, subject="排污", proposer_names="甲\n乙\n丙\n丁",
                                       submitted_on=TODAY)
    assert "5人以上" in str(exc.value.error_dict["proposer_names"][0].messages[0])
    q = services.interpellation_create(actor=staff_user, item=item, subject="排污", proposer_names="甲、乙、丙、丁、戊",
                                       submitted_on=TODAY)
    assert q.proposer_count == 5 and q.addressed_unit == unit
    q = services.interpellation_answer(actor=unit_clerk, inter=q, version=q.version, answered_on=TODAY, answer_text="已查处")
    q = services.interpellation_record_dissatisfaction(actor=staff_user, inter=q, version=q.version, dissatisfied_count=3)
    assert q.second_answer_required
    assert not steps(item)["second_answer"].skipped
    q = services.interpellation_answer(actor=unit_clerk, inter=q, version=q.version, answered_on=TODAY,
                                       answer_text="补充答复", second=True)
    assert q.second_answered_on == TODAY


def test_filing_review_periods(make_item, staff_user, unit, unit_clerk, other_unit_clerk, frozen):
    item = make_item(kind=c.SupervisionType.FILING_REVIEW, title="2025年规范性文件备案审查")
    doc = services.filed_document_create(actor=staff_user, item=item, title="江州市城市绿化管理办法",
                                         published_on=dt.date(2025, 5, 6), filed_on=dt.date(2025, 6, 10), maker=unit)
    # filed within 30 days of publication (5 June) is late here; review due 3 months after filing
    assert doc.filing_due == dt.date(2025, 6, 5) and doc.filed_late
    assert doc.review_due == dt.date(2025, 9, 10)
    doc = services.filed_document_review(actor=staff_user, doc=doc, version=doc.version, finding="第十条与上位法不一致",
                                         problem=True)
    assert doc.answer_due == dt.date(2025, 7, 25)
    assert Notification.objects.filter(recipient=unit_clerk, title__startswith="备案审查意见").exists()
    with pytest.raises(NotAllowed):
        services.filed_document_answer(actor=other_unit_clerk, doc=doc, version=doc.version)
    doc = services.filed_document_answer(actor=unit_clerk, doc=doc, version=doc.version)
    assert doc.status == c.FilingStatus.CORRECTED


def test_attachment_upload_by_body_and_refusal(heard_item, unit_clerk, other_unit_clerk, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    att = services.attachment_add(actor=unit_clerk, item=heard_item,
                                  file=SimpleUploadedFile("报告.pdf", b"%PDF-1.4"), kind="报告")
    assert att.object_id == heard_item.pk
    with pytest.raises(NotAllowed):
        services.attachment_add(actor=other_unit_clerk, item=heard_item, file=SimpleUploadedFile("x.pdf", b"x"))


def test_preparation_step_records_the_agenda_receipt(heard_item, staff_user, agenda_item, frozen):
    # given the draft report step done on the item
    step = SupervisionStep.objects.get(item=heard_item, code="draft_report")
    services.step_complete(actor=staff_user, step=step, version=step.version, done_on=dt.date(2025, 5, 29))
    # then the agenda item shows the receipt, so the meeting-preparation reminders stop too
    agenda_item.refresh_from_db()
    assert agenda_item.draft_report_received_on == dt.date(2025, 5, 29)
    assert history_for(agenda_item).exists()


def test_finance_calendar_step_only_for_summer_reviews(make_item, meeting, frozen):
    final = make_item(kind=T.BUDGET_REVIEW, finance_kind=c.FinanceKind.FINAL_ACCOUNTS)
    adjustment = make_item(kind=T.BUDGET_REVIEW, finance_kind=c.FinanceKind.BUDGET_ADJUSTMENT)
    assert steps(final)["schedule"].due_date == dt.date(2025, 6, 30) and not steps(final)["schedule"].skipped
    assert steps(adjustment)["schedule"].skipped
    heard = make_item(kind=T.BUDGET_REVIEW, finance_kind=c.FinanceKind.MIDYEAR_EXECUTION, meeting=meeting)
    assert steps(heard)["schedule"].done_on == TODAY


def test_vote_cannot_be_recounted_once_departments_report(livelihood, staff_user, unit_clerk):
    item, (a, b, cand) = livelihood
    votes = {a.pk: (380, 0, 0), b.pk: (350, 0, 0), cand.pk: (100, 0, 0)}
    services.project_votes_record(actor=staff_user, item=item, voters_total=400, seats=2, votes=votes)
    # a correction before any progress is fine
    services.project_votes_record(actor=staff_user, item=item, voters_total=400, seats=2, votes=votes)
    a.refresh_from_db()
    services.project_progress(actor=unit_clerk, project=a, version=a.version, percent=100, note="已建成投用")
    with pytest.raises(ServiceError) as exc:
        services.project_votes_record(actor=staff_user, item=item, voters_total=400, seats=2,
                                      votes={a.pk: (100, 0, 0), b.pk: (350, 0, 0), cand.pk: (380, 0, 0)})
    assert a.name in str(exc.value)
    assert refresh(a).status == c.ProjectStatus.COMPLETED


def test_finance_session_outside_june_to_september_is_not_scheduled(make_item, staff_user, meeting, term, frozen):
    """Supervision Law art. 17-18: a November session leaves the schedule step open (warned);
    moving the item to the June session closes it, moving it away reopens it."""
    november = f.MeetingFactory(term=term, number=40, start_date=dt.date(2025, 11, 20))
    item = make_item(kind=T.BUDGET_REVIEW, finance_kind=c.FinanceKind.FINAL_ACCOUNTS, meeting=november)
    assert steps(item)["schedule"].done_on is None
    item = services.item_update(actor=staff_user, item=item, version=item.version, meeting=meeting)
    assert steps(item)["schedule"].done_on == TODAY
    services.item_update(actor=staff_user, item=item, version=item.version, meeting=november)
    assert steps(item)["schedule"].done_on is None


def test_audit_import_accepts_unit_names_without_the_city(audit_item, staff_user, unit):
    f.HandlingUnitFactory(name="江州市教育局机关服务中心")  # does not end with the short name
    file = workbook([["1", "问题甲", "", None, "市教育局", "限期整改", None],
                     ["2", "问题乙", "", None, "教育局", "限期整改", None]])
    created = services.audit_problems_import(actor=staff_user, item=audit_item, file=file)
    assert [p.responsible_unit for p in created] == [unit, unit]
    ambiguous = f.HandlingUnitFactory(name="临江县教育局")
    with pytest.raises(ServiceError) as exc:
        services.audit_problems_import(actor=staff_user, item=audit_item, file=workbook([["1", "问题丙", "", None, "教育局", "", None]]))
    assert "教育局" in " ".join(exc.value.error_dict["file"][0].messages)
    assert ambiguous.pk
