"""Read-only REST endpoints of legislative plans and projects, scoped by visible_to and
filtered by the pages' FilterSets; 404 everywhere where the module is switched off."""

from django.db.models import Prefetch
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from congress.scoping import ScopedViewSetMixin

from ..filtersets import LegislativePlanFilterSet, RegulationProjectFilterSet
from ..gate import LegislationEnabled
from ..models import LegislativePlan, ProjectStep, RegulationProject
from . import serializers_projects as s


class PlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Legislative plans (立法规划, 年度立法计划)."""

    permission_classes = [LegislationEnabled, IsAuthenticated]
    base_queryset = LegislativePlan.objects.all()
    serializer_class = s.LegislativePlanSerializer
    filterset_class = LegislativePlanFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "kind", "id")


class ProjectViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Regulation projects with their steps and documents."""

    permission_classes = [LegislationEnabled, IsAuthenticated]
    base_queryset = RegulationProject.objects.all()
    filterset_class = RegulationProjectFilterSet

    def get_queryset(self):
        qs = super().get_queryset().for_list().order_by("-plan__year", "category", "position", "id")
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch(
                "steps", queryset=ProjectStep.objects.select_related("agenda_item", "agenda_item__meeting",
                                                                     "agenda_item__meeting__term").order_by("date", "id")
            ))
        return qs

    def get_serializer_class(self):
        return s.RegulationProjectDetailSerializer if self.action == "retrieve" else s.RegulationProjectListSerializer
