"""Demo data of legislation: this year's adopted plan with six regulations at different
steps (one of them the draft open for public comment), kept by a 法工委 account; idempotent; nothing where the module is off."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from legislation.models import LegislativePlan, RegulationProject

pytestmark = pytest.mark.django_db


def test_demo_plan_with_projects_at_different_steps():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "legal" in out.getvalue()
    plan = LegislativePlan.objects.get(year=2026)
    assert plan.status == "adopted"
    projects = {p.title: p for p in plan.projects.all()}
    assert len(projects) == 6
    passed = projects["《江州市养犬管理条例》"]
    assert passed.status == "completed" and passed.published_on and passed.approved_on
    assert passed.steps.filter(step="third_reading", agenda_item__isnull=False).exists()
    assert projects["《江州市物业管理条例》（修订）"].current_step == "first_reading"
    assert projects["《江州市历史文化名城保护条例》"].current_step == "drafting"
    assert projects["《江州市养老服务条例》"].category == "preparatory"
    assert projects["《江州市河道管理条例》"].status == "shelved"
    consulted = projects["《江州市优化营商环境条例》"]
    assert consulted.current_step == "drafting"
    assert [c.title for c in consulted.consultations.all()] == ["江州市优化营商环境条例（草案）"]
    count = RegulationProject.objects.count()
    call_command("seed_demo", "--quiet")
    assert RegulationProject.objects.count() == count


@override_settings(LEGISLATION_ENABLED=False)
def test_no_demo_legislation_where_the_module_is_off():
    call_command("seed_demo", "--quiet")
    assert not LegislativePlan.objects.exists()
