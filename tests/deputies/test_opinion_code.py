"""代表码 (domain §9): a citizen scans a deputy's QR code, leaves an opinion without an
account, follows it by a tracking code; the deputy answers, turns it into a suggestion or
passes it on. The public pages show nothing private and are rate-limited."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.history import history_for
from congress.models import LiaisonStation, Notification
from congress.workdays import today
from dashboards.figures import collect
from deputies import home
from deputies import services as svc
from deputies.choices import OpinionSource, OpinionStatus
from deputies.models import CitizenOpinion, Suggestion

pytestmark = pytest.mark.django_db

PHONE = "13800000001"


@pytest.fixture(autouse=True)
def _fresh_counters():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def station(db):
    return LiaisonStation.objects.create(name="东湖街道代表联络站", address="东湖路1号")


@pytest.fixture
def dep(world, station):
    d = world.deputy("lead")
    d.station = station
    d.phone = "13911112222"
    d.card_number = "JZ-0001"
    d.save()
    return d


def page_url(d):
    return reverse("deputy-code:page", args=[d.qr_token])


TRACK = "/public/deputies/track/"


def leave(d, content="小区南门外人行道被电动车占满，希望整治。", **kw):
    return svc.opinion_submit_by_code(deputy=d, content=content, **kw)


# ------------------------------------------------------------------ the citizen's journey
def test_a_citizen_leaves_an_opinion_without_signing_in_and_gets_a_tracking_code(client, dep, users):
    resp = client.get(page_url(dep))
    assert resp.status_code == 200
    assert dep.name in resp.content.decode() and "东湖街道代表联络站" in resp.content.decode()

    resp = client.post(page_url(dep), {"content": "东湖公园厕所晚上九点锁门，建议延长开放时间。",
                                       "citizen_name": "王女士", "citizen_contact": PHONE})
    assert resp.status_code == 302
    done = client.get(resp["Location"])
    o = CitizenOpinion.objects.get()
    assert (o.source, o.deputy, o.station, o.status) == (OpinionSource.CODE, dep, dep.station, OpinionStatus.REGISTERED)
    assert len(o.tracking_code) == svc.TRACKING_LENGTH and set(o.tracking_code) <= set(svc.TRACKING_ALPHABET)
    assert o.tracking_code in done.content.decode()
    assert o.tracking_code not in resp["Location"]  # never in an address that gets shared or logged
    # The deputy is told, through the outbox.
    assert Notification.objects.filter(recipient=users["lead"], title__contains="代表码").exists()
    # The history keeps the citizen's phone out.
    entry = history_for(o).get()
    assert PHONE not in str(entry.changes) and "王女士" not in str(entry.changes)


def test_tracking_shows_the_status_and_the_deputys_answer_of_that_code_only(client, dep, users):
    mine = leave(dep, "路灯坏了三天没人修。", citizen_name="王女士", citizen_contact=PHONE)
    other = leave(dep, "其他人的意见：菜市场排水不畅。", citizen_name="李先生", citizen_contact="13700000002")
    svc.opinion_reply(actor=users["lead"], opinion=mine, answer="已联系街道，明天修复。")

    resp = client.post(TRACK, {"code": " " + mine.tracking_code.lower()[:5] + "-" + mine.tracking_code.lower()[5:]})
    text = resp.content.decode()
    assert resp.status_code == 200
    assert "已答复" in text and "已联系街道，明天修复。" in text and "路灯坏了三天没人修。" in text
    for private in (other.content, PHONE, "王女士", "李先生", "13700000002", other.tracking_code, dep.phone):
        assert private not in text

    resp = client.post(TRACK, {"code": "ABCDEFGHJK"})
    assert "没有找到该查询码" in resp.content.decode()
    assert "data-track-result" not in resp.content.decode()


def test_the_code_page_shows_no_private_data_and_no_other_opinions(client, dep):
    leave(dep, "别人留下的意见SECRET", citizen_contact=PHONE)
    text = client.get(page_url(dep)).content.decode()
    for private in (dep.phone, dep.card_number, "SECRET", PHONE, "<img"):
        assert private not in text


def test_submitting_is_rate_limited_per_address_with_a_chinese_429(client, dep, settings):
    settings.DEPUTY_CODE_SUBMIT_RATE = "2/h"
    for i in range(2):
        assert client.post(page_url(dep), {"content": f"意见{i}"}).status_code == 302
    resp = client.post(page_url(dep), {"content": "第三条"})
    assert resp.status_code == 429
    assert "操作过于频繁" in resp.content.decode()
    assert CitizenOpinion.objects.count() == 2
    # Reading the page is not limited.
    assert client.get(page_url(dep)).status_code == 200
    # Another address still gets through.
    assert client.post(page_url(dep), {"content": "另一处"}, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_tracking_is_rate_limited(client, dep, settings):
    settings.DEPUTY_CODE_TRACK_RATE = "3/h"
    for _i in range(3):
        assert client.post(TRACK, {"code": "ABCDEFGHJK"}).status_code == 200
    resp = client.post(TRACK, {"code": "ABCDEFGHJK"})
    assert resp.status_code == 429 and "操作过于频繁" in resp.content.decode()


def test_a_filled_honeypot_saves_nothing(client, dep):
    resp = client.post(page_url(dep), {"content": "买药加微信", "website": "http://spam.example"})
    assert resp.status_code == 400
    assert not CitizenOpinion.objects.exists()


def test_too_long_an_opinion_is_refused_next_to_the_field(client, dep, settings):
    settings.DEPUTY_CODE_MAX_CHARS = 50
    resp = client.post(page_url(dep), {"content": "长" * 51})
    assert resp.status_code == 200
    assert 'data-field-error="content"' in resp.content.decode() and "不能超过50字" in resp.content.decode()
    assert not CitizenOpinion.objects.exists()
    resp = client.post(page_url(dep), {"content": "短意见", "citizen_contact": "请打我电话"})
    assert 'data-field-error="citizen_contact"' in resp.content.decode()
    resp = client.post(page_url(dep), {"content": "   "})
    assert 'data-field-error="content"' in resp.content.decode()
    assert not CitizenOpinion.objects.exists()


def test_a_rotated_unknown_or_retired_token_is_a_404(client, dep, users):
    old = page_url(dep)
    svc.deputy_rotate_qr_token(actor=users["lead"], deputy=dep)
    dep.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.post(old, {"content": "x"}).status_code == 404
    assert client.get(page_url(dep)).status_code == 200
    assert client.get("/public/deputies/not-a-token/").status_code == 404
    entry = history_for(dep).first()
    assert "更换代表码" in entry.summary and dep.qr_token not in str(entry.changes)
    dep.is_active = False
    dep.save()
    assert client.get(page_url(dep)).status_code == 404


def test_only_the_deputy_and_the_assigning_office_print_and_rotate_the_code(client_as, dep, users, settings):
    for who in ("other_deputy", "unit_clerk", "staff"):
        with pytest.raises(NotAllowed):
            svc.deputy_rotate_qr_token(actor=users[who], deputy=dep)
    poster = reverse("deputies:deputy-poster", args=[dep.pk])
    rotate = reverse("deputies:deputy-code-rotate", args=[dep.pk])
    for who in ("other_deputy", "staff", "unit_clerk"):
        c = client_as(users[who])
        assert c.get(poster).status_code == 404
        before = dep.qr_token
        assert c.post(rotate).status_code == 404
        dep.refresh_from_db()
        assert dep.qr_token == before
    resp = client_as(users["lead"]).get(poster)
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "<svg" in text and f"http://testserver/public/deputies/{dep.qr_token}/" in text
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    resp = client_as(users["office"]).get(poster)
    assert f"https://rd.example.gov.cn/public/deputies/{dep.qr_token}/" in resp.content.decode()
    before = dep.qr_token
    assert client_as(users["office"]).post(rotate).status_code == 302
    dep.refresh_from_db()
    assert dep.qr_token != before
    assert Notification.objects.filter(recipient=users["lead"], title__contains="代表码已更换").exists()


# ------------------------------------------------------------------ the deputy's side
def test_another_deputy_or_unit_cannot_see_or_act_on_the_opinion(client_as, dep, users):
    o = leave(dep)
    for who in ("other_deputy", "unit_clerk"):
        c = client_as(users[who])
        assert c.get(reverse("deputies:opinion-detail", args=[o.pk])).status_code == 404
        assert c.post(reverse("deputies:opinion-action", args=[o.pk, "reply"]),
                      {"answer": "x", "version": o.version}).status_code == 404
        assert c.get(reverse("deputies:suggestion-create") + f"?opinion={o.pk}").status_code in (403, 404)
    for who in ("other_deputy", "unit_clerk", "staff"):
        with pytest.raises(NotAllowed):
            svc.opinion_reply(actor=users[who], opinion=o, answer="x")
    o.refresh_from_db()
    assert o.status == OpinionStatus.REGISTERED and o.answer == ""


def test_the_deputy_answers_on_the_page_and_the_citizen_reads_it(client, client_as, dep, users):
    o = leave(dep)
    c = client_as(users["lead"])
    detail = c.get(reverse("deputies:opinion-detail", args=[o.pk])).content.decode()
    assert 'data-action="reply"' in detail and 'data-action="to_suggestion"' in detail
    resp = c.post(reverse("deputies:opinion-action", args=[o.pk, "reply"]), {"answer": "", "version": o.version})
    assert 'data-field-error="answer"' in resp.content.decode()
    resp = c.post(reverse("deputies:opinion-action", args=[o.pk, "reply"]),
                  {"answer": "已转告街道办，本周内答复您。", "version": o.version})
    assert resp.status_code == 302
    o.refresh_from_db()
    assert (o.status, o.answered_by, o.answered_on) == (OpinionStatus.ANSWERED, users["lead"], today())
    assert o.answered_at is not None
    with pytest.raises(ServiceError, match="当前状态为"):
        svc.opinion_reply(actor=users["lead"], opinion=o, answer="再答一次")
    c.logout()
    text = client.post(TRACK, {"code": o.tracking_code}).content.decode()
    assert "已转告街道办，本周内答复您。" in text
    svc.opinion_close(actor=users["lead"], opinion=o)
    o.refresh_from_db()
    assert o.status == OpinionStatus.CLOSED and o.closed_on == today()


def test_a_stale_version_is_refused(dep, users):
    o = leave(dep)
    with pytest.raises(EditConflict):
        svc.opinion_reply(actor=users["lead"], opinion=o, answer="x", version=o.version - 1 if o.version > 1 else 99)


def test_passing_to_the_station_or_a_unit(dep, users, world):
    to_station = leave(dep, "意见一")
    svc.opinion_pass_station(actor=users["lead"], opinion=to_station)
    to_station.refresh_from_db()
    assert (to_station.status, to_station.routed_station) == (OpinionStatus.AT_STATION, dep.station)
    assert Notification.objects.filter(recipient=users["office"], title__contains="代表转来群众意见").exists()
    svc.opinion_answer(actor=users["office"], opinion=to_station, answer="联络站已协调处理。")

    to_unit = leave(dep, "意见二")
    with pytest.raises(ServiceError):
        svc.opinion_pass_unit(actor=users["lead"], opinion=to_unit, unit=None)
    with pytest.raises(NotAllowed):
        svc.opinion_pass_unit(actor=users["other_deputy"], opinion=to_unit, unit=world.unit)
    svc.opinion_pass_unit(actor=users["lead"], opinion=to_unit, unit=world.unit, note="请核实")
    to_unit.refresh_from_db()
    assert to_unit.status == OpinionStatus.ROUTED
    assert CitizenOpinion.objects.visible_to(users["unit_clerk"]).filter(pk=to_unit.pk).exists()
    assert not CitizenOpinion.objects.visible_to(users["other_unit_clerk"]).filter(pk=to_unit.pk).exists()
    assert Notification.objects.filter(recipient=users["unit_clerk"], title__contains="代表转来群众意见").exists()
    svc.opinion_answer(actor=users["unit_clerk"], opinion=to_unit, answer="已安排维修。")
    to_unit.refresh_from_db()
    assert to_unit.status == OpinionStatus.ANSWERED and to_unit.answered_by == users["unit_clerk"]


def test_turning_an_opinion_into_a_suggestion_links_both_ways(client_as, dep, users, world):
    o = leave(dep, "老旧小区加装电梯审批手续繁琐，希望简化。")
    c = client_as(users["lead"])
    resp = c.get(reverse("deputies:opinion-action", args=[o.pk, "to_suggestion"]))
    assert resp.status_code == 302 and resp["Location"].endswith(f"?opinion={o.pk}")
    form_page = c.get(resp["Location"]).content.decode()
    assert "老旧小区加装电梯审批手续繁琐，希望简化。" in form_page and "data-from-opinion" in form_page
    resp = c.post(resp["Location"], {"title": "关于简化老旧小区加装电梯审批的建议",
                                     "situation": o.content, "proposal": "一是并联审批；二是限时办结。",
                                     "is_public": "on"})
    assert resp.status_code == 302
    s = Suggestion.objects.get(title="关于简化老旧小区加装电梯审批的建议")
    o.refresh_from_db()
    assert (o.status, o.suggestion) == (OpinionStatus.SUGGESTED, s)
    assert s.lead_deputy == dep and s.status == "draft"
    assert f'href="/deputies/opinions/{o.pk}/"' in c.get(reverse("deputies:suggestion-detail", args=[s.pk])).content.decode()
    assert "data-linked-suggestion" in c.get(reverse("deputies:opinion-detail", args=[o.pk])).content.decode()
    # Once taken up it cannot be taken up again.
    assert c.get(reverse("deputies:suggestion-create") + f"?opinion={o.pk}").status_code == 403
    with pytest.raises(ServiceError, match="当前状态为"):
        svc.opinion_to_suggestion(actor=users["lead"], opinion=o, title="t", situation="s", proposal="p")


def test_the_deputy_home_page_has_a_card_for_unanswered_opinions(dep, users):
    leave(dep, "一")
    answered = leave(dep, "二")
    svc.opinion_reply(actor=users["lead"], opinion=answered, answer="好")
    card = next(t for t in home.todos(users["lead"]) if t.title == "待答复的群众意见")
    assert card.count == 1 and "status=registered" in card.url
    other = next(t for t in home.todos(users["other_deputy"]) if t.title == "待答复的群众意见")
    assert other.count == 0


def test_the_opinion_list_costs_the_same_for_3_and_30_rows(client_as, dep, users):
    c = client_as(users["lead"])
    url = reverse("deputies:opinion-list")
    for i in range(3):
        leave(dep, f"意见{i}")
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    for i in range(27):
        leave(dep, f"更多意见{i}")
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    assert len(many) == len(few)


# ------------------------------------------------------------------ year figures
def test_year_figures_count_code_opinions_and_open_their_records(client_as, dep, users, director):
    received = [leave(dep, f"代表码意见{i}") for i in range(3)]
    svc.opinion_reply(actor=users["lead"], opinion=received[0], answer="已答复")
    svc.opinion_to_suggestion(actor=users["lead"], opinion=received[1], title="关于某事的建议", situation="情况",
                              proposal="建议")
    CitizenOpinion.objects.create(content="联络站登记的意见", received_on=today())  # not through the code
    CitizenOpinion.objects.create(content="去年的", received_on=today() - dt.timedelta(days=400),
                                  source=OpinionSource.CODE, tracking_code="ZZZZZZZZZZ")
    figs = {f.key: f for f in collect(today().year, director)}
    assert figs["code_opinions_received"].value == 3
    assert figs["code_opinions_answered"].value == 1
    assert figs["code_opinions_suggested"].value == 1
    c = client_as(director)
    resp = c.get(figs["code_opinions_suggested"].list_url)
    assert resp.status_code == 200
    text = resp.content.decode()
    assert received[1].content in text and received[0].content not in text


def test_the_code_pages_are_in_the_anonymous_list_and_open_without_signing_in(client, dep):
    from tests.security.routes import ANONYMOUS_ROUTES, all_routes

    names = {r.name for r in all_routes()}
    code_routes = {n for n in names if n.startswith("deputy-code:")}
    assert code_routes == {"deputy-code:page", "deputy-code:done", "deputy-code:track"} <= ANONYMOUS_ROUTES
    assert client.get(TRACK).status_code == 200
    assert client.get(page_url(dep)).status_code == 200
    # Without a submission in this browser the done page goes back to the form.
    assert client.get(reverse("deputy-code:done", args=[dep.qr_token])).status_code == 302
    poster = client.get(reverse("deputies:deputy-poster", args=[dep.pk]))
    assert poster.status_code == 302 and "/accounts/login/" in poster["Location"]


# ------------------------------------------------------------------ the API: same steps, same scope
def test_the_api_takes_the_same_steps_and_hides_the_citizen_from_the_unit(api_client, dep, users, world):
    o = leave(dep, "API意见", citizen_name="王女士", citizen_contact=PHONE)
    url = f"/api/v1/deputies/citizen-opinions/{o.pk}/"
    mine = api_client(users["lead"]).get(url).json()
    assert (mine["citizen_contact"], mine["tracking_code"], mine["source"]) == (PHONE, o.tracking_code, "code")
    assert api_client(users["other_deputy"]).get(url).status_code == 404
    resp = api_client(users["lead"]).post(url + "to_suggestion/", {"title": "关于API的建议", "proposal": "建议如下"},
                                          format="json")
    assert resp.status_code == 200, resp.content
    o.refresh_from_db()
    assert o.status == OpinionStatus.SUGGESTED and o.suggestion.situation == "API意见"
    assert resp.json()["suggestion"] == o.suggestion_id

    routed = leave(dep, "转给单位的意见", citizen_name="李先生", citizen_contact="13700000002")
    r = api_client(users["lead"]).post(f"/api/v1/deputies/citizen-opinions/{routed.pk}/pass_unit/",
                                       {"unit": world.unit.pk, "version": routed.version}, format="json")
    assert r.status_code == 200, r.content
    seen = api_client(users["unit_clerk"]).get(f"/api/v1/deputies/citizen-opinions/{routed.pk}/").json()
    assert seen["content"] == "转给单位的意见"
    assert (seen["citizen_name"], seen["citizen_contact"], seen["tracking_code"]) == ("", "", None)


# ------------------------------------------------------------------ demo
def test_the_demo_gives_deputy1_a_working_code_and_prints_its_link(client, settings):
    import io

    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    mine = CitizenOpinion.objects.filter(deputy__user__username="deputy1", source=OpinionSource.CODE)
    assert mine.count() == 2 and mine.filter(status=OpinionStatus.ANSWERED).count() == 1
    deputy = mine.first().deputy
    link = f"/public/deputies/{deputy.qr_token}/"
    assert link in out.getvalue()
    assert client.get(link).status_code == 200
    answered = mine.get(status=OpinionStatus.ANSWERED)
    assert answered.answer in client.post(TRACK, {"code": answered.tracking_code}).content.decode()
