"""Services of the year-end report: who may write, validation, versions, history; and the
registry's robustness when a counted app is missing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.history import history_for
from dashboards import figures as registry
from dashboards import services
from dashboards.models import ManualFigure, YearSummary
from dashboards.summary import default_body, render

from .helpers import figures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["deputy_user", "unit_clerk", "unit_head"])
def test_only_committee_staff_write_the_report(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        services.summary_save(actor=user, year=2025, title="总结", body="正文")
    with pytest.raises(NotAllowed):
        services.manual_figure_create(actor=user, year=2025, figure_key="x", label="x", value=1, reason="r")
    assert not YearSummary.objects.exists() and not ManualFigure.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_manual_figure_requires_a_reason(staff_user, reason):
    with pytest.raises(ServiceError) as exc:
        services.manual_figure_create(actor=staff_user, year=2025, figure_key="investment", label="招商引资",
                                      value="12", reason=reason)
    assert "reason" in exc.value.error_dict


@pytest.mark.parametrize("value", [None, "", "abc", "-1"])
def test_manual_figure_requires_a_valid_value(staff_user, value):
    with pytest.raises(ServiceError) as exc:
        services.manual_figure_create(actor=staff_user, year=2025, figure_key="investment", label="招商引资",
                                      value=value, reason="商务局")
    assert "value" in exc.value.error_dict


def test_manual_figure_key_is_unique_per_year_and_not_a_computed_key(staff_user):
    services.manual_figure_create(actor=staff_user, year=2025, figure_key="investment", label="招商引资", value=1,
                                  reason="商务局")
    for key in ("investment", "decisions", "Bad-Key"):
        with pytest.raises(ServiceError) as exc:
            services.manual_figure_create(actor=staff_user, year=2025, figure_key=key, label="x", value=1, reason="r")
        assert "figure_key" in exc.value.error_dict
    # the same code next year is another figure
    services.manual_figure_create(actor=staff_user, year=2026, figure_key="investment", label="招商引资", value=2,
                                  reason="商务局")


def test_manual_figure_changes_are_in_its_history(staff_user):
    fig = services.manual_figure_create(actor=staff_user, year=2025, figure_key="bulletins", label="内刊", value=10,
                                        reason="办公室统计")
    services.manual_figure_update(actor=staff_user, figure=fig, version=1, label="内刊", value=11, reason="补录一期")
    with pytest.raises(EditConflict):
        services.manual_figure_update(actor=staff_user, figure=fig, version=1, label="内刊", value=12, reason="x")
    entries = list(history_for(fig))
    assert [e.action for e in entries] == ["update", "create"]
    assert Decimal(entries[0].changes["value"]["after"]) == 11
    assert entries[0].reason == "补录一期"


def test_summary_versions_and_history(staff_user, other_staff_user):
    s = services.summary_save(actor=staff_user, year=2025, title="总结", body="第一稿{year}。")
    assert s.version == 1
    s = services.summary_save(actor=other_staff_user, year=2025, title="总结", body="第二稿。", version=1, reason="润色")
    assert s.version == 2 and s.updated_by == other_staff_user
    with pytest.raises(EditConflict):
        services.summary_save(actor=staff_user, year=2025, title="总结", body="第三稿。", version=1)
    with pytest.raises(EditConflict):
        services.summary_save(actor=staff_user, year=2025, title="总结", body="第三稿。", version=None)
    entries = list(history_for(s))
    assert entries[0].changes["body"] == {"label": "正文", "before": "第一稿{year}。", "after": "第二稿。"}
    assert entries[0].reason == "润色"


@pytest.mark.parametrize("year", [1999, 2101, "x"])
def test_summary_year_is_checked(staff_user, year):
    with pytest.raises(ServiceError):
        services.summary_save(actor=staff_user, year=year, title="总结", body="正文")


def test_default_wording_leaves_out_figures_that_do_not_exist(settings, director):
    settings.LEGISLATION_ENABLED = False
    body = default_body(set(figures(director)))
    assert "法规" not in body
    assert body.startswith("一、") and "\n二、监督工作" in body  # sections renumbered without a gap
    assert "{standing_meetings}" in body and "{suggestion_satisfaction_rate}" in body


def test_rendering_marks_an_unknown_code_instead_of_hiding_it(director):
    rendered = render("总结{year}", "一、会议\n开会{standing_meetings}次，投资{investment}亿元。", list(figures(director).values()), 2025)
    assert rendered.title == "总结2025"
    assert rendered.paragraphs[0] == ("heading", "一、会议")
    assert rendered.paragraphs[1][1] == "开会0次，投资【investment：无数据】亿元。"
    assert rendered.missing == ["investment"]


def test_html_rendering_escapes_the_wording(director):
    rendered = render("t", "<script>alert(1)</script>{standing_meetings}", list(figures(director).values()), 2025)
    html = str(rendered.html_paragraphs[0][1])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'data-figure="standing_meetings"' in html


def test_a_missing_app_leaves_its_figures_out_without_breaking_the_rest(director, monkeypatch):
    import dashboards.figures_deputies as mod

    def broken():
        raise ImportError("deputies app not installed")

    monkeypatch.setattr(mod, "metrics", broken)
    figs = figures(director)
    assert "suggestions" not in figs
    assert "standing_meetings" in figs and "three_checks" in figs


def test_an_app_may_contribute_its_own_figures(director, monkeypatch):
    def provider(year, user):
        return [registry.Figure(key="press_articles", label="刊发稿件", value=year - 1825, unit="篇", group="manual")]

    monkeypatch.setattr(registry, "_app_figure_providers", lambda: iter([("press", provider)]))
    fig = figures(director)["press_articles"]
    assert (fig.value, fig.previous) == (200, 199)


def test_year_aggregates_filter_on_the_date_columns_not_on_functions_of_them(director):
    # "__year" must become a range on the indexed column (BETWEEN), not EXTRACT(year ...),
    # so the database can use the index; the year itself is only inside the FILTER clauses.
    with CaptureQueriesContext(connection) as ctx:
        figures(director)
    for query in ctx.captured_queries:
        sql = query["sql"]
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
        assert "EXTRACT" not in where.upper()
        assert "django_date_extract" not in where
        assert "strftime" not in where
