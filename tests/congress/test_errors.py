"""Errors: the API answers 400 with field errors, 403, 404, 409 as JSON; pages are
friendly Chinese 403/404/500 pages. Never a bare 500."""

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_api_400_lists_field_errors(api_client, staff_user, term):
    meeting = f.MeetingFactory(term=term)
    resp = api_client(staff_user).post("/api/v1/agenda-items/", {"meeting": meeting.pk, "kind": "nonsense"})
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) == {"title", "kind"}
    assert body["title"] == ["该字段是必填项。"]


def test_api_400_for_a_meeting_that_ends_before_it_starts(api_client, staff_user, term):
    resp = api_client(staff_user).post(
        "/api/v1/meetings/",
        {"kind": "standing", "term": term.pk, "number": 40, "start_date": "2026-12-17", "end_date": "2026-12-16"},
    )
    assert resp.status_code == 400
    assert "end_date" in resp.json()


def test_api_400_for_a_duplicate_meeting_number(api_client, staff_user, term):
    f.MeetingFactory(term=term, number=40)
    resp = api_client(staff_user).post(
        "/api/v1/meetings/", {"kind": "standing", "term": term.pk, "number": 40, "start_date": "2026-12-17"}
    )
    assert resp.status_code == 400


def test_staff_can_create_a_meeting_and_it_is_named_per_term(api_client, staff_user, term):
    resp = api_client(staff_user).post(
        "/api/v1/meetings/", {"kind": "standing", "term": term.pk, "number": 27, "start_date": "2026-12-17"}
    )
    assert resp.status_code == 201, resp.json()
    assert resp.json()["name"] == "第十七届人大常委会第二十七次会议"


def test_api_403_for_a_deputy_writing_a_meeting(api_client, deputy_user, term):
    meeting = f.MeetingFactory(term=term)
    api = api_client(deputy_user)
    resp = api.post("/api/v1/meetings/", {"kind": "standing", "term": term.pk, "number": 41, "start_date": "2026-12-17"})
    assert resp.status_code == 403
    assert resp.json()["detail"] == "只有人大机关工作人员可以修改会议记录。"
    assert api.patch(f"/api/v1/meetings/{meeting.pk}/", {"location": "x", "version": 1}).status_code == 403
    assert api.delete(f"/api/v1/meetings/{meeting.pk}/").status_code == 403
    assert api.post("/api/v1/agenda-items/", {"meeting": meeting.pk, "title": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["unit_clerk", "unit_head"])
def test_api_403_for_units_writing_agenda_items(request, api_client, who, term):
    meeting = f.MeetingFactory(term=term)
    resp = api_client(request.getfixturevalue(who)).post("/api/v1/agenda-items/", {"meeting": meeting.pk, "title": "x"})
    assert resp.status_code == 403


def test_api_401_or_403_without_login(api_client):
    resp = api_client().get("/api/v1/meetings/")
    assert resp.status_code in (401, 403)
    assert "detail" in resp.json()


def test_api_404_json_for_unknown_paths(api_client, staff_user):
    for path in ("/api/v1/no-such-thing/", "/api/v2/", "/api/v1/meetings/999999/"):
        resp = api_client(staff_user).get(path)
        assert resp.status_code == 404, path
        assert resp["Content-Type"].startswith("application/json"), path
        assert "detail" in resp.json()


@pytest.mark.urls("tests.congress.urls_test")
@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        ("field", 400, {"due_date": ["答复期限不能早于交办日期。"]}),
        ("plain", 400, {"non_field_errors": ["当前状态不能办理此操作。"]}),
        ("role", 403, {"detail": "只有承办单位负责人可以签发答复。"}),
    ],
)
def test_service_errors_become_api_responses(api_client, staff_user, kind, status, expected):
    resp = api_client(staff_user).post("/api/v1/test/errors/", {"kind": kind})
    assert resp.status_code == status
    assert resp.json() == expected


@pytest.mark.urls("tests.congress.urls_test")
def test_edit_conflict_is_409_with_the_current_version(api_client, staff_user):
    resp = api_client(staff_user).post("/api/v1/test/errors/", {"kind": "conflict"})
    assert resp.status_code == 409
    assert resp.json()["current_version"] == 7
    assert "已被他人修改" in resp.json()["non_field_errors"][0]


def test_html_404_is_the_chinese_page(client_as, staff_user):
    resp = client_as(staff_user).get("/no-such-page/")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert "页面不存在" in html and "返回首页" in html
    assert "王晓东" in html  # the site's own frame, with the user's navigation


@pytest.mark.urls("tests.congress.urls_test")
def test_html_403_is_the_chinese_page_with_the_reason(client_as, staff_user):
    resp = client_as(staff_user).get("/test/forbidden/")
    assert resp.status_code == 403
    html = resp.content.decode()
    assert "没有权限" in html and "只有交办机构工作人员可以交办建议。" in html


def test_a_stale_form_gets_the_friendly_403(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    resp = client.post("/inbox/read/", {})
    assert resp.status_code == 403
    assert "页面已过期" in resp.content.decode()


@pytest.mark.urls("tests.congress.urls_test")
def test_a_view_that_raises_gets_the_friendly_500(staff_user, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    resp = client.get("/test/boom/")
    assert resp.status_code == 500
    html = resp.content.decode()
    assert "系统暂时出错" in html
    assert "RuntimeError" not in html and "Traceback" not in html
    api = client.get("/api/v1/test/boom/")
    assert api.status_code == 500
    assert api.json() == {"detail": "服务器内部错误，请稍后再试。"}
    drf = client.post("/api/v1/test/errors/", {"kind": "boom"})
    assert drf.status_code == 500 and "detail" in drf.json()


@pytest.mark.urls("tests.congress.urls_test")
def test_the_500_page_follows_the_language(staff_user, settings):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get("/test/boom/").content.decode()
    assert "Something went wrong" in html
