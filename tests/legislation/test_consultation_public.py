"""The public pages of a draft: no sign-in, nothing private, abuse bounded, 404 where the
module is off."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.workdays import today
from legislation import services_consultation as services
from legislation.choices_consultation import CommentStatus
from legislation.models import PublicComment
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def anon():
    return Client(REMOTE_ADDR="203.0.113.9")


def _url(c):
    return f"/public/drafts/{c.pk}/"


def test_the_list_shows_open_drafts_only(anon, make_draft):
    open_ = make_draft(title="正在征求意见的草案")
    make_draft(title="尚未发布的草案", open_=False)
    make_draft(title="尚未开始的草案", start=today() + dt.timedelta(days=3))
    resp = anon.get("/public/drafts/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert open_.title in body
    assert "尚未发布的草案" not in body and "尚未开始的草案" not in body


def test_an_unpublished_draft_is_a_404(anon, make_draft):
    assert anon.get(_url(make_draft(open_=False))).status_code == 404


def test_the_draft_page_shows_articles_by_chapter_with_a_form_each(anon, draft):
    body = anon.get(_url(draft)).content.decode()
    assert "第一章　总则" in body and "第三条" in body and "市绿化行政主管部门" in body
    assert body.count("data-comment-form=") == draft.articles.count() + 1
    assert 'name="homepage"' in body


def test_a_citizen_comments_on_an_article_and_gets_a_reference(anon, draft):
    article = draft.articles.get(number="第四条")
    resp = anon.post(_url(draft), {"article": article.pk, "text": "建议绿地率提高到百分之三十五。", "name": "王五",
                                   "phone": "13700001234"})
    assert resp.status_code == 302 and resp["Location"] == f"/public/drafts/{draft.pk}/received/"
    comment = PublicComment.objects.get()
    assert comment.article == article and comment.status == CommentStatus.PENDING
    assert comment.ip_hash == services.hash_address("203.0.113.9")
    page = anon.get(resp["Location"])
    assert comment.reference in page.content.decode()
    assert "意见已收到" in page.content.decode()
    # The reference is shown once; a reload goes back to the draft.
    assert anon.get(resp["Location"]).status_code == 302


def test_a_comment_on_the_whole_draft(anon, draft):
    anon.post(_url(draft), {"text": "总体赞成。"})
    assert PublicComment.objects.get().article is None


def test_public_page_shows_published_comments_only_and_nothing_private(anon, draft, law_staff):
    article = draft.articles.get(number="第一条")
    shown = submit(draft, article, text="公开的意见甲", name="隐名者", phone="13911112222")
    named = submit(draft, article, text="公开的意见乙", name="署名者", phone="13933334444", show_name=True)
    hidden = submit(draft, article, text="不公开的意见丙")
    submit(draft, article, text="待审核的意见丁")
    for c in (shown, named):
        services.comment_review(actor=law_staff, comment=c, status=CommentStatus.PUBLISHED, version=c.version)
    services.comment_review(actor=law_staff, comment=hidden, status=CommentStatus.HIDDEN, version=hidden.version)
    body = anon.get(_url(draft)).content.decode()
    assert "公开的意见甲" in body and "公开的意见乙" in body and "署名者" in body
    for private in ("不公开的意见丙", "待审核的意见丁", "隐名者", "13911112222", "13933334444", "198.51.100.7",
                    shown.ip_hash, shown.reference):
        assert private not in body


def test_honeypot_is_refused(anon, draft):
    resp = anon.post(_url(draft), {"text": "买买买", "homepage": "http://spam.example"})
    assert resp.status_code == 400
    assert "提交未成功" in resp.content.decode()
    assert not PublicComment.objects.exists()


def test_too_long_text_is_an_error_next_to_the_field(anon, draft, settings):
    settings.CONSULTATION_MAX_TEXT = 10
    article = draft.articles.first()
    resp = anon.post(_url(draft), {"article": article.pk, "text": "很" * 11})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "意见内容不能超过10字" in body and 'data-field-error="text"' in body
    assert not PublicComment.objects.exists()


def test_missing_required_contact_is_an_error(anon, make_draft):
    c = make_draft(require_contact=True)
    resp = anon.post(_url(c), {"text": "意见"})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "本草案征求意见须留姓名" in body
    assert not PublicComment.objects.exists()


def test_a_closed_draft_shows_why_and_refuses(anon, draft, law_staff):
    services.consultation_close(actor=law_staff, consultation=draft, version=draft.version)
    page = anon.get(_url(draft)).content.decode()
    assert "征求意见已结束" in page and "data-comment-form" not in page
    resp = anon.post(_url(draft), {"text": "迟到的意见"})
    assert resp.status_code == 400 and "征求意见已结束" in resp.content.decode()
    assert not PublicComment.objects.exists()


def test_a_draft_not_yet_open_says_when(anon, make_draft):
    c = make_draft(start=today() + dt.timedelta(days=3))
    page = anon.get(_url(c)).content.decode()
    assert "将于" in page and "data-comment-form" not in page


def test_rate_limit_answers_429_in_chinese(anon, draft, settings):
    settings.CONSULTATION_RATE_LIMITS = ["2/10m", "30/d"]
    for i in range(2):
        assert anon.post(_url(draft), {"text": f"意见{i}"}).status_code == 302
    resp = anon.post(_url(draft), {"text": "第三条意见"})
    assert resp.status_code == 429
    assert "提交意见过于频繁" in resp.content.decode()
    assert PublicComment.objects.count() == 2
    # Another address is not held back.
    assert Client(REMOTE_ADDR="203.0.113.10").post(_url(draft), {"text": "另一位"}).status_code == 302


def test_the_daily_limit_applies_too(anon, draft, settings):
    settings.CONSULTATION_RATE_LIMITS = ["100/10m", "3/d"]
    for i in range(3):
        anon.post(_url(draft), {"text": f"意见{i}"})
    assert anon.post(_url(draft), {"text": "超额"}).status_code == 429


def test_module_off_is_404_everywhere(anon, draft, settings, client_as, law_staff):
    settings.LEGISLATION_ENABLED = False
    assert anon.get("/public/drafts/").status_code == 404
    assert anon.get(_url(draft)).status_code == 404
    assert anon.post(_url(draft), {"text": "意见"}).status_code == 404
    client = client_as(law_staff)
    assert client.get("/legislation/comments/").status_code == 404
    assert client.get(f"/legislation/comments/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/legislation/consultations/").status_code == 404
    assert not PublicComment.objects.exists()


def _count(anon, url):
    with CaptureQueriesContext(connection) as ctx:
        assert anon.get(url).status_code == 200
    return len(ctx)


def test_public_pages_cost_the_same_queries_for_3_and_30_comments(anon, make_draft, law_staff):
    small, large = make_draft(review_before_publish=False), make_draft(title="大草案", review_before_publish=False)
    for i in range(3):
        submit(small, small.articles.all()[i % 5])
    for i in range(30):
        submit(large, large.articles.all()[i % 5] if i % 3 else None)
    assert _count(anon, _url(small)) == _count(anon, _url(large))
    for i in range(3):
        make_draft(title=f"草案{i}")
    n3 = _count(anon, "/public/drafts/")
    for i in range(10):
        make_draft(title=f"更多草案{i}")
    assert _count(anon, "/public/drafts/") == n3


def test_the_public_routes_are_the_anonymous_ones_of_the_walk(anon, draft):
    from tests.security.routes import ANONYMOUS_ROUTES, all_routes

    public = {r.name for r in all_routes() if r.name.startswith("public-drafts:")}
    assert public == {n for n in ANONYMOUS_ROUTES if n.startswith("public-drafts:")}
    for name, url in [("list", "/public/drafts/"), ("detail", _url(draft))]:
        resp = anon.get(url)
        assert resp.status_code == 200 and "/accounts/login/" not in resp.get("Location", ""), name
    staff = [r for r in all_routes() if r.name.startswith("legislation:consultation")]
    assert staff and all(r.name not in ANONYMOUS_ROUTES for r in staff)
    assert anon.get("/legislation/comments/")["Location"].startswith("/accounts/login/")


def test_behind_a_proxy_the_limit_counts_the_real_sender(draft, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.CONSULTATION_RATE_LIMITS = ["1/10m"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    # What the client claims (left) is ignored; the proxy's own entry (right) counts.
    assert proxy.post(_url(draft), {"text": "甲"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.20").status_code == 302
    assert proxy.post(_url(draft), {"text": "乙"}, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.20").status_code == 429
    assert proxy.post(_url(draft), {"text": "丙"}, HTTP_X_FORWARDED_FOR="203.0.113.21").status_code == 302
    assert PublicComment.objects.first().ip_hash == services.hash_address("203.0.113.20")
