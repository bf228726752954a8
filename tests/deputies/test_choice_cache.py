"""The list pages' filter forms read reference data's choice lists from the shared cache,
and a change to that data shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.models import CongressSession
from tests import factories as f

pytestmark = pytest.mark.django_db


def _sessions_read(ctx) -> int:
    return sum('FROM "congress_congresssession"' in q["sql"] for q in ctx.captured_queries)


def test_the_session_choices_come_from_the_cache_and_follow_every_change(users, client, world):
    client.force_login(users["office"])
    url = reverse("deputies:suggestion-list")
    assert world.session.name in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert world.session.name in page and _sessions_read(ctx) == 0

    new = f.CongressSessionFactory(term=world.term, number=9, name="第九次会议")
    assert "第九次会议" in client.get(url).content.decode()
    new.name = "第九次会议（更正）"
    new.save()
    assert "第九次会议（更正）" in client.get(url).content.decode()
    CongressSession.objects.filter(pk=new.pk).delete()  # a queryset delete sends post_delete per row
    assert "第九次会议" not in client.get(url).content.decode()


def test_a_chosen_session_is_selected_and_an_unknown_one_is_a_field_error(users, client, world):
    client.force_login(users["office"])
    url = reverse("deputies:suggestion-list")
    page = client.get(url, {"session": world.session.pk}).content.decode()
    assert f'<option value="{world.session.pk}" selected>' in page
    bad = client.get(url, {"session": 999999})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()


def test_a_list_that_lets_nothing_in_is_empty():
    from congress import choice_cache

    assert choice_cache.rows(CongressSession.objects.none(), str) == []
