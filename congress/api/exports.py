"""Export jobs over the API: POST a list's kind and query string to start one, GET it to
follow its progress, download its file when done. Only the requester sees a job."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import export_jobs
from congress.api.fields import LabelField
from congress.exports import XLSX
from congress.models import ExportJob
from congress.security import audit
from congress.uploads import download_response


class ExportJobSerializer(serializers.ModelSerializer):
    kind_label = LabelField("kind")
    status_label = LabelField("status")
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "kind", "kind_label", "query", "status", "status_label", "rows_done", "rows_total", "percent",
                  "error", "filename", "created_at", "started_at", "finished_at", "expires_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if not export_jobs.downloadable(job):
            return None
        url = reverse("export-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ExportJobCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportJob.Kind.choices, label=_("导出内容"))
    query = serializers.CharField(required=False, allow_blank=True, default="", label=_("筛选条件"),
                                  help_text=_("列表接口的查询字符串，例如 status=assigned&year=2026"))


class ExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """My export jobs. POST {kind, query} starts one (whatever its length: the worker writes
    every row); GET shows its status, progress and, once done, its download_url."""

    queryset = ExportJob.objects.all()
    serializer_class = ExportJobSerializer

    def get_queryset(self):
        return ExportJob.objects.filter(owner=self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ExportJobCreateSerializer if self.action == "create" else ExportJobSerializer

    @extend_schema(request=ExportJobCreateSerializer, responses={202: ExportJobSerializer})
    def create(self, request, *args, **kwargs):
        data = ExportJobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        started = export_jobs.export_start(user=request.user, kind=data.validated_data["kind"],
                                           query=data.validated_data["query"], allow_inline=False)
        audit.record(request, audit.Action.EXPORT, obj=started.job, detail=started.job.query)
        body = ExportJobSerializer(started.job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The finished job's workbook (404 while it is not ready, or after it expired)."""
        job = self.get_object()
        if not export_jobs.downloadable(job):
            raise Http404
        audit.record(request, audit.Action.DOWNLOAD, obj=job, detail=job.query)
        return download_response(job.file.open("rb"), job.filename or "export.xlsx")
