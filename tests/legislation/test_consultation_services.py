"""Services of public comment: who may write, which states accept what, what history says."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.exceptions import EditConflict
from congress.history import history_for
from congress.roles import Role
from congress.workdays import today
from legislation import services_consultation as services
from legislation.choices_consultation import CommentStatus, ConsultationStatus, Handling
from legislation.models import PublicComment
from tests import factories as f
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import DRAFT, submit

pytestmark = pytest.mark.django_db


def _field(exc) -> set:
    return set(exc.value.error_dict) if hasattr(exc.value, "error_dict") else set()


# --- drafts ------------------------------------------------------------------------------

def test_creating_a_draft_splits_its_articles_and_defaults_the_period(law_staff):
    c = services.consultation_create(actor=law_staff, title="江州市城市绿化条例（草案）", draft_text=DRAFT)
    assert c.office == law_staff.office
    assert c.articles.count() == 5
    assert c.start_date == today()
    assert (c.end_date - c.start_date).days + 1 == services.min_days()
    assert c.status == ConsultationStatus.DRAFT
    assert history_for(c).count() == 1


def test_a_period_shorter_than_the_minimum_is_refused(law_staff, settings):
    settings.CONSULTATION_MIN_DAYS = 30
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(actor=law_staff, title="草案", draft_text=DRAFT, start_date=today(),
                                     end_date=today() + dt.timedelta(days=10))
    assert _field(exc) == {"end_date"}


def test_text_without_articles_is_refused(law_staff):
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(actor=law_staff, title="草案", draft_text="没有条文的一段话")
    assert _field(exc) == {"draft_text"}


def test_staff_write_for_their_own_office_only(law_staff, law_office, other_staff_user, director, deputy_user,
                                                unit_clerk, make_draft):
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(actor=other_staff_user, title="草案", draft_text=DRAFT, office=law_office)
    assert _field(exc) == {"office"}
    for user in (director, deputy_user, unit_clerk):
        with pytest.raises(PermissionDenied):
            services.consultation_create(actor=user, title="草案", draft_text=DRAFT)
    c = make_draft(open_=False)
    with pytest.raises(PermissionDenied):
        services.consultation_open(actor=other_staff_user, consultation=c, version=c.version)
    with pytest.raises(PermissionDenied):
        services.consultation_update(actor=director, consultation=c, version=c.version, title="新名称")


def test_admin_may_create_for_any_office(admin_user, law_office):
    c = services.consultation_create(actor=admin_user, title="草案", draft_text=DRAFT, office=law_office)
    assert c.office == law_office


def test_open_then_close_with_history(draft, law_staff):
    assert draft.status == ConsultationStatus.OPEN
    closed = services.consultation_close(actor=law_staff, consultation=draft, version=draft.version, reason="提前结束")
    assert closed.status == ConsultationStatus.CLOSED
    assert [e.summary for e in history_for(closed)][:2] == ["结束征求意见", "发布征求意见"]
    with pytest.raises(ValidationError):
        services.consultation_close(actor=law_staff, consultation=closed, version=closed.version)


def test_a_stale_version_is_an_edit_conflict(draft, law_staff):
    with pytest.raises(EditConflict):
        services.consultation_update(actor=law_staff, consultation=draft, version=draft.version - 1, title="新名称")


def test_status_follows_the_dates(make_draft):
    upcoming = make_draft(start=today() + dt.timedelta(days=3))
    assert upcoming.status == ConsultationStatus.UPCOMING
    assert upcoming.status_on(upcoming.end_date + dt.timedelta(days=1)) == ConsultationStatus.CLOSED


def test_the_text_is_frozen_once_comments_came_in(draft, law_staff):
    submit(draft)
    with pytest.raises(ValidationError) as exc:
        services.consultation_update(actor=law_staff, consultation=draft, version=draft.version,
                                     draft_text=DRAFT + "\n第六条　新增。")
    assert _field(exc) == {"draft_text"}
    # Other fields still change.
    c = services.consultation_update(actor=law_staff, consultation=draft, version=draft.version, title="新名称")
    assert c.title == "新名称" and c.articles.count() == 5


def test_a_new_text_is_split_again_before_comments(make_draft, law_staff):
    c = make_draft(open_=False)
    c = services.consultation_update(actor=law_staff, consultation=c, version=c.version,
                                     draft_text=DRAFT + "第六条　新增一条。")
    assert c.articles.count() == 6
    assert "重新识别条文6条" in history_for(c).first().summary


# --- comments from the public ---------------------------------------------------------------

def test_a_comment_on_an_article_is_received_pending_with_a_hashed_address(draft):
    article = draft.articles.get(number="第三条")
    c = submit(draft, article, name="张三", phone="13900001111")
    assert c.status == CommentStatus.PENDING
    assert c.reference and c.article == article
    assert c.ip_hash and "198.51.100.7" not in c.ip_hash
    assert c.ip_hash == services.hash_address("198.51.100.7")
    entry = history_for(c).get()
    assert "13900001111" not in str(entry.changes) + entry.summary


def test_without_review_a_comment_is_published_at_once(make_draft):
    c = submit(make_draft(review_before_publish=False))
    assert c.status == CommentStatus.PUBLISHED


@pytest.mark.parametrize("when", ["closed", "upcoming", "unpublished"])
def test_a_draft_not_open_refuses_comments(make_draft, law_staff, when):
    if when == "closed":
        c = make_draft()
        c = services.consultation_close(actor=law_staff, consultation=c, version=c.version)
        message = "征求意见已结束"
    elif when == "upcoming":
        c = make_draft(start=today() + dt.timedelta(days=5))
        message = "将于"
    else:
        c = make_draft(open_=False)
        message = "未公开征求意见"
    with pytest.raises(ValidationError) as exc:
        submit(c)
    assert message in str(exc.value)
    assert not PublicComment.objects.exists()


def test_a_draft_past_its_end_date_refuses_comments(make_draft):
    c = make_draft(start=today() - dt.timedelta(days=40), end=today() - dt.timedelta(days=1), open_=False)
    c.published_at = c.created_at
    c.save()
    with pytest.raises(ValidationError):
        submit(c)


def test_too_long_empty_and_missing_contact_are_field_errors(make_draft, settings):
    settings.CONSULTATION_MAX_TEXT = 20
    c = make_draft(require_contact=True)
    with pytest.raises(ValidationError) as exc:
        submit(c, text="长" * 21, name="张三", phone="1")
    assert _field(exc) == {"text"}
    with pytest.raises(ValidationError) as exc:
        submit(c, text="  ", name="张三", phone="1")
    assert _field(exc) == {"text"}
    with pytest.raises(ValidationError) as exc:
        submit(c, phone="13900001111")
    assert _field(exc) == {"name"}
    with pytest.raises(ValidationError) as exc:
        submit(c, name="张三")
    assert _field(exc) == {"phone"}
    assert submit(c, name="张三", phone="13900001111").pk


def test_an_article_of_another_draft_is_refused(make_draft):
    a, b = make_draft(), make_draft(title="另一草案")
    with pytest.raises(ValidationError) as exc:
        submit(a, b.articles.first())
    assert _field(exc) == {"article"}


def test_the_name_is_shown_only_when_allowed(draft):
    assert submit(draft, name="张三").public_name == ""
    assert submit(draft, name="李四", show_name=True).public_name == "李四"
    assert submit(draft, show_name=True).show_name is False


# --- review and handling ---------------------------------------------------------------

def test_review_publish_then_hide_with_history(draft, law_staff):
    c = submit(draft)
    c = services.comment_review(actor=law_staff, comment=c, status=CommentStatus.PUBLISHED, version=c.version)
    c = services.comment_review(actor=law_staff, comment=c, status=CommentStatus.HIDDEN, version=c.version)
    assert c.status == CommentStatus.HIDDEN and c.reviewed_by == law_staff
    changes = [e.changes["status"]["after"] for e in history_for(c) if "status" in e.changes]
    assert changes == ["不公开", "已公开"]
    with pytest.raises(ValidationError):
        services.comment_review(actor=law_staff, comment=c, status=CommentStatus.PENDING, version=c.version)


def test_handling_needs_a_reason_unless_adopted(draft, law_staff):
    c = submit(draft)
    with pytest.raises(ValidationError) as exc:
        services.comment_handle(actor=law_staff, comment=c, handling=Handling.NOT_ADOPTED, version=c.version)
    assert _field(exc) == {"handling_reason"}
    c = services.comment_handle(actor=law_staff, comment=c, handling=Handling.PARTLY, reason="已作调整",
                                version=c.version)
    assert c.handling == Handling.PARTLY and c.handled_by == law_staff and c.handled_at
    c = services.comment_handle(actor=law_staff, comment=c, handling=Handling.ADOPTED, version=c.version)
    assert c.handling == Handling.ADOPTED


def test_only_the_owning_office_reviews_and_handles(draft, other_staff_user, director, admin_user):
    c = submit(draft)
    for user in (other_staff_user, director):
        with pytest.raises(PermissionDenied):
            services.comment_review(actor=user, comment=c, status=CommentStatus.PUBLISHED, version=c.version)
        with pytest.raises(PermissionDenied):
            services.comment_handle(actor=user, comment=c, handling=Handling.ADOPTED, version=c.version)
    c = services.comment_handle(actor=admin_user, comment=c, handling=Handling.ADOPTED, version=c.version)
    assert c.handled_by == admin_user


def test_a_stale_comment_version_is_refused(draft, law_staff):
    c = submit(draft)
    services.comment_handle(actor=law_staff, comment=c, handling=Handling.ADOPTED, version=c.version)
    with pytest.raises(EditConflict):
        services.comment_review(actor=law_staff, comment=c, status=CommentStatus.PUBLISHED, version=c.version)


def test_bulk_review_and_handling_touch_each_comment_of_the_draft_only(draft, make_draft, law_staff):
    mine = [submit(draft) for _ in range(3)]
    other = submit(make_draft(title="另一草案"))
    n = services.comments_bulk(actor=law_staff, consultation=draft, ids=[c.pk for c in mine],
                               status=CommentStatus.PUBLISHED, handling=Handling.NOT_ADOPTED, reason="上位法已有规定")
    assert n == 3
    for c in mine:
        c.refresh_from_db()
        assert (c.status, c.handling, c.handling_reason) == (CommentStatus.PUBLISHED, Handling.NOT_ADOPTED, "上位法已有规定")
        assert history_for(c).count() == 3
    with pytest.raises(ValidationError):
        services.comments_bulk(actor=law_staff, consultation=draft, ids=[mine[0].pk, other.pk],
                               status=CommentStatus.HIDDEN)
    other.refresh_from_db()
    assert other.status == CommentStatus.PENDING


def test_bulk_by_a_reader_is_refused(draft, director):
    c = submit(draft)
    with pytest.raises(PermissionDenied):
        services.comments_bulk(actor=director, consultation=draft, ids=[c.pk], status=CommentStatus.PUBLISHED)


def test_deputies_and_units_see_nothing(draft, deputy_user, unit_clerk, law_staff, director):
    from legislation.models import Consultation

    submit(draft)
    for user in (deputy_user, unit_clerk):
        assert not Consultation.objects.visible_to(user).exists()
        assert not PublicComment.objects.visible_to(user).exists()
    for user in (law_staff, director):
        assert Consultation.objects.visible_to(user).count() == 1
        assert PublicComment.objects.visible_to(user).count() == 1
    assert f.UserFactory(role=Role.ASSIGNING_CLERK).is_internal


def test_control_characters_are_dropped_so_the_word_file_can_hold_the_text(draft):
    c = submit(draft, text="意见\x00甲\x0b乙\r\n丙")
    assert c.text == "意见甲乙\n丙"
