"""History: who, when, before and after, and why, written with the change."""

import datetime as dt

import pytest
from django.urls import reverse

from congress.history import diff, history_for, record_change, save_with_history, snapshot
from congress.models import AuditEntry, Meeting
from tests import factories as f
from tests.congress.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(term, office):
    return f.MeetingFactory(term=term, number=31, start_date=dt.date(2026, 12, 17), location="第一会议室",
                            lead_office=office)


def test_snapshot_shows_displayable_values(meeting):
    snap = snapshot(meeting)
    assert snap["start_date"] == "2026-12-17"
    assert snap["kind"] == "常委会会议"  # choices as their label
    assert snap["lead_office"] == "财经委"  # foreign keys as their name
    assert snap["term"] == "第十七届"
    assert "id" not in snap and "version" not in snap and "updated_at" not in snap
    assert snapshot(meeting, fields=["location"]) == {"location": "第一会议室"}


def test_snapshot_of_an_empty_foreign_key_is_none(term):
    m = f.MeetingFactory(term=term, lead_office=None)
    assert snapshot(m)["lead_office"] is None


def test_diff_lists_only_what_changed():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    assert diff(None, {"a": 1}) == {"a": [None, 1]}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_record_change_keeps_who_what_before_after_and_why(meeting, staff_user):
    before = snapshot(meeting)
    meeting.location = "第二会议室"
    meeting.save()
    entry = record_change(obj=meeting, actor=staff_user, before=before, after=snapshot(meeting),
                          reason="会场调整", summary="修改地点")
    entry.refresh_from_db()
    assert entry.actor == staff_user
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"location": {"label": "地点", "before": "第一会议室", "after": "第二会议室"}}
    assert entry.reason == "会场调整"
    assert entry.summary == "修改地点"
    assert entry.object_repr == str(meeting)
    assert list(history_for(meeting)) == [entry]


def test_record_change_accepts_computed_values(meeting, staff_user):
    entry = record_change(obj=meeting, actor=staff_user, action=AuditEntry.Action.TRANSITION,
                          changes={"状态流转": ["计划", "已召开"]})
    assert entry.changes["状态流转"] == {"label": "状态流转", "before": "计划", "after": "已召开"}


def test_anonymous_actor_is_recorded_as_system(meeting):
    from django.contrib.auth.models import AnonymousUser

    entry = record_change(obj=meeting, actor=AnonymousUser(), changes={})
    assert entry.actor is None


def test_save_with_history_bumps_the_version(meeting, staff_user):
    before = snapshot(meeting)
    assert meeting.version == 1
    meeting.status = Meeting.Status.HELD
    entry = save_with_history(obj=meeting, actor=staff_user, before=before, reason="会议已召开",
                              update_fields=["status"])
    meeting.refresh_from_db()
    assert meeting.version == 2
    assert meeting.status == Meeting.Status.HELD
    assert entry.changes["status"]["before"] == "计划"
    assert entry.changes["status"]["after"] == "已召开"


def test_history_is_per_record_newest_first(meeting, term, staff_user):
    other = f.MeetingFactory(term=term, number=32)
    first = record_change(obj=meeting, actor=staff_user, changes={"location": ["a", "b"]})
    record_change(obj=other, actor=staff_user, changes={"location": ["x", "y"]})
    second = record_change(obj=meeting, actor=staff_user, changes={"location": ["b", "c"]})
    assert list(history_for(meeting)) == [second, first]


def test_admin_edit_writes_history_and_the_detail_page_shows_it(client, admin_user, staff_user, meeting):
    # Given the administrator edits a meeting's place and date in the admin
    client.force_login(admin_user)
    url = reverse("admin:congress_meeting_change", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page, location="常委会第三会议室", start_date="2026-12-18")
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    # Then one history entry has who, before and after
    entry = history_for(meeting).get()
    assert entry.actor == admin_user
    assert entry.changes["location"] == {"label": "地点", "before": "第一会议室", "after": "常委会第三会议室"}
    assert entry.changes["start_date"]["before"] == "2026-12-17"
    assert entry.changes["start_date"]["after"] == "2026-12-18"
    meeting.refresh_from_db()
    assert meeting.version == 2
    # And internal users see it as a timeline on the meeting page
    client.force_login(staff_user)
    html = client.get(reverse("congress:meeting-detail", args=[meeting.pk])).content.decode()
    assert "变更记录" in html
    assert 'class="timeline' in html
    assert "<del>第一会议室</del> → 常委会第三会议室" in html
    assert admin_user.display_name in html


def test_admin_create_and_delete_are_recorded(client, admin_user, office):
    client.force_login(admin_user)
    resp = client.post(reverse("admin:congress_liaisonstation_add"),
                       {"name": "江北区新城街道人大代表联络站", "kind": "station", "address": "新城路1号"})
    assert resp.status_code == 302
    from congress.models import LiaisonStation

    station = LiaisonStation.objects.get(name="江北区新城街道人大代表联络站")
    created = history_for(station).get()
    assert created.action == AuditEntry.Action.CREATE
    assert created.changes["address"]["after"] == "新城路1号"
    pk = station.pk
    resp = client.post(reverse("admin:congress_liaisonstation_delete", args=[pk]), {"post": "yes"})
    assert resp.status_code == 302
    deleted = AuditEntry.objects.filter(object_id=pk, action=AuditEntry.Action.DELETE).get()
    assert deleted.changes["name"]["before"] == "江北区新城街道人大代表联络站"


def test_history_is_hidden_from_external_users(client_as, deputy_user, meeting, staff_user):
    record_change(obj=meeting, actor=staff_user, changes={"location": ["内部地点", "第一会议室"]}, reason="内部原因")
    html = client_as(deputy_user).get(reverse("congress:meeting-detail", args=[meeting.pk])).content.decode()
    assert "内部原因" not in html


def test_api_writes_keep_history_and_refuse_stale_versions(api_client, staff_user, meeting):
    api = api_client(staff_user)
    url = f"/api/v1/meetings/{meeting.pk}/"
    # Given the version the client read
    read = api.get(url).json()
    assert read["version"] == 1
    # When it saves with that version, the change is made and recorded
    resp = api.patch(url, {"location": "市民中心", "version": read["version"]})
    assert resp.status_code == 200, resp.json()
    assert resp.json()["version"] == 2
    entry = history_for(meeting).get()
    assert entry.actor == staff_user
    assert entry.changes["location"]["after"] == "市民中心"
    # When another client saves with the stale version, it gets 409 and nothing changes
    resp = api.patch(url, {"location": "旧会场", "version": 1})
    assert resp.status_code == 409
    assert resp.json()["current_version"] == 2
    # Without a version, the server cannot know what the client saw
    assert api.patch(url, {"location": "旧会场"}).status_code == 409
    meeting.refresh_from_db()
    assert meeting.location == "市民中心"
    assert history_for(meeting).count() == 1


def test_api_create_and_delete_keep_history(api_client, staff_user, meeting):
    api = api_client(staff_user)
    resp = api.post("/api/v1/agenda-items/", {"meeting": meeting.pk, "title": "关于城市更新工作情况的报告",
                                              "kind": "special_report"})
    assert resp.status_code == 201, resp.json()
    from congress.models import AgendaItem

    item = AgendaItem.objects.get(pk=resp.json()["id"])
    assert history_for(item).get().action == AuditEntry.Action.CREATE
    assert api.delete(f"/api/v1/agenda-items/{item.pk}/").status_code == 204
    assert AuditEntry.objects.filter(object_id=item.pk, action=AuditEntry.Action.DELETE,
                                     content_type__model="agendaitem").exists()


def test_api_delete_of_a_referenced_meeting_is_a_400_not_a_500(api_client, staff_user, meeting):
    from congress.models import Decision

    Decision.objects.create(meeting=meeting, title="关于批准预算调整方案的决定", adopted_on=dt.date(2026, 12, 18))
    resp = api_client(staff_user).delete(f"/api/v1/meetings/{meeting.pk}/")
    assert resp.status_code == 400
    assert "不能删除" in str(resp.json())
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_lazy_translations_and_odd_values_are_stored_as_text(meeting, staff_user):
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    entry = record_change(
        obj=meeting, actor=staff_user, action=AuditEntry.Action.TRANSITION,
        changes={"status": [Meeting.Status.PLANNED.label, gettext_lazy("已召开")], "budget": [Decimal("1.50"), None],
                 "when": [dt.date(2026, 1, 1), dt.datetime(2026, 1, 2, 3, 4)]},
        summary=gettext_lazy("状态变更"), reason=gettext_lazy("会议已召开"),
    )
    entry.refresh_from_db()
    assert entry.changes["status"]["before"] == "计划" and entry.changes["status"]["after"] == "已召开"
    assert entry.changes["budget"]["before"] == "1.50"
    assert entry.changes["when"]["before"] == "2026-01-01"
    assert entry.summary == "状态变更" and entry.reason == "会议已召开"


def test_history_reads_the_same_whatever_the_actors_language(meeting, staff_user):
    from django.utils import translation

    with translation.override("en"):
        before = snapshot(meeting)
        meeting.status = Meeting.Status.HELD
        entry = save_with_history(obj=meeting, actor=staff_user, before=before)
    assert entry.changes["status"] == {"label": "状态", "before": "计划", "after": "已召开"}
