"""The dashboard API: figures with last year's values, charts, the summary draft and
hand-entered figures; leaders and internal staff only."""

import datetime as dt

import pytest

from congress.models import AuditEntry, Meeting
from dashboards.charts import CHARTS
from dashboards.models import ManualFigure, YearSummary

from . import builders as b

pytestmark = pytest.mark.django_db

YEAR_URL = "/api/v1/dashboard/year/"


def _flat(data):
    return {f["key"]: f for g in data["groups"] for f in g["figures"]}


def test_leader_reads_the_year_figures_with_last_year_beside_them(director, api_client):
    b.meeting(on=dt.date(2025, 3, 1))
    b.meeting(on=dt.date(2025, 5, 1))
    b.meeting(on=dt.date(2024, 5, 1))
    response = api_client(director).get(YEAR_URL, {"year": 2025})
    assert response.status_code == 200
    data = response.json()
    assert (data["year"], data["previous_year"]) == (2025, 2024)
    fig = _flat(data)["standing_meetings"]
    assert (fig["value"], fig["previous"], fig["change"]) == (2, 1, 1.0)
    assert fig["list_url"] == "/dashboard/records/standing_meetings/?year=2025"
    assert fig["definition"]
    assert set(data["charts"]) == set(CHARTS)


@pytest.mark.parametrize("role", ["staff_user", "assigning_clerk", "vice_director", "admin_user"])
def test_internal_roles_read_the_year_figures(request, role, api_client):
    assert api_client(request.getfixturevalue(role)).get(YEAR_URL).status_code == 200


@pytest.mark.parametrize("role", ["deputy_user", "unit_clerk", "unit_head"])
def test_deputies_and_units_cannot_open_the_leaders_dashboard_api(request, role, api_client):
    client = api_client(request.getfixturevalue(role))
    assert client.get(YEAR_URL).status_code == 403
    assert client.get("/api/v1/dashboard/charts/satisfaction/").status_code == 403
    assert client.get("/api/v1/dashboard/summary/").status_code == 403
    assert client.get("/api/v1/dashboard/manual-figures/").status_code == 403


def test_anonymous_is_refused(api_client):
    assert api_client().get(YEAR_URL).status_code in (401, 403)


@pytest.mark.parametrize("year", ["abc", "1800", "3000"])
def test_a_bad_year_is_a_field_error(director, api_client, year):
    response = api_client(director).get(YEAR_URL, {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_answers_for_a_leader(director, api_client, name):
    response = api_client(director).get(f"/api/v1/dashboard/charts/{name}/", {"year": 2025})
    assert response.status_code == 200
    data = response.json()
    assert data["key"] == name
    assert data["title"]


def test_unknown_chart_is_404(director, api_client):
    assert api_client(director).get("/api/v1/dashboard/charts/nope/").status_code == 404


def test_monthly_activity_places_meetings_in_their_month(director, api_client):
    b.meeting(on=dt.date(2025, 3, 1))
    b.meeting(on=dt.date(2025, 3, 28))
    b.meeting(on=dt.date(2025, 7, 2), kind=Meeting.Kind.CHAIRPERSONS)
    b.meeting(on=dt.date(2025, 8, 2), status=Meeting.Status.CANCELLED)
    data = api_client(director).get("/api/v1/dashboard/charts/monthly-activity/", {"year": 2025}).json()
    standing, chair = data["series"][0]["data"], data["series"][1]["data"]
    assert standing[2] == 2 and sum(standing) == 2
    assert chair[6] == 1 and sum(chair) == 1


def test_satisfaction_chart_shows_no_feedback_apart(director, api_client, term, unit):
    sess = b.session(2025)
    for result in ("satisfied", "basic", "unsatisfied"):
        b.evaluation(asg=b.assignment(sug=b.suggestion(sess=sess, status="closed"), unit=unit), result=result)
    b.evaluation(asg=b.assignment(sug=b.suggestion(sess=sess, status="closed"), unit=unit), no_feedback=True)
    data = api_client(director).get("/api/v1/dashboard/charts/satisfaction/", {"year": 2025}).json()
    values = {d["name"]: d["value"] for d in data["series"][0]["data"]}
    assert values == {"满意": 1, "基本满意": 1, "不满意": 1, "未反馈": 1}


# --------------------------------------------------------------------------- summary
def test_summary_draft_is_filled_with_the_real_figures(director, api_client):
    b.meeting(on=dt.date(2025, 3, 1))
    b.meeting(on=dt.date(2025, 4, 1), kind=Meeting.Kind.CHAIRPERSONS)
    data = api_client(director).get("/api/v1/dashboard/summary/", {"year": 2025}).json()
    text = "".join(p["text"] for p in data["rendered"])
    assert "全年共举行常委会会议1次，召开主任会议1次" in text
    assert "{standing_meetings}" in data["body"]
    assert data["version"] is None  # not saved yet
    assert data["missing"] == []


def test_staff_edits_the_wording_and_a_stale_version_is_409(staff_user, api_client):
    client = api_client(staff_user)
    created = client.put("/api/v1/dashboard/summary/?year=2025",
                         {"title": "总结", "body": "全年举行常委会会议{standing_meetings}次。"}, format="json")
    assert created.status_code == 200
    assert created.json()["version"] == 1
    ok = client.put("/api/v1/dashboard/summary/?year=2025",
                    {"title": "总结", "body": "今年开会{standing_meetings}次。", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.put("/api/v1/dashboard/summary/?year=2025",
                       {"title": "总结", "body": "又改了。", "version": 1}, format="json")
    assert stale.status_code == 409
    assert YearSummary.objects.get(year=2025).body == "今年开会{standing_meetings}次。"
    assert AuditEntry.objects.filter(object_id=YearSummary.objects.get().pk, object_repr="总结").count() == 2


def test_an_unknown_code_in_the_wording_is_a_field_error(staff_user, api_client):
    response = api_client(staff_user).put(
        "/api/v1/dashboard/summary/?year=2025", {"title": "总结", "body": "招商引资{investment}亿元。"}, format="json"
    )
    assert response.status_code == 400
    assert "{investment}" in response.json()["body"][0]


# -------------------------------------------------------------------- manual figures
def test_a_manual_figure_requires_a_reason(staff_user, api_client):
    client = api_client(staff_user)
    response = client.post("/api/v1/dashboard/manual-figures/",
                           {"year": 2025, "figure_key": "press_articles", "label": "刊发稿件", "value": "200"},
                           format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not ManualFigure.objects.exists()


def test_a_manual_figure_is_shown_as_entered_by_hand(staff_user, api_client):
    client = api_client(staff_user)
    response = client.post(
        "/api/v1/dashboard/manual-figures/",
        {"year": 2025, "figure_key": "press_articles", "label": "刊发稿件", "value": "200", "unit": "篇",
         "reason": "宣传处统计，系统未记录新闻稿件"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    fig = _flat(client.get(YEAR_URL, {"year": 2025}).json())["press_articles"]
    assert fig["manual"] is True
    assert fig["value"] == 200
    assert fig["reason"] == "宣传处统计，系统未记录新闻稿件"
    assert fig["group"] == "manual"


def test_a_manual_figure_cannot_override_a_computed_one(staff_user, api_client):
    response = api_client(staff_user).post(
        "/api/v1/dashboard/manual-figures/",
        {"year": 2025, "figure_key": "standing_meetings", "label": "常委会会议", "value": "99", "reason": "想改"},
        format="json",
    )
    assert response.status_code == 400
    assert "figure_key" in response.json()


def test_manual_figure_update_and_delete_check_the_version(staff_user, api_client):
    client = api_client(staff_user)
    pk = client.post(
        "/api/v1/dashboard/manual-figures/",
        {"year": 2025, "figure_key": "bulletins", "label": "编发内刊", "value": "11", "reason": "办公室统计"},
        format="json",
    ).json()["id"]
    ok = client.patch(f"/api/v1/dashboard/manual-figures/{pk}/", {"value": "12", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert client.patch(f"/api/v1/dashboard/manual-figures/{pk}/", {"value": "13", "version": 1},
                        format="json").status_code == 409
    assert client.delete(f"/api/v1/dashboard/manual-figures/{pk}/?version=1").status_code == 409
    assert client.delete(f"/api/v1/dashboard/manual-figures/{pk}/?version=2").status_code == 204
    assert not ManualFigure.objects.exists()
