import pytest

from congress.demo import seed_core
from dashboards import demo
from dashboards.models import ManualFigure, YearSummary

pytestmark = pytest.mark.django_db


def test_demo_seeds_manual_figures_and_a_summary_that_uses_them():
    ctx = seed_core()
    demo.seed(ctx)
    demo.seed(ctx)  # idempotent
    assert ManualFigure.objects.filter(year=ctx["year"]).count() == 3
    summary = YearSummary.objects.get(year=ctx["year"])
    assert "{press_articles}" in summary.body and "{standing_meetings}" in summary.body
