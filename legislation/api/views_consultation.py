"""Read-only API of public comment on drafts for the committee's own staff; writes are
made on the pages (services_consultation). 404 where the legislation module is off."""

from django.db.models import Prefetch
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from congress.scoping import ScopedViewSetMixin

from ..filtersets_consultation import ConsultationFilterSet, PublicCommentFilterSet
from ..gate import LegislationEnabled
from ..models import Consultation, DraftArticle, PublicComment
from . import serializers_consultation as s


class ConsultationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Drafts published (or to be published) for public comment, with their comment counts."""

    base_queryset = Consultation.objects.all()
    permission_classes = [LegislationEnabled, IsAuthenticated]
    filterset_class = ConsultationFilterSet
    ordering_fields = ["start_date", "end_date", "title", "id"]

    def get_queryset(self):
        qs = super().get_queryset().select_related("office").with_counts()
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("articles", queryset=DraftArticle.objects.order_by("order")))
        return qs.order_by("-start_date", "-id")

    def get_serializer_class(self):
        return s.ConsultationDetailSerializer if self.action == "retrieve" else s.ConsultationListSerializer


class PublicCommentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Comments received on the drafts, with their public status and handling."""

    base_queryset = PublicComment.objects.all()
    permission_classes = [LegislationEnabled, IsAuthenticated]
    serializer_class = s.PublicCommentSerializer
    filterset_class = PublicCommentFilterSet
    ordering_fields = ["received_at", "id"]

    def get_queryset(self):
        return super().get_queryset().select_related("article").order_by("received_at", "id")
