"""The demo set: believable, in every state, idempotent, and every page renders with it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from congress import reminder_engine
from congress.models import User
from deputies.choices import SuggestionStatus as S
from deputies.models import Activity, Assignment, Bill, CitizenOpinion, Suggestion
from deputies.selectors import overdue_assignments


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--quiet")


def test_demo_has_items_in_every_state_and_is_idempotent(demo):
    count = Suggestion.objects.count()
    assert count == 30
    assert set(Suggestion.objects.values_list("status", flat=True)) == set(S.values)
    assert Bill.objects.count() == 2 and Activity.objects.count() >= 8 and CitizenOpinion.objects.count() >= 5
    assert overdue_assignments(Assignment.objects.all()).exists()
    assert Suggestion.objects.filter(lead_deputy__user__username="deputy1").count() >= 5
    assert Suggestion.objects.filter(assignments__unit__name="江州市住房和城乡建设局").exists()
    call_command("seed_demo", "--quiet")
    assert Suggestion.objects.count() == count
    reminder_engine.run()


@pytest.mark.parametrize("username", ["deputy1", "deputy2", "assign", "director", "unit1_clerk", "unit1_head",
                                      "unit2_clerk", "staff"])
def test_demo_pages_render(demo, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("deputies:suggestion-list")).status_code == 200
    for s in Suggestion.objects.visible_to(user):
        assert client.get(reverse("deputies:suggestion-detail", args=[s.pk])).status_code == 200, s
    for b in Bill.objects.visible_to(user):
        assert client.get(reverse("deputies:bill-detail", args=[b.pk])).status_code == 200
    assert client.get(reverse("deputies:statistics")).status_code == 200
    assert client.get(reverse("deputies:public-list")).status_code == 200
