"""Serializers of the public-comment API (read-only, for the committee's own staff)."""

from rest_framework import serializers

from congress.api.fields import LabelField, ScopedModelSerializer

from ..choices_consultation import ConsultationStatus
from ..models import Consultation, DraftArticle, PublicComment


class DraftArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftArticle
        fields = ["id", "order", "number", "chapter", "text"]
        read_only_fields = fields


class ConsultationListSerializer(ScopedModelSerializer):
    office_name = serializers.CharField(source="office.__str__", read_only=True)
    status = serializers.ChoiceField(choices=ConsultationStatus.choices, read_only=True)
    status_display = LabelField("status")
    comment_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "title", "office", "office_name", "project", "start_date", "end_date", "status", "status_display",
                  "require_contact", "review_before_publish", "published_at", "closed_at", "comment_count",
                  "pending_count", "version"]
        read_only_fields = fields


class ConsultationDetailSerializer(ConsultationListSerializer):
    articles = DraftArticleSerializer(many=True, read_only=True)

    class Meta(ConsultationListSerializer.Meta):
        fields = [*ConsultationListSerializer.Meta.fields, "explanation", "articles"]
        read_only_fields = fields


class PublicCommentSerializer(ScopedModelSerializer):
    article_number = serializers.CharField(source="article.number", read_only=True, default="")
    status_display = LabelField("status")
    handling_display = LabelField("handling")

    class Meta:
        model = PublicComment
        fields = ["id", "consultation", "article", "article_number", "reference", "text", "name", "phone", "show_name",
                  "received_at", "status", "status_display", "handling", "handling_display", "handling_reason",
                  "handled_at", "version"]
        read_only_fields = fields
