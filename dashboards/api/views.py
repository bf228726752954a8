"""REST API of the year figures: the same numbers as the dashboard, for other systems.

Every endpoint is for leaders and internal staff (403 for deputies and handling units)
and answers in a constant number of queries, whatever the number of records."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.workdays import today
from dashboards import charts, services
from dashboards.figures import collect, collect_dated, grouped
from dashboards.models import ManualFigure, YearSummary
from dashboards.permissions import IsInternalUser
from dashboards.summary import default_body, default_title, render

from . import serializers as s

YEAR_PARAM = OpenApiParameter("year", int, description="年度，缺省为今年")


def _year(request) -> int:
    ser = s.YearParamSerializer(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return ser.validated_data.get("year") or today().year


def chart_urls(year: int) -> dict[str, str]:
    return {name: f"{reverse('dashboards-api:chart', args=[name])}?year={year}" for name in charts.CHARTS}


class YearFiguresView(APIView):
    """Every figure of the year with last year's value, grouped as in the year-end report."""

    permission_classes = [permissions.IsAuthenticated, IsInternalUser]

    @extend_schema(parameters=[YEAR_PARAM], responses=s.YearFiguresSerializer)
    def get(self, request):
        year = _year(request)
        figures, computed_at = collect_dated(year, request.user)
        groups = grouped(figures)
        return Response(
            {
                "year": year,
                "previous_year": year - 1,
                # When the numbers were counted from the records (stored figures are served
                # while no write has changed them since), in Beijing time for the page.
                "computed_at": computed_at,
                "computed_time": timezone.localtime(computed_at).strftime("%H:%M"),
                "groups": [
                    {"key": g["key"], "label": g["label"], "figures": [f.as_dict() for f in g["figures"]]} for g in groups
                ],
                "charts": chart_urls(year),
            }
        )


class ChartView(APIView):
    """One chart of the dashboard: categories and series ready for ECharts."""

    permission_classes = [permissions.IsAuthenticated, IsInternalUser]

    @extend_schema(parameters=[YEAR_PARAM], responses=s.ChartSerializer)
    def get(self, request, name: str):
        year = _year(request)
        chart = charts.build(name, year, request.user)
        if chart is None:
            raise NotFound()
        return Response(chart)


class SummaryView(APIView):
    """The year-end summary draft: GET the wording and the filled-in text; PUT new
    wording with the version read (409 if someone saved in between)."""

    permission_classes = [permissions.IsAuthenticated, IsInternalUser]

    def _payload(self, request, year, summary):
        figures = collect(year, request.user, compare=False)
        if summary is None:
            summary = YearSummary(year=year, title=default_title(year), body=default_body({f.key for f in figures}))
            summary.version = None
        rendered = render(summary.title, summary.body, figures, year)
        return s.SummarySerializer(summary, context={"rendered": rendered}).data

    @extend_schema(parameters=[YEAR_PARAM], responses=s.SummarySerializer)
    def get(self, request):
        year = _year(request)
        summary = YearSummary.objects.visible_to(request.user).filter(year=year).first()
        return Response(self._payload(request, year, summary))

    @extend_schema(parameters=[YEAR_PARAM], request=s.SummarySerializer, responses=s.SummarySerializer)
    def put(self, request):
        year = _year(request)
        ser = s.SummarySerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        summary = services.summary_save(
            actor=request.user,
            year=year,
            title=ser.validated_data.get("title", ""),
            body=ser.validated_data.get("body", ""),
            version=request.data.get("version"),
            reason=ser.validated_data.get("reason", ""),
        )
        return Response(self._payload(request, year, summary))


@extend_schema(parameters=[YEAR_PARAM])
class ManualFigureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Figures entered by hand, each with the reason it is entered by hand."""

    serializer_class = s.ManualFigureSerializer
    permission_classes = [permissions.IsAuthenticated, IsInternalUser]
    filterset_fields = ["year"]
    queryset = ManualFigure.objects.none()

    def get_queryset(self):
        return ManualFigure.objects.visible_to(self.request.user).select_related("entered_by").order_by("year", "order", "id")

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        fig = services.manual_figure_create(
            actor=request.user, year=d.get("year"), figure_key=d.get("figure_key"), label=d.get("label"),
            value=d.get("value"), reason=d.get("reason", ""), unit=d.get("unit", ""), order=d.get("order", 100),
        )
        return Response(self.get_serializer(fig).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        fig = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        partial = kwargs.get("partial", False)
        ser = self.get_serializer(fig, data=request.data, partial=partial)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        fig = services.manual_figure_update(
            actor=request.user, figure=fig, version=request.data.get("version"),
            label=d.get("label", fig.label), value=d.get("value", fig.value), reason=d.get("reason", fig.reason),
            unit=d.get("unit", fig.unit), order=d.get("order"),
        )
        return Response(self.get_serializer(fig).data)

    def destroy(self, request, *args, **kwargs):
        fig = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        version = request.data.get("version") if hasattr(request, "data") else None
        version = version or request.query_params.get("version")
        services.manual_figure_delete(actor=request.user, figure=fig, version=version, reason=request.data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)
