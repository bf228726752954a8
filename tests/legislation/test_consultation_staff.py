"""Staff pages and API of public comment: who reads, who writes, the collation and its Word file."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from congress.history import history_for
from legislation.choices_consultation import CommentStatus, Handling
from legislation.models import Consultation, PublicComment
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import DRAFT, submit

pytestmark = pytest.mark.django_db

BASE = "/legislation/comments/"


# --- who may open what -------------------------------------------------------------------

@pytest.mark.parametrize("who", ["law_staff", "other_staff_user", "director", "admin_user"])
def test_the_committee_reads_the_staff_pages(request, who, draft):
    client = request.getfixturevalue("client_as")(request.getfixturevalue(who))
    submit(draft)
    for url in (BASE, f"{BASE}{draft.pk}/", f"{BASE}{draft.pk}/collation/",
                f"{BASE}comment/{PublicComment.objects.get().pk}/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["deputy_user", "unit_clerk"])
def test_deputies_and_units_get_404_on_staff_pages_and_api(request, who, draft, api_client):
    user = request.getfixturevalue(who)
    client = request.getfixturevalue("client_as")(user)
    comment = submit(draft)
    for url in (BASE, f"{BASE}new/", f"{BASE}{draft.pk}/", f"{BASE}{draft.pk}/collation/",
                f"{BASE}{draft.pk}/collation/?format=docx", f"{BASE}comment/{comment.pk}/"):
        assert client.get(url).status_code == 404, url
    api = api_client(user)
    assert api.get("/api/v1/legislation/consultations/").json()["results"] == []
    assert api.get(f"/api/v1/legislation/consultations/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/legislation/consultation-comments/{comment.pk}/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, draft):
    resp = client.get(BASE)
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_readers_see_no_write_buttons_and_their_posts_change_nothing(client_as, other_staff_user, director, draft):
    comment = submit(draft)
    for user in (other_staff_user, director):
        client = client_as(user)
        body = client.get(f"{BASE}{draft.pk}/").content.decode()
        for action in ("open/", "close/", "edit/"):
            assert f"{BASE}{draft.pk}/{action}" not in body
        client.post(f"{BASE}{draft.pk}/close/", {"version": draft.version})
        client.post(f"{BASE}{draft.pk}/collation/", {"ids": [comment.pk], "status": "published"})
        client.post(f"{BASE}comment/{comment.pk}/", {"version": comment.version, "status": "hidden"})
        assert client.get(f"{BASE}{draft.pk}/edit/").status_code == 302
    draft.refresh_from_db()
    comment.refresh_from_db()
    assert draft.closed_at is None and comment.status == CommentStatus.PENDING


# --- create, preview, open, close -----------------------------------------------------------

def test_staff_paste_a_draft_preview_its_articles_then_save_and_publish(client_as, law_staff):
    client = client_as(law_staff)
    data = {"title": "江州市城市绿化条例（草案）", "draft_text": DRAFT, "review_before_publish": "on"}
    preview = client.post(f"{BASE}new/", {**data, "preview": "1"})
    body = preview.content.decode()
    assert preview.status_code == 200 and "识别出条文5条" in body and "第二章　规划和建设" in body
    assert not Consultation.objects.exists()
    resp = client.post(f"{BASE}new/", data)
    c = Consultation.objects.get()
    assert resp["Location"] == f"{BASE}{c.pk}/"
    assert c.office == law_staff.office and c.articles.count() == 5
    client.post(f"{BASE}{c.pk}/open/", {"version": c.version})
    c.refresh_from_db()
    assert c.published_at and c.published_by == law_staff
    client.post(f"{BASE}{c.pk}/close/", {"version": c.version})
    c.refresh_from_db()
    assert c.closed_at


def test_a_bad_period_is_shown_next_to_the_field(client_as, law_staff):
    resp = client_as(law_staff).post(f"{BASE}new/", {"title": "草案", "draft_text": DRAFT, "start_date": "2026-03-01",
                                                     "end_date": "2026-03-05"})
    assert resp.status_code == 200
    assert 'data-field-error="end_date"' in resp.content.decode()


def test_editing_with_a_stale_version_keeps_the_input(client_as, law_staff, draft):
    resp = client_as(law_staff).post(f"{BASE}{draft.pk}/edit/", {
        "title": "新名称", "draft_text": DRAFT, "start_date": draft.start_date, "end_date": draft.end_date,
        "version": draft.version - 1})
    assert resp.status_code == 409 and "新名称" in resp.content.decode()


# --- collation, review, handling -----------------------------------------------------------

def test_collation_groups_comments_by_article_with_counts(client_as, law_staff, draft):
    a3 = draft.articles.get(number="第三条")
    submit(draft, a3, text="第三条的意见一", phone="13900001111")
    submit(draft, a3, text="第三条的意见二")
    submit(draft, None, text="整体意见")
    body = client_as(law_staff).get(f"{BASE}{draft.pk}/collation/").content.decode()
    assert body.index("整体意见") < body.index("第三条的意见一") < body.index("第三条的意见二")
    assert '2条</span>' in body and "13900001111" in body  # staff see the contact to check back


def test_one_by_one_review_and_handling(client_as, law_staff, draft):
    comment = submit(draft)
    client = client_as(law_staff)
    resp = client.post(f"{BASE}comment/{comment.pk}/", {"version": comment.version, "status": "published",
                                                         "handling": "not_adopted", "handling_reason": ""})
    assert resp.status_code == 200 and 'data-field-error="handling_reason"' in resp.content.decode()
    comment.refresh_from_db()
    resp = client.post(f"{BASE}comment/{comment.pk}/", {"version": comment.version, "status": "published",
                                                         "handling": "not_adopted", "handling_reason": "上位法已有规定"})
    assert resp.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.handling) == (CommentStatus.PUBLISHED, Handling.NOT_ADOPTED)
    assert history_for(comment).count() == 3


def test_bulk_from_the_collation_page(client_as, law_staff, draft):
    comments = [submit(draft) for _ in range(3)]
    resp = client_as(law_staff).post(f"{BASE}{draft.pk}/collation/", {
        "ids": [c.pk for c in comments[:2]], "status": "published", "handling": "adopted"})
    assert resp.status_code == 302
    assert PublicComment.objects.filter(status=CommentStatus.PUBLISHED, handling=Handling.ADOPTED).count() == 2
    assert PublicComment.objects.get(pk=comments[2].pk).status == CommentStatus.PENDING


def test_bulk_with_a_comment_of_another_draft_changes_nothing(client_as, law_staff, draft, make_draft):
    mine, other = submit(draft), submit(make_draft(title="另一草案"))
    client_as(law_staff).post(f"{BASE}{draft.pk}/collation/", {"ids": [mine.pk, other.pk], "status": "published"})
    assert not PublicComment.objects.filter(status=CommentStatus.PUBLISHED).exists()


def test_collation_word_groups_by_article_with_counts_and_handling(client_as, law_staff, draft):
    a3 = draft.articles.get(number="第三条")
    c1 = submit(draft, a3, text="第三条的意见一", name="张三", phone="13900001111")
    submit(draft, a3, text="第三条的意见二")
    c3 = submit(draft, None, text="整体意见")
    from legislation import services_consultation as services

    services.comment_handle(actor=law_staff, comment=c1, handling=Handling.PARTLY, reason="已作调整", version=c1.version)
    services.comment_handle(actor=law_staff, comment=c3, handling=Handling.ADOPTED, version=c3.version)
    resp = client_as(law_staff).get(f"{BASE}{draft.pk}/collation/?format=docx")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "《江州市城市绿化条例（草案）》公开征求意见情况汇总" in text
    assert "共3条，其中采纳1条、部分采纳1条、未采纳0条、尚未处理1条。" in text
    assert "第三条（共2条，其中采纳0条、部分采纳1条、未采纳0条、尚未处理1条。）" in text
    assert text.index("对草案整体的意见") < text.index("第三条（")
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "第三条的意见一" in cells and "部分采纳" in cells and "已作调整" in cells and "尚未处理" in cells
    assert "13900001111" not in resp.content.decode("latin-1") and all("张三" not in c for c in cells)


# --- API ------------------------------------------------------------------------------

def test_api_lists_consultations_and_comments_read_only(api_client, director, draft):
    comment = submit(draft)
    api = api_client(director)
    rows = api.get("/api/v1/legislation/consultations/").json()["results"]
    assert rows[0]["title"] == draft.title and rows[0]["comment_count"] == 1
    assert rows[0]["status_display"] == "征求意见中"
    detail = api.get(f"/api/v1/legislation/consultations/{draft.pk}/").json()
    assert [a["number"] for a in detail["articles"]][:2] == ["第一条", "第二条"]
    comments = api.get("/api/v1/legislation/consultation-comments/", {"consultation": draft.pk}).json()["results"]
    assert comments[0]["reference"] == comment.reference and comments[0]["status_display"] == "待审核"
    assert api.post("/api/v1/legislation/consultations/", {}).status_code == 405


def test_api_filters_match_the_page(api_client, director, draft, make_draft):
    make_draft(title="未发布草案", open_=False)
    api = api_client(director)
    open_rows = api.get("/api/v1/legislation/consultations/", {"status": "open"}).json()["results"]
    assert [r["title"] for r in open_rows] == [draft.title]
    assert api.get("/api/v1/legislation/consultations/", {"year": "99999"}).status_code == 400


# --- queries ------------------------------------------------------------------------------

def _queries(client, url):
    client.get(url)  # warm the caches that are not per row (filter forms' choice lists)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_staff_pages_cost_the_same_for_3_and_30(client_as, law_staff, make_draft, api_client):
    client = client_as(law_staff)
    small, large = make_draft(), make_draft(title="大草案")
    for i in range(3):
        submit(small, small.articles.all()[i % 5])
    for i in range(30):
        submit(large, large.articles.all()[i % 5] if i % 4 else None)
    for suffix in ("", "collation/"):
        assert _queries(client, f"{BASE}{small.pk}/{suffix}") == _queries(client, f"{BASE}{large.pk}/{suffix}")
    n = _queries(client, BASE)
    for i in range(10):
        make_draft(title=f"草案{i}")
    assert _queries(client, BASE) == n
    api = api_client(law_staff)
    n = _queries(api, "/api/v1/legislation/consultation-comments/")
    submit(small)
    assert _queries(api, "/api/v1/legislation/consultation-comments/") == n
