"""Services of legislative plans and projects: the step order, who may act, carry-over,
shelving, documents, history and version checks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.exceptions import EditConflict, ServiceError
from congress.history import history_for
from legislation import services_projects as services
from legislation.choices import Category, PlanKind, ProjectStatus, Step, step_sequence
from legislation.models import RegulationProject

from .conftest import advance, walk

pytestmark = pytest.mark.django_db


def test_steps_follow_the_sequence_for_a_city_with_three_readings(settings):
    assert step_sequence() == [
        "initiation", "drafting", "submission", "first_reading", "second_reading", "third_reading", "vote",
        "approval", "publication", "effective", "evaluation",
    ]
    settings.LEGISLATION_READINGS = 2
    settings.LEGISLATION_NEEDS_APPROVAL = False
    assert step_sequence() == [
        "initiation", "drafting", "submission", "first_reading", "second_reading", "vote", "publication",
        "effective", "evaluation",
    ]


def test_staff_take_a_regulation_from_initiation_to_publication(project, legal_staff, meetings):
    project = walk(project, legal_staff, "publication", agenda=meetings[:3])
    assert project.current_step == Step.PUBLICATION
    assert project.status == ProjectStatus.COMPLETED
    assert project.voted_on == dt.date(2026, 6, 28)
    assert project.last_reading_on == dt.date(2026, 6, 25)
    assert project.published_on is not None and project.approved_on is not None
    readings = project.steps.filter(step__in=["first_reading", "second_reading", "third_reading"])
    assert [s.agenda_item_id for s in readings.order_by("date")] == [m.pk for m in meetings[:3]]
    summaries = [e.summary for e in history_for(project)]
    assert "登记环节：公布" in summaries and "登记环节：一审" in summaries


def test_a_step_cannot_be_skipped_or_repeated(project, legal_staff):
    with pytest.raises(ServiceError) as exc:
        advance(project, legal_staff, Step.DRAFTING)
    assert "立项" in str(exc.value)
    advance(project, legal_staff, Step.INITIATION, date=dt.date(2026, 1, 12))
    with pytest.raises(ServiceError):
        advance(project, legal_staff, Step.INITIATION)
    with pytest.raises(ServiceError):
        advance(project, legal_staff, Step.VOTE)


def test_two_readings_go_straight_to_the_vote_where_the_setting_says_so(settings, project, legal_staff):
    settings.LEGISLATION_READINGS = 2
    walk(project, legal_staff, Step.SECOND_READING)
    with pytest.raises(ServiceError):
        advance(project, legal_staff, Step.THIRD_READING)
    advance(project, legal_staff, Step.VOTE)
    project.refresh_from_db()
    assert project.current_step == Step.VOTE


def test_a_city_needs_provincial_approval_before_publication(project, legal_staff):
    walk(project, legal_staff, Step.VOTE)
    with pytest.raises(ServiceError):
        advance(project, legal_staff, Step.PUBLICATION)
    advance(project, legal_staff, Step.APPROVAL)
    project.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.project_record_approval(actor=legal_staff, project=project, approved_on=dt.date(2026, 1, 1),
                                         version=project.version)
    assert "approved_on" in exc.value.error_dict


def test_dates_may_not_go_back_nor_lie_in_the_future(project, legal_staff):
    advance(project, legal_staff, Step.INITIATION, date=dt.date(2026, 3, 1))
    with pytest.raises(ServiceError) as exc:
        advance(project, legal_staff, Step.DRAFTING, date=dt.date(2026, 2, 1))
    assert "date" in exc.value.error_dict
    with pytest.raises(ServiceError) as exc:
        advance(project, legal_staff, Step.DRAFTING, date=dt.date(2026, 12, 1))
    assert "date" in exc.value.error_dict


def test_only_readings_and_the_vote_link_an_agenda_item(project, legal_staff, meetings):
    with pytest.raises(ServiceError) as exc:
        advance(project, legal_staff, Step.INITIATION, agenda_item=meetings[0])
    assert "agenda_item" in exc.value.error_dict


def test_the_lead_committee_and_the_legal_office_keep_a_project(project, staff_user, legal_staff):
    assert services.can_manage_project(staff_user, project)
    assert services.can_manage_project(legal_staff, project)
    advance(project, staff_user, Step.INITIATION)


@pytest.mark.parametrize("who", ["other_staff_user", "vice_director", "director", "deputy_user", "unit_clerk"])
def test_others_only_read(request, project, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        advance(project, user, Step.INITIATION)
    with pytest.raises(PermissionDenied):
        services.project_shelve(actor=user, project=project, reason="x", version=project.version)


def test_only_the_legal_office_and_admins_draw_up_plans(staff_user, admin_user, vice_director):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=staff_user, year=2027)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=vice_director, year=2027)
    plan = services.plan_create(actor=admin_user, kind=PlanKind.FIVE_YEAR, year=2026)
    assert plan.end_year == 2030 and "2026—2030" in plan.title


def test_adopted_plans_need_their_date(legal_staff):
    with pytest.raises(ServiceError) as exc:
        services.plan_create(actor=legal_staff, year=2027, status="adopted")
    assert "adopted_on" in exc.value.error_dict


def test_a_stale_version_is_refused(project, legal_staff, staff_user):
    stale = project.version
    advance(project, staff_user, Step.INITIATION)
    with pytest.raises(EditConflict):
        services.project_advance(actor=legal_staff, project=project, step=Step.DRAFTING, version=stale)
    with pytest.raises(EditConflict):
        services.project_update(actor=legal_staff, project=project, version=stale, title="新名称")


def test_shelving_needs_a_reason_and_stops_the_project(project, legal_staff):
    with pytest.raises(ServiceError) as exc:
        services.project_shelve(actor=legal_staff, project=project, reason=" ", version=project.version)
    assert "reason" in exc.value.error_dict
    services.project_shelve(actor=legal_staff, project=project, reason="上位法正在修订", version=project.version)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHELVED and project.status_reason == "上位法正在修订"
    with pytest.raises(ServiceError):
        advance(project, legal_staff, Step.INITIATION)


def test_carry_over_makes_a_linked_project_in_next_years_plan(project, legal_staff, next_plan, meetings):
    walk(project, legal_staff, Step.FIRST_READING, agenda=meetings[:1])
    project.refresh_from_db()
    new = services.project_carry_over(actor=legal_staff, project=project, next_plan=next_plan, version=project.version)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CARRIED_OVER
    assert new.plan == next_plan and new.previous == project and project.carried_to == new
    assert new.category == Category.CONTINUED and new.current_step == Step.FIRST_READING
    # The next step of the new project continues the sequence.
    advance(new, legal_staff, Step.SECOND_READING, agenda_item=meetings[1])


def test_carry_over_only_to_the_next_years_annual_plan(project, legal_staff, plan):
    other = services.plan_create(actor=legal_staff, year=2028)
    for target in (plan, other):
        with pytest.raises(ServiceError) as exc:
            services.project_carry_over(actor=legal_staff, project=project, next_plan=target, version=project.version)
        assert "next_plan" in exc.value.error_dict


def test_documents_are_checked_and_kept_with_their_kind(project, legal_staff, unit_clerk):
    doc = SimpleUploadedFile("草案.txt", "第一条 为了规范养犬行为……".encode())
    att = services.project_upload_document(actor=legal_staff, project=project, kind="draft", file=doc)
    assert att.kind == "draft" and att.target == project
    exe = SimpleUploadedFile("说明.docx", b"MZ\x90\x00binary")
    with pytest.raises(ServiceError) as exc:
        services.project_upload_document(actor=legal_staff, project=project, kind="explanation", file=exe)
    assert "file" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.project_upload_document(actor=unit_clerk, project=project, kind="draft",
                                         file=SimpleUploadedFile("a.txt", b"x"))


def test_filing_after_publication(project, legal_staff):
    with pytest.raises(ServiceError):
        services.project_record_filing(actor=legal_staff, project=project, filed_on=dt.date(2026, 11, 1),
                                       version=project.version)
    walk(project, legal_staff, Step.PUBLICATION)
    project.refresh_from_db()
    services.project_record_filing(actor=legal_staff, project=project, filed_on=project.published_on,
                                   version=project.version)
    assert RegulationProject.objects.get(pk=project.pk).filed_on == project.published_on


def test_preparatory_projects_are_not_submitted_before_becoming_formal(project, legal_staff):
    project.refresh_from_db()
    services.project_update(actor=legal_staff, project=project, version=project.version, category=Category.PREPARATORY)
    walk(project, legal_staff, Step.DRAFTING)
    with pytest.raises(ServiceError):
        advance(project, legal_staff, Step.SUBMISSION)
