"""API of annual plans: plans and items (CRUD), the tree in one request, the import
(preview, edit the draft, confirm), progress entries, status changes and bulk
assignment. Every queryset starts from visible_to(user); every write is a service."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.jsonrows import KeyListsMixin
from congress.scoping import ScopedViewSetMixin

from .. import selectors, services
from ..filtersets import PlanFilterSet, PlanItemFilterSet
from ..models import ImportDraft, Plan, PlanItem, ProgressEntry
from . import serializers as s


def _manageable(queryset, user, prefix=""):
    """Narrow a queryset to plans (or drafts of plans) the user manages."""
    if user.is_app_admin or user.is_leader:
        return queryset
    q = Q(**{f"{prefix}created_by": user})
    if user.office_id:
        q |= Q(**{f"{prefix}owner_office": user.office_id})
    return queryset.filter(q)


@extend_schema_view(
    list=extend_schema(summary=_("年度计划列表")),
    retrieve=extend_schema(summary=_("年度计划")),
    create=extend_schema(summary=_("新建年度计划")),
    update=extend_schema(summary=_("修改年度计划（须带版本号）")),
    partial_update=extend_schema(summary=_("修改年度计划（须带版本号）")),
    destroy=extend_schema(summary=_("删除年度计划（尚无进度报送时）")),
)
class PlanViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    base_queryset = Plan.objects.select_related("owner_office")
    serializer_class = s.PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["year", "kind", "id"]
    ordering = ["-year", "kind", "id"]

    def get_queryset(self):
        return super().get_queryset().annotate(item_count=Count("items"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.plan_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.plan_update(
            actor=self.request.user, plan=serializer.instance, version=version, **data
        )

    def perform_destroy(self, instance):
        services.plan_delete(actor=self.request.user, plan=instance)

    @extend_schema(summary=_("计划条目树（一次请求）"), responses=s.PlanTreeSerializer)
    @action(detail=True, methods=["get"])
    def tree(self, request, pk=None):
        plan = self.get_object()
        roots = selectors.build_tree(selectors.plan_items(plan))
        data = s.PlanTreeSerializer({"plan": plan, "items": roots}, context=self.get_serializer_context()).data
        return Response(data)

    @extend_schema(
        summary=_("导入预览：粘贴文本或上传文件，生成待确认的草稿"),
        request={"multipart/form-data": s.PlanImportRequestSerializer, "application/json": s.PlanImportRequestSerializer},
        responses={201: s.PlanImportDraftSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser],
    )
    def import_preview(self, request, pk=None):
        plan = self.get_object()
        ser = s.PlanImportRequestSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data.get("file")
        draft = services.plan_import_preview(
            actor=request.user,
            plan=plan,
            text=ser.validated_data.get("text") or "",
            file_name=upload.name if upload else "",
            file_data=upload.read() if upload else None,
        )
        return Response(s.PlanImportDraftSerializer(draft).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary=_("导入草稿")),
    list=extend_schema(summary=_("未确认的导入草稿")),
    destroy=extend_schema(summary=_("放弃导入草稿")),
)
class ImportDraftViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    base_queryset = ImportDraft.objects.select_related("plan").filter(confirmed_at__isnull=True)
    serializer_class = s.PlanImportDraftSerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ImportDraft.objects.none()
        return _manageable(super().get_queryset(), self.request.user, prefix="plan__").order_by("-created_at")

    def perform_destroy(self, instance):
        services.draft_discard(actor=self.request.user, draft=instance)

    @extend_schema(summary=_("修改草稿：升降层级、合并、拆分、删除、改标题"), request=s.PlanDraftEditSerializer,
                   responses=s.PlanImportDraftSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        draft = self.get_object()
        ser = s.PlanDraftEditSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        draft = services.draft_edit(actor=request.user, draft=draft, **ser.validated_data)
        return Response(s.PlanImportDraftSerializer(draft).data)

    @extend_schema(summary=_("确认导入：保存为计划条目"), request=s.PlanDraftConfirmSerializer,
                   responses={201: s.PlanDraftConfirmResultSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        draft = self.get_object()
        ser = s.PlanDraftConfirmSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        created = services.draft_confirm(actor=request.user, draft=draft, version=ser.validated_data.get("version"))
        return Response({"created": len(created), "items": [i.pk for i in created]}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("计划条目列表（与页面同一组筛选条件）")),
    retrieve=extend_schema(summary=_("计划条目")),
    create=extend_schema(summary=_("添加计划条目")),
    update=extend_schema(summary=_("修改或分配计划条目（须带版本号）")),
    partial_update=extend_schema(summary=_("修改或分配计划条目（须带版本号）")),
    destroy=extend_schema(summary=_("删除计划条目（尚无进度报送时）")),
)
class PlanItemViewSet(KeyListsMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    base_queryset = PlanItem.objects.select_related("plan", "lead_office", "vice_chair")
    # Shown as keys: read in each item's own statement, for a page of the list as for one item.
    KEY_LISTS = ("cooperating_offices", "cooperating_units", "agenda_items")
    filterset_class = PlanItemFilterSet
    ordering_fields = ["path", "due_date", "progress", "status"]
    ordering = ["-plan__year", "plan_id", "path"]

    def get_queryset(self):
        return self.with_key_lists(super().get_queryset())

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return s.PlanItemUpdateSerializer
        return s.PlanItemSerializer

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "plan" in fields and not fields["plan"].read_only:
            fields["plan"].queryset = Plan.objects.visible_to(self.request.user)
        if "parent" in fields and not fields["parent"].read_only:
            fields["parent"].queryset = PlanItem.objects.visible_to(self.request.user)
        return serializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        plan = data.pop("plan")
        parent = data.pop("parent", None)
        title = data.pop("title")
        serializer.instance = services.item_create(actor=self.request.user, plan=plan, parent=parent, title=title, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.item_update(actor=self.request.user, item=serializer.instance, version=version, **data)

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        # Re-read so the answer shows the saved relations (prefetches are lost on write).
        item = self.loaded(self.get_queryset().get(pk=kwargs["pk"]))
        response.data = s.PlanItemSerializer(item, context=self.get_serializer_context()).data
        return response

    def perform_destroy(self, instance):
        services.item_delete(actor=self.request.user, item=instance)

    @extend_schema(
        methods=["GET"], summary=_("条目的进度报送记录"), responses=s.PlanProgressEntrySerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary=_("报送进度（牵头委室）"),
        request={"application/json": s.PlanItemProgressInputSerializer, "multipart/form-data": s.PlanItemProgressInputSerializer},
        responses={201: s.PlanProgressEntrySerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[parsers.JSONParser, parsers.MultiPartParser])
    def progress(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            entries = selectors.progress_entries(item)
            return Response(s.PlanProgressEntrySerializer(entries, many=True, context=self.get_serializer_context()).data)
        ser = s.PlanItemProgressInputSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        entry = services.item_post_progress(actor=request.user, item=item, **ser.validated_data)
        return Response(s.PlanProgressEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("变更状态（延期、取消、调整须说明理由；办结须填完成情况或理由）"),
                   request=s.PlanItemStatusChangeSerializer, responses=s.PlanItemSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        item = self.get_object()
        ser = s.PlanItemStatusChangeSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        services.item_change_status(actor=request.user, item=item, **ser.validated_data)
        item = self.loaded(self.get_queryset().get(pk=item.pk))
        return Response(s.PlanItemSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("批量分配牵头委室、分管领导、类型或计划时间"), request=s.PlanItemBulkAssignSerializer,
                   responses={200: s.PlanItemBulkAssignResultSerializer, 400: OpenApiResponse(description=_("输入有误"))})
    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        ser = s.PlanItemBulkAssignSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        ids = data.pop("items")
        items = list(PlanItem.objects.visible_to(request.user).filter(pk__in=ids))
        if len(items) != len(set(ids)):
            return Response({"items": [_("部分条目不存在或无权查看。")]}, status=status.HTTP_400_BAD_REQUEST)
        n = services.item_bulk_assign(actor=request.user, items=items, **data)
        return Response({"updated": n})


@extend_schema_view(
    list=extend_schema(summary=_("进度报送记录")),
    retrieve=extend_schema(summary=_("进度报送记录")),
    create=extend_schema(summary=_("报送进度（牵头委室；须带条目版本号）")),
)
class ProgressEntryViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    base_queryset = ProgressEntry.objects.select_related("author", "item").prefetch_related(
        Prefetch("attachments")
    )
    serializer_class = s.PlanProgressEntrySerializer
    filterset_fields = ["item", "item__plan"]
    ordering = ["-created_at", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.item_post_progress(
            actor=self.request.user,
            item=data["item"],
            percent=data["percent"],
            text=data["text"],
            version=data.get("version"),
        )
