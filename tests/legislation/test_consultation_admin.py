"""Admin of public comment: drafts with their articles inline (read-only), comments as a
read-only list with filters; nothing of it for anyone but administrators."""

import pytest
from django.contrib import admin
from django.urls import reverse

from congress.history import history_for
from legislation.models import Consultation, DraftArticle, PublicComment
from tests.congress.admin_forms import admin_form_data
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import submit

pytestmark = pytest.mark.django_db


def test_the_models_are_registered():
    assert {Consultation, PublicComment} <= set(admin.site._registry)
    assert DraftArticle not in admin.site._registry  # only inline, under its draft


def test_a_draft_shows_its_articles_and_corrections_keep_history(client, admin_user, draft):
    client.force_login(admin_user)
    url = reverse("admin:legislation_consultation_change", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "第一条" in html and "第五条" in html
    response = client.post(url, admin_form_data(page, title="江州市城市绿化条例（草案修改稿）"))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.title == "江州市城市绿化条例（草案修改稿）"
    assert draft.articles.count() == 5
    assert history_for(draft).first().summary == "后台管理修改"
    assert client.get(reverse("admin:legislation_consultation_delete", args=[draft.pk])).status_code == 403


def test_comments_are_a_read_only_list_with_filters(client, admin_user, draft):
    comment = submit(draft)
    client.force_login(admin_user)
    changelist = reverse("admin:legislation_publiccomment_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert comment.reference in page.content.decode()
    filtered = client.get(changelist, {"status__exact": "published"})
    assert filtered.status_code == 200 and comment.reference not in filtered.content.decode()
    assert client.get(changelist, {"status__exact": "pending"}).context["cl"].result_count == 1
    assert client.get(reverse("admin:legislation_publiccomment_add")).status_code == 403
    change = reverse("admin:legislation_publiccomment_change", args=[comment.pk])
    assert client.get(change).status_code == 200  # view only
    client.post(change, {"text": "改写"})
    comment.refresh_from_db()
    assert comment.text != "改写"
    assert client.get(reverse("admin:legislation_publiccomment_delete", args=[comment.pk])).status_code == 403


def test_staff_without_admin_rights_are_kept_out(client, law_staff, draft):
    client.force_login(law_staff)
    response = client.get(reverse("admin:legislation_publiccomment_changelist"))
    assert response.status_code == 302
    assert PublicComment.objects.count() == 0
