"""Figures of legislation (domain §9): regulations passed in the year, counted by the
date of their vote, 制定 / 修改 / 废止 apart ("制定地方性法规x件"). The readings
(审议法规案x件次) stay a figure of the agenda (figures_core "regulations"). Only where
the module is on: a district or county claiming either is a template error (§0)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .figures import Column, Metric, Source


def _enabled():
    from legislation.gate import enabled

    return enabled()


def _project_url(obj):
    return reverse("legislation:project-detail", args=[obj.project_id])


def metrics() -> list[Metric]:
    from legislation.choices import ProjectKind, Step
    from legislation.models import ProjectStep

    votes = Source(
        key="legislation_votes",
        base=lambda user: ProjectStep.objects.visible_to(user).filter(step=Step.VOTE),
        date_field="date",
        related=("project", "project__plan", "project__lead_office", "agenda_item", "agenda_item__meeting"),
        ordering=("date", "id"),
        detail_url=_project_url,
        columns=(
            Column(_("法规名称"), "project.title"),
            Column(_("立法形式"), "project.get_kind_display"),
            Column(_("表决日期"), "date"),
            Column(_("会议"), lambda s: s.agenda_item.meeting if s.agenda_item_id else ""),
            Column(_("牵头委员会"), "project.lead_office"),
        ),
    )
    return [
        Metric(
            key="regulations_enacted",
            label=_("制定地方性法规"),
            unit=_("件"),
            group="legislation",
            source=votes,
            where=Q(project__kind=ProjectKind.ENACT),
            definition=_("本年常委会会议表决通过的新制定地方性法规（按表决日期）。"),
            order=20,
            enabled=_enabled,
        ),
        Metric(
            key="regulations_amended",
            label=_("修改地方性法规"),
            unit=_("件"),
            group="legislation",
            source=votes,
            where=Q(project__kind__in=[ProjectKind.AMEND, ProjectKind.PACKAGE]),
            definition=_("本年表决通过的修改（含打包修改）地方性法规的法规案（按表决日期）。"),
            order=21,
            enabled=_enabled,
        ),
        Metric(
            key="regulations_repealed",
            label=_("废止地方性法规"),
            unit=_("件"),
            group="legislation",
            source=votes,
            where=Q(project__kind=ProjectKind.REPEAL),
            definition=_("本年表决通过的废止地方性法规的决定（按表决日期）。"),
            order=22,
            enabled=_enabled,
        ),
    ]
