from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "dashboards-api"

router = DefaultRouter()
router.register("manual-figures", views.ManualFigureViewSet, basename="manual-figure")

urlpatterns = [
    path("year/", views.YearFiguresView.as_view(), name="year"),
    path("charts/<slug:name>/", views.ChartView.as_view(), name="chart"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    *router.urls,
]
