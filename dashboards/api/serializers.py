from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api.fields import ScopedModelSerializer
from dashboards.models import ManualFigure, YearSummary
from dashboards.services import MAX_YEAR, MIN_YEAR


class YearParamSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=MIN_YEAR, max_value=MAX_YEAR, required=False, help_text=_("年度，缺省为今年")
    )


class FigureSerializer(serializers.Serializer):
    """One figure of the year (read only): value, last year's value, definition and the
    URL of the list of the records behind it."""

    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    display = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()
    list_url = serializers.CharField()
    manual = serializers.BooleanField()
    is_rate = serializers.BooleanField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    previous = serializers.FloatField(allow_null=True)
    previous_display = serializers.CharField()
    change = serializers.FloatField(allow_null=True)


class FigureGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    figures = FigureSerializer(many=True)


class YearFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    previous_year = serializers.IntegerField()
    computed_at = serializers.DateTimeField(help_text=_("数据统计时间"))
    computed_time = serializers.CharField(help_text=_("数据统计时间（北京时间，时:分）"))
    groups = FigureGroupSerializer(many=True)
    charts = serializers.DictField(child=serializers.CharField())


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    type = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    series = serializers.ListField(child=serializers.DictField())
    note = serializers.CharField()
    horizontal = serializers.BooleanField()
    empty = serializers.BooleanField()


class SummarySerializer(ScopedModelSerializer):
    """The wording (with {codes}) and, read only, the text with the figures filled in."""

    version = serializers.IntegerField(required=False, allow_null=True, help_text=_("读取时的版本号，修改时必须回传"))
    reason = serializers.CharField(required=False, allow_blank=True, write_only=True)
    rendered = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta:
        model = YearSummary
        fields = ["year", "title", "body", "version", "reason", "rendered", "missing", "updated_at"]
        read_only_fields = ["year", "updated_at"]

    def get_rendered(self, obj) -> list[dict]:
        rendered = self.context.get("rendered")
        return [{"kind": k, "text": t} for k, t in rendered.paragraphs] if rendered else []

    def get_missing(self, obj) -> list[str]:
        rendered = self.context.get("rendered")
        return rendered.missing if rendered else []


class ManualFigureSerializer(ScopedModelSerializer):
    version = serializers.IntegerField(required=False, allow_null=True)
    entered_by_name = serializers.CharField(source="entered_by.display_name", read_only=True, default="")

    class Meta:
        model = ManualFigure
        fields = [
            "id", "year", "figure_key", "label", "value", "unit", "reason", "order", "version",
            "entered_by_name", "updated_at",
        ]
        read_only_fields = ["id", "entered_by_name", "updated_at"]
        extra_kwargs = {"reason": {"allow_blank": True, "required": False}, "figure_key": {"validators": []}}
        # Uniqueness of (year, key) is checked by the service with a Chinese message.
        validators = []
