"""Scoping: visible_to(user) is the one answer to "may this person see it"; out of scope is 404."""

import datetime as dt

import pytest
from django.http import Http404

from congress.models import Appointment, Decision, Deputy, Meeting, Notification
from congress.scoping import get_visible_or_404
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def standing(term):
    return f.MeetingFactory(kind=Meeting.Kind.STANDING, term=term, number=30)


@pytest.fixture
def chairpersons(term):
    return f.MeetingFactory(kind=Meeting.Kind.CHAIRPERSONS, term=term, number=101)


INTERNAL = ["staff_user", "assigning_clerk", "director", "vice_director", "admin_user"]
EXTERNAL = ["deputy_user", "unit_clerk", "unit_head"]


@pytest.mark.parametrize("who", INTERNAL)
def test_internal_users_see_both_kinds_of_meeting(request, who, standing, chairpersons):
    user = request.getfixturevalue(who)
    assert set(Meeting.objects.visible_to(user)) == {standing, chairpersons}


@pytest.mark.parametrize("who", EXTERNAL)
def test_chairpersons_meetings_are_internal_only(request, who, standing, chairpersons):
    # Given a deputy or a handling-unit user
    user = request.getfixturevalue(who)
    # Then only standing-committee sessions are visible, and so are only their agenda items
    assert list(Meeting.objects.visible_to(user)) == [standing]
    f.AgendaItemFactory(meeting=standing, title="公开议题")
    f.AgendaItemFactory(meeting=chairpersons, title="内部议题")
    from congress.models import AgendaItem

    assert [a.title for a in AgendaItem.objects.visible_to(user)] == ["公开议题"]


def test_anonymous_sees_nothing(standing):
    from django.contrib.auth.models import AnonymousUser

    assert not Meeting.objects.visible_to(AnonymousUser()).exists()
    assert not Deputy.objects.visible_to(AnonymousUser()).exists()


def test_decisions_and_appointments_of_a_chairpersons_meeting_stay_internal(
    standing, chairpersons, deputy_user, staff_user
):
    for m in (standing, chairpersons):
        Decision.objects.create(meeting=m, title=f"{m.kind}决定", adopted_on=dt.date(2026, 3, 1))
        Appointment.objects.create(meeting=m, person_name="陈立军", position="局长", effective_on=dt.date(2026, 3, 1))
    assert [d.meeting for d in Decision.objects.visible_to(deputy_user)] == [standing]
    assert [a.meeting for a in Appointment.objects.visible_to(deputy_user)] == [standing]
    assert Decision.objects.visible_to(staff_user).count() == 2


def test_deputies_scope(term, deputy_user, unit_clerk, staff_user):
    # Given an active and a retired deputy
    active = f.DeputyFactory(name="在任代表", term=term, is_active=True)
    retired = f.DeputyFactory(name="离任代表", term=term, is_active=False)
    # Then committee staff and deputies see every record, units only the active ones
    assert {active, retired} <= set(Deputy.objects.visible_to(staff_user))
    assert {active, retired} <= set(Deputy.objects.visible_to(deputy_user))
    unit_view = set(Deputy.objects.visible_to(unit_clerk))
    assert active in unit_view and retired not in unit_view


def test_notifications_are_visible_to_their_recipient_only(staff_user, other_staff_user):
    mine = Notification.objects.create(recipient=staff_user, title="给我的")
    Notification.objects.create(recipient=other_staff_user, title="给别人的")
    assert list(Notification.objects.visible_to(staff_user)) == [mine]


def test_get_visible_or_404(standing, chairpersons, deputy_user, staff_user):
    assert get_visible_or_404(Meeting, deputy_user, pk=standing.pk) == standing
    assert get_visible_or_404(Meeting.objects.select_related("term"), staff_user, pk=chairpersons.pk) == chairpersons
    with pytest.raises(Http404):
        get_visible_or_404(Meeting, deputy_user, pk=chairpersons.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Meeting, staff_user, pk=999999)


def test_out_of_scope_detail_is_404_on_pages_and_api(client_as, api_client, deputy_user, standing, chairpersons):
    # Given a deputy
    # When they open a council of chairpersons directly
    # Then the page and the API both answer 404, the same as for a record that does not exist
    assert client_as(deputy_user).get(f"/meetings/{chairpersons.pk}/").status_code == 404
    assert client_as(deputy_user).get(f"/meetings/{standing.pk}/").status_code == 200
    api = api_client(deputy_user)
    assert api.get(f"/api/v1/meetings/{chairpersons.pk}/").status_code == 404
    assert api.get(f"/api/v1/meetings/{standing.pk}/").status_code == 200
    ids = [m["id"] for m in api.get("/api/v1/meetings/").json()["results"]]
    assert ids == [standing.pk]


def test_someone_elses_notification_is_404(client_as, api_client, staff_user, other_staff_user):
    theirs = Notification.objects.create(recipient=other_staff_user, title="别人的消息", url="/meetings/")
    assert client_as(staff_user).get(f"/inbox/{theirs.pk}/").status_code == 404
    assert api_client(staff_user).get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    # ... and opening it did not mark it read for its owner
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_related_id_out_of_scope_is_refused(api_client, deputy_user, staff_user, chairpersons):
    # A decision filter by an internal meeting's id reads as an unknown id for a deputy.
    resp = api_client(deputy_user).get(f"/api/v1/decisions/?meeting={chairpersons.pk}")
    assert resp.status_code == 400
    assert "meeting" in resp.json()
    assert api_client(staff_user).get(f"/api/v1/decisions/?meeting={chairpersons.pk}").status_code == 200
