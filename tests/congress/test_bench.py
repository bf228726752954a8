"""The benchmark runs: bulk data over ten years on the test database, then every measured
row against its floor (a tiny N, one round; it proves the tool works, it times nothing)."""

import json

import pytest
from django.core.management import call_command

from congress.bench import data
from congress.workdays import today
from deputies.models import CoSignature, Suggestion
from tests.dashboards import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_like(office, unit, deputy_user, assigning_clerk, unit_clerk, staff_user, director, settings):
    """One record of each generated kind (columns are copied from it), and the demo's accounts."""
    sess = b.session(today().year)
    cat = b.reply_category("A", solved=True)
    sug = b.suggestion(sess=sess, status="closed", lead=deputy_user.deputy)
    b.evaluation(asg=b.assignment(sug=sug, unit=unit, status="replied", category=cat))
    CoSignature.objects.create(suggestion=sug, deputy=b.deputy(), status="confirmed")
    b.plan_item(plan_obj=b.plan(year=today().year), office=office)
    b.sv_item(office=office, target=unit)
    return {"office": assigning_clerk, "unit": unit_clerk, "deputy": deputy_user, "staff": staff_user,
            "leader": director}


def test_generates_ten_years_then_measures_every_row(demo_like, tmp_path, monkeypatch, settings):
    from congress.bench import measure

    monkeypatch.setattr(measure, "DEMO_USERS", {role: u.username for role, u in demo_like.items()})
    settings.EXPORT_INLINE_MAX_ROWS = 1  # the export row measures the job path, as at 100,000
    out = tmp_path / "result.json"
    call_command("bench", "--n", "300", "--quick", "--skip", "reminder_scan", "--output", str(out),
                 stdout=open("/dev/null", "w"))
    assert data.generate(300, log=lambda *a: None)["suggestions"] == 300  # generating again adds nothing

    result = json.loads(out.read_text())
    assert (result["data"]["suggestions"], result["data"]["plan_items"], result["data"]["supervision_items"]) == (
        300, 15, 3)
    made = Suggestion.objects.filter(serial__gte=data.SERIAL_BASE)
    years = {d.year for d in made.exclude(received_on=None).values_list("received_on", flat=True)}
    assert years == set(range(today().year - 9, today().year + 1))
    # The rows live in the product's scopes like any other: the unit sees what was assigned to it.
    assert 0 < made.visible_to(demo_like["unit"]).count() < made.count()
    assert made.visible_to(demo_like["deputy"]).exists()

    rows = {r["key"]: r for r in result["rows"]}
    assert {"api_suggestions_office", "api_suggestions_unit", "api_suggestions_deputy", "api_plan_items",
            "api_supervision_items", "page_deputies_office", "dashboard", "export", "queries"} <= set(rows)
    assert all(r["value"] > 0 and r["ratio"] > 0 for k, r in rows.items() if k.startswith(("api_", "page_")))
    assert rows["export"]["extra"]["rows_expected"] == Suggestion.objects.visible_to(demo_like["office"]).count()
    assert rows["export"]["extra"]["status"] == "done"
    assert rows["export"]["extra"]["rows_in_file"] == rows["export"]["extra"]["rows_expected"]
    assert rows["queries"]["extra"]["dashboard"] <= 4


def test_generated_items_are_in_the_similarity_index(demo_like):
    """The detail page's similar items do real work on generated data: every sent-in
    generated item is indexed and the term's frequencies count it."""
    from deputies.models import GramFrequency, SuggestionGram

    data.generate(200, log=lambda *a: None)
    made = Suggestion.objects.filter(serial__gte=data.SERIAL_BASE).exclude(status__in=["draft", "withdrawn"])
    indexed = SuggestionGram.objects.filter(gram="", suggestion__serial__gte=data.SERIAL_BASE)
    assert indexed.count() == made.count() > 0
    term = made.first().term_id
    assert GramFrequency.objects.get(term_id=term, gram="").df >= made.filter(term_id=term).count()
