"""Scope: deputy A never sees deputy B's unpublished item — in lists, details, exports,
counts or attachments, on the pages or the API; co-signers see what they co-sign; unit X
never sees or replies to unit Y's item; committee staff see everything sent in."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from deputies import services as svc
from deputies.choices import SuggestionStatus as S
from deputies.models import Reply, Suggestion


@pytest.fixture
def b_item(world, users):
    """Deputy B's (other_deputy's) item, assigned to the other unit, with a file."""
    s = world.suggestion(S.IN_PROGRESS, lead="other_deputy", title="关于乙代表专属事项的建议", unit=world.other_unit)
    att = svc._attach(obj=s, actor=users["other_deputy"], file=ContentFile(b"secret", name="乙代表附件.pdf"),
                      kind=svc.SUGGESTION_FILE_KIND)
    s.att = att
    return s


@pytest.fixture
def a_item(world):
    return world.suggestion(S.IN_PROGRESS, title="关于甲代表事项的建议")


def test_deputy_a_never_sees_deputy_b_item_on_pages(world, users, client, a_item, b_item):
    client.force_login(users["lead"])
    html = client.get(reverse("deputies:suggestion-list")).content.decode()
    assert a_item.title in html and b_item.title not in html
    assert client.get(reverse("deputies:suggestion-detail", args=[b_item.pk])).status_code == 404
    assert client.get(reverse("deputies:suggestion-edit", args=[b_item.pk])).status_code == 404
    assert client.get(reverse("deputies:suggestion-action", args=[b_item.pk, "evaluate"])).status_code == 404
    assert client.get(reverse("deputies:attachment", args=[b_item.att.pk])).status_code == 404
    ws = load_workbook(io.BytesIO(client.get(reverse("deputies:suggestion-export")).getvalue())).active
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == [a_item.title]
    # counts: the statistics page counts only what the deputy may see
    resp = client.get(reverse("deputies:statistics"))
    assert resp.context["overall"]["counts"]["received"] == 1
    # and the owner does get the file
    client.force_login(users["other_deputy"])
    assert client.get(reverse("deputies:attachment", args=[b_item.att.pk])).status_code == 200


def test_deputy_a_never_sees_deputy_b_item_in_the_api(world, users, api_client, a_item, b_item):
    api = api_client(users["lead"])
    ids = [r["id"] for r in api.get("/api/v1/deputies/suggestions/").json()["results"]]
    assert ids == [a_item.pk]
    assert api.get(f"/api/v1/deputies/suggestions/{b_item.pk}/").status_code == 404
    assert api.get(f"/api/v1/deputies/suggestions/{b_item.pk}/history/").status_code == 404
    assert api.post(f"/api/v1/deputies/suggestions/{b_item.pk}/withdraw/", {}).status_code == 404
    assert api.get("/api/v1/deputies/statistics/").json()["counts"]["received"] == 1
    assert b_item.pk not in [r["suggestion"] for r in api.get("/api/v1/deputies/assignments/").json()["results"]]
    export = api.get("/api/v1/deputies/suggestions/export/")
    titles = [r[1] for r in load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(min_row=2, values_only=True)]
    assert titles == [a_item.title]


def test_co_signer_sees_the_item_they_co_sign(world, users, client, b_item):
    world.invite(b_item, key="lead", status="confirmed")
    client.force_login(users["lead"])
    assert client.get(reverse("deputies:suggestion-detail", args=[b_item.pk])).status_code == 200
    assert b_item.title in client.get(reverse("deputies:suggestion-list") + "?mine=cosigned").content.decode()


def test_declined_co_signer_loses_sight(world, users, b_item):
    world.invite(b_item, key="lead", status="declined")
    assert not Suggestion.objects.visible_to(users["lead"]).filter(pk=b_item.pk).exists()


def test_drafts_stay_private_until_sent(world, users):
    draft = world.suggestion(S.DRAFT)
    for role in ("office", "staff", "director", "unit_clerk", "other_deputy"):
        assert not Suggestion.objects.visible_to(users[role]).filter(pk=draft.pk).exists(), role
    assert Suggestion.objects.visible_to(users["lead"]).filter(pk=draft.pk).exists()


def test_unit_x_never_sees_or_replies_to_unit_y_item(world, users, client, api_client, b_item):
    # b_item is assigned to the other unit
    client.force_login(users["unit_clerk"])
    assert b_item.title not in client.get(reverse("deputies:suggestion-list")).content.decode()
    assert client.get(reverse("deputies:suggestion-detail", args=[b_item.pk])).status_code == 404
    resp = client.post(reverse("deputies:suggestion-action", args=[b_item.pk, "draft_reply"]), {"text": "越权"})
    assert resp.status_code == 404
    api = api_client(users["unit_clerk"])
    assert api.post(f"/api/v1/deputies/suggestions/{b_item.pk}/draft-reply/", {"text": "越权"}).status_code == 404
    assert api.get(f"/api/v1/deputies/suggestions/{b_item.pk}/").status_code == 404
    assert not Reply.objects.filter(suggestion=b_item).exists()
    # the other unit does see it
    assert api_client(users["other_unit_clerk"]).get(f"/api/v1/deputies/suggestions/{b_item.pk}/").status_code == 200


def test_separately_handling_units_never_see_each_others_drafts(world, users, api_client):
    s = world.suggestion(S.ACCEPTED)
    svc.suggestion_assign(actor=users["office"], suggestion=s, separate_units=[world.unit, world.other_unit])
    svc.suggestion_sign(actor=users["other_unit_clerk"], suggestion=s)
    svc.suggestion_draft_reply(actor=users["other_unit_clerk"], suggestion=s, text="住建局的答复草稿")
    data = api_client(users["unit_clerk"]).get(f"/api/v1/deputies/suggestions/{s.pk}/").json()
    assert data["replies"] == []
    assert api_client(users["other_unit_clerk"]).get(f"/api/v1/deputies/suggestions/{s.pk}/").json()["replies"][0]["text"] \
        == "住建局的答复草稿"
    assert api_client(users["lead"]).get(f"/api/v1/deputies/suggestions/{s.pk}/").json()["replies"] == []


def test_staff_and_leaders_see_everything_sent_in(world, users, a_item, b_item):
    for role in ("office", "staff", "director", "vice_director"):
        assert set(Suggestion.objects.visible_to(users[role]).values_list("pk", flat=True)) >= {a_item.pk, b_item.pk}


def test_anonymous_sees_nothing_but_the_public_page(client, api_client, a_item):
    assert client.get(reverse("deputies:suggestion-list")).status_code == 302
    assert api_client().get("/api/v1/deputies/suggestions/").status_code in (401, 403)
    assert api_client().get("/api/v1/deputies/public/").status_code == 200


@pytest.mark.parametrize("walk_from", [0, 5000])
def test_a_deputy_with_many_or_few_items_sees_the_same_rows(world, users, settings, walk_from, b_item):
    """Past DEPUTY_SCOPE_WALK_FROM items the scope is asked for as a test on each row, below
    it as a join of keys: the rows are the same, with or without filters."""
    from django.core.cache import cache

    from congress.models import User

    led = world.suggestion(S.CLOSED)
    cosigned = world.suggestion(S.CLOSED, lead="other_deputy")
    world.invite(cosigned, key="lead", status="confirmed")
    declined = world.suggestion(S.CLOSED, lead="other_deputy")
    world.invite(declined, key="lead", status="declined")
    target = world.suggestion(S.IN_PROGRESS, lead="other_deputy")
    merged = world.suggestion(S.CLOSED)
    Suggestion.objects.filter(pk=merged.pk).update(merged_into=target)
    draft = world.suggestion(S.DRAFT)

    settings.DEPUTY_SCOPE_WALK_FROM = walk_from
    cache.clear()
    me = User.objects.get(pk=users["lead"].pk)
    qs = Suggestion.objects.visible_to(me)
    assert ("UNION" in str(qs.query)) is (walk_from > 0)
    assert set(qs.values_list("pk", flat=True)) == {led.pk, cosigned.pk, target.pk, merged.pk, draft.pk}
    assert set(qs.filter(status=S.CLOSED).values_list("pk", flat=True)) == {led.pk, cosigned.pk, merged.pk}
    assert b_item.pk not in set(qs.values_list("pk", flat=True)) and declined.pk not in set(qs.values_list("pk", flat=True))
