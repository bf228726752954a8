"""REST API: every list, detail and transition, scoped by visible_to(user), filtered by
the same FilterSets as the pages, validated by the same forms, written by the services."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, TextField
from django.db.models.functions import JSONObject
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import export_jobs, jsonrows
from congress.exports import XLSX, xlsx_response
from congress.filtersets import clean_year
from congress.models import Attachment, Deputy
from congress.scoping import ScopedViewSetMixin, get_visible_or_404
from congress.security import audit
from congress.uploads import validate_files
from congress.workdays import today

from .. import exports, selectors
from .. import services as svc
from ..actions import BILL_ACTIONS, OPINION_ACTIONS, SUGGESTION_ACTIONS, form_kwargs
from ..choices import (
    ACTIVE_ASSIGNMENT_STATUSES,
    BILL_TRANSITIONS,
    OPINION_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    CoSignStatus,
)
from ..filtersets import (
    ActivityFilterSet,
    AssignmentFilterSet,
    BillFilterSet,
    CitizenOpinionFilterSet,
    FollowUpFilterSet,
    PublicSuggestionFilterSet,
    SuggestionFilterSet,
)
from ..models import (
    Activity,
    Assignment,
    Bill,
    CitizenOpinion,
    CoSignature,
    Evaluation,
    ExtensionRequest,
    FollowUp,
    Reply,
    ReplyCategory,
    ReturnRequest,
    Suggestion,
    SuggestionCategory,
)
from . import serializers as s

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _checked_files(request):
    """The request's uploaded attachments, each checked by content and size (400 otherwise)."""
    try:
        return validate_files(request.FILES.getlist("files"))
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"files": exc.messages}) from exc


def _form_errors(form) -> dict:
    data = form.errors.get_json_data()
    out = {("non_field_errors" if k == "__all__" else k): [e["message"] for e in v] for k, v in data.items()}
    return out


def _run_form_action(request, item, act, extra_kwargs=None):
    form = act.form(data=request.data, files=request.FILES, item=item, user=request.user, **(extra_kwargs or {}))
    if not form.is_valid():
        return Response(_form_errors(form), status=status.HTTP_400_BAD_REQUEST)
    act.run(request.user, item, form.cleaned_data)
    return None


# ------------------------------------------------------------------ suggestions
class SuggestionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deputies' suggestions, scoped: a deputy sees their own and co-signed items, a unit the
    items assigned to it, committee staff everything sent in."""

    base_queryset = Suggestion.objects.all()
    filterset_class = SuggestionFilterSet
    parser_classes = PARSERS
    ordering_fields = ["serial", "received_on", "due_date", "assigned_on"]
    ordering = Suggestion._meta.ordering
    http_method_names = ["get", "post", "patch", "head", "options"]

    # The detail's short lists, read in the item's own statement (congress/jsonrows.py):
    # (name, model, foreign key to the item, related rows the serializers show).
    CHILD_ROWS = [
        ("cosignatures", CoSignature, "suggestion", ("deputy",)),
        ("evaluations", Evaluation, "suggestion", ()),
        ("return_requests", ReturnRequest, "suggestion", ("assignment", "assignment__unit")),
        ("extension_requests", ExtensionRequest, "suggestion", ("assignment", "assignment__unit")),
        ("followups", FollowUp, "suggestion", ("assignment", "assignment__unit")),
        ("attachments", Attachment, "object_id", ()),
    ]

    def get_queryset(self):
        qs = super().get_queryset().for_list()
        if self.action == "list":
            # The list's columns only: no long texts, no session row (its key is the column).
            # Its units, as a JSON array in the row's own statement.
            qs = qs.select_related(None).select_related("lead_deputy__delegation", "category").only(
                *s.SuggestionListSerializer.Meta.model_fields, "lead_deputy__name", "lead_deputy__delegation__name",
                "category__name",
            ).prefetch_related(None).annotate(_units_json=Subquery(
                Assignment.objects.filter(suggestion_id=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES)
                .order_by().values("suggestion_id")
                .annotate(rows=jsonrows.JSONArrayAgg(JSONObject(id=F("id"), unit=F("unit_id"), name=F("unit__name"),
                                                                 role=F("role"))))
                .values("rows"),
                output_field=TextField(),
            ))
        if self.action not in ("list", "export"):
            attachments = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Suggestion))
            qs = qs.prefetch_related(None).select_related("lead_deputy__delegation").annotate(**{
                f"_json_{name}": jsonrows.rows_of(attachments if model is Attachment else model.objects.all(), fk, rel)
                for name, model, fk, rel in self.CHILD_ROWS
            }).prefetch_related(
                Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "category")),
                Prefetch(
                    "replies",
                    queryset=Reply.objects.visible_to(self.request.user)
                    .select_related("assignment__unit", "category").prefetch_related("attachments"),
                    to_attr="visible_replies",
                ),
            )
        return qs

    def _loaded(self, obj):
        for name, model, fk, _rel in self.CHILD_ROWS:
            raw = obj.__dict__.pop(f"_json_{name}", None)
            jsonrows.load(obj, name, raw, model, fk)
        return obj

    def get_object(self):
        obj = super().get_object()
        return self._loaded(obj) if self.action not in ("list", "export") else obj

    def get_serializer_class(self):
        if self.action == "list":
            return s.SuggestionListSerializer
        if self.action in ("create", "partial_update"):
            return s.SuggestionWriteSerializer
        return s.SuggestionDetailSerializer

    def _detail(self, pk, code=status.HTTP_200_OK):
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        self._loaded(obj)
        return Response(s.SuggestionDetailSerializer(obj, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.SuggestionWriteSerializer, responses={201: s.SuggestionDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = s.SuggestionWriteSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = svc.suggestion_create(
            actor=request.user, title=d["title"], situation=d["situation"], proposal=d["proposal"],
            category=d.get("category"), is_public=d.get("is_public", True), is_confidential=d.get("is_confidential", False),
            files=_checked_files(request),
        )
        return self._detail(obj.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.SuggestionWriteSerializer, responses=s.SuggestionDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        ser = s.SuggestionWriteSerializer(data=request.data, context={"request": request}, partial=True)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        version = d.pop("version", None)
        svc.suggestion_update(actor=request.user, suggestion=obj, version=version, **d)
        return self._detail(obj.pk)

    @extend_schema(responses=inline_serializer("SimilarSuggestions", {
        "suggested_unit": serializers.CharField(allow_null=True),
        "items": serializers.ListField(child=serializers.DictField()),
    }))
    @action(detail=True, methods=["get"])
    def similar(self, request, pk=None):
        """Most similar earlier suggestions of the term (character bigrams), for review."""
        if not request.user.is_internal:
            raise PermissionDenied(_("只有人大机关工作人员可以查看相似建议。"))
        obj = self.get_object()
        similar = selectors.similar_suggestions(obj, Suggestion.objects.visible_to(request.user))
        unit = selectors.suggest_unit(similar)
        return Response({
            "suggested_unit": unit.name if unit else None,
            "suggested_unit_id": unit.pk if unit else None,
            "items": [
                {"id": o.pk, "number": o.number, "title": o.title, "score": score, "status": o.status,
                 "units": [a.unit.name for a in o.answering]}
                for o, score in similar
            ],
        })

    @extend_schema(responses=inline_serializer("HistoryEntry", {
        "at": serializers.DateTimeField(), "actor": serializers.CharField(), "action": serializers.CharField(),
        "summary": serializers.CharField(), "reason": serializers.CharField(), "changes": serializers.DictField(),
    }, many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """The item's timeline: who did what, when and why."""
        from congress.history import visible_history

        obj = self.get_object()
        return Response([
            {"at": e.at, "actor": str(e.actor or ""), "action": e.action, "summary": e.summary, "reason": e.reason,
             "changes": e.changes}
            for e in visible_history(obj, request.user, limit=200)
        ])

    @extend_schema(
        request=inline_serializer("BulkAssign", {
            "assigned_on": serializers.DateField(required=False),
            "rows": serializers.ListField(child=inline_serializer("BulkAssignRow", {
                "suggestion": serializers.IntegerField(), "lead_unit": serializers.IntegerField(required=False),
                "co_units": serializers.ListField(child=serializers.IntegerField(), required=False),
                "separate_units": serializers.ListField(child=serializers.IntegerField(), required=False),
                "is_complex": serializers.BooleanField(required=False),
            })),
        }),
        responses=s.SuggestionListSerializer(many=True),
    )
    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        """Assignment meeting: assign many accepted items at once, all or nothing."""
        from congress.models import HandlingUnit

        visible = self.get_queryset()
        units = {u.pk: u for u in HandlingUnit.objects.filter(is_active=True)}
        rows = []
        for raw in request.data.get("rows") or []:
            sugg = visible.filter(pk=raw.get("suggestion")).first()
            if sugg is None:
                raise Http404
            rows.append({
                "suggestion": sugg,
                "lead_unit": units.get(raw.get("lead_unit")),
                "co_units": [units[u] for u in raw.get("co_units") or [] if u in units],
                "separate_units": [units[u] for u in raw.get("separate_units") or [] if u in units],
                "is_complex": raw.get("is_complex"),
            })
        on = request.data.get("assigned_on")
        assigned_on = serializers.DateField().to_internal_value(on) if on else None
        done = svc.suggestion_bulk_assign(actor=request.user, rows=rows, assigned_on=assigned_on)
        qs = self.get_queryset().filter(pk__in=[d.pk for d in done])
        return Response(s.SuggestionListSerializer(qs, many=True).data)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered list as an Excel file (same filters and scope as the list), when it has
        at most EXPORT_INLINE_MAX_ROWS rows; a longer list answers 400 naming its length:
        POST /api/v1/exports/ {"kind": "suggestions", "query": …} then writes every row."""
        qs = self.filter_queryset(self.get_queryset())
        n = export_jobs.count_rows(qs)
        if n > settings.EXPORT_INLINE_MAX_ROWS:
            return Response({
                "detail": _("共%(n)s行，超过直接下载的%(max)s行；请通过 POST /api/v1/exports/ 创建导出任务，"
                            "完成后下载全部行。") % {"n": n, "max": settings.EXPORT_INLINE_MAX_ROWS},
                "rows": n, "limit": settings.EXPORT_INLINE_MAX_ROWS,
                "jobs_url": request.build_absolute_uri(reverse("export-list")),
                "kind": "suggestions", "query": export_jobs.clean_query(request.GET),
            }, status=status.HTTP_400_BAD_REQUEST)
        audit.record(request, audit.Action.EXPORT, obj="suggestions.xlsx", detail=request.GET.urlencode())
        return xlsx_response(f"suggestions-{today():%Y%m%d}.xlsx", **exports.suggestions_sheet(qs))


def _make_suggestion_action(name, act):
    t = SUGGESTION_TRANSITIONS[name]

    def handler(self, request, pk=None):
        obj = self.get_object()
        error = _run_form_action(request, obj, act, form_kwargs(name, request.user, obj))
        return error or self._detail(obj.pk)

    handler.__name__ = name
    handler.__doc__ = f"{t.label}。{t.refusal}"
    handler = extend_schema(
        request=s.serializer_for_form(act.form, f"suggestion_{name}"),
        responses={200: s.SuggestionDetailSerializer},
        summary=str(t.label),
    )(handler)
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handler)


for _name, _act in SUGGESTION_ACTIONS.items():
    setattr(SuggestionViewSet, _name, _make_suggestion_action(_name, _act))


# ------------------------------------------------------------------ bills
class BillViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    base_queryset = Bill.objects.all()
    filterset_class = BillFilterSet
    parser_classes = PARSERS
    ordering = ["-session__start_date", "serial", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().for_list().annotate(
            confirmed_cosigners=Count("cosignatures", filter=Q(cosignatures__status=CoSignStatus.CONFIRMED))
        )
        if self.action != "list":
            qs = qs.prefetch_related("cosignatures__deputy", "attachments").select_related("converted_suggestion")
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return s.BillSerializer
        if self.action in ("create", "partial_update"):
            return s.BillWriteSerializer
        return s.BillDetailSerializer

    def _detail(self, pk, code=status.HTTP_200_OK):
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.BillDetailSerializer(obj, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.BillWriteSerializer, responses={201: s.BillDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = s.BillWriteSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        b = svc.bill_create(actor=request.user, title=d["title"], grounds=d["grounds"], solution=d["solution"],
                            is_public=d.get("is_public", True), files=_checked_files(request))
        return self._detail(b.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.BillWriteSerializer, responses=s.BillDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        b = self.get_object()
        ser = s.BillWriteSerializer(data=request.data, context={"request": request}, partial=True)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        version = d.pop("version", None)
        svc.bill_update(actor=request.user, bill=b, version=version, **d)
        return self._detail(b.pk)


def _make_bill_action(name, act):
    t = BILL_TRANSITIONS[name]

    def handler(self, request, pk=None):
        obj = self.get_object()
        error = _run_form_action(request, obj, act)
        return error or self._detail(obj.pk)

    handler.__name__ = name
    handler.__doc__ = f"{t.label}。{t.refusal}"
    handler = extend_schema(request=s.serializer_for_form(act.form, f"bill_{name}"),
                            responses={200: s.BillDetailSerializer}, summary=str(t.label))(handler)
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handler)


for _name, _act in BILL_ACTIONS.items():
    setattr(BillViewSet, _name, _make_bill_action(_name, _act))


# ------------------------------------------------------------------ read-only companions
class CoSignatureViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Co-signing invitations; `?inbox=true` lists those waiting for my answer."""

    base_queryset = CoSignature.objects.select_related("deputy")
    serializer_class = s.CoSignatureSerializer
    filterset_fields = ["status", "suggestion", "bill"]

    @extend_schema(parameters=[OpenApiParameter("inbox", bool, description="只列出等待我答复的邀请")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset().order_by("-invited_at", "-id")
        if self.request.query_params.get("inbox") in ("1", "true", "True"):
            qs = qs.filter(pk__in=CoSignature.objects.inbox_of(self.request.user).values("pk"))
        return qs


class AssignmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments of visible items; `?overdue=true` is the overdue list (a unit sees its own)."""

    base_queryset = Assignment.objects.select_related("unit", "category")
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering = ["due_date", "id"]

    def get_queryset(self):
        qs = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        if self.request.user.is_unit_user:
            qs = qs.filter(unit_id=self.request.user.unit_id)
        return qs


class ReplyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    base_queryset = Reply.objects.select_related("assignment__unit", "category").prefetch_related("attachments")
    serializer_class = s.ReplySerializer
    filterset_fields = ["suggestion", "status", "round", "is_current"]
    ordering = ["-id"]


class SuggestionCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SuggestionCategory.objects.all()
    serializer_class = s.SuggestionCategorySerializer
    pagination_class = None


class ReplyCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ReplyCategory.objects.all()
    serializer_class = s.ReplyCategorySerializer
    pagination_class = None


# ------------------------------------------------------------------ follow-ups
class FollowUpViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    base_queryset = FollowUp.objects.select_related("assignment__unit", "suggestion")
    serializer_class = s.FollowUpSerializer
    filterset_class = FollowUpFilterSet
    ordering = ["due_date", "id"]

    @extend_schema(request=inline_serializer("FollowUpComplete", {"result": serializers.CharField(),
                                                                   "version": serializers.IntegerField(required=False)}),
                   responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        f = self.get_object()
        f = svc.followup_complete(actor=request.user, followup=f, result=request.data.get("result", ""),
                                  version=request.data.get("version"))
        return Response(s.FollowUpSerializer(f).data)

    @extend_schema(request=inline_serializer("CarryOver", {"year": serializers.IntegerField()}),
                   responses=inline_serializer("CarryOverResult", {"carried": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="carry-over")
    def carry_over(self, request):
        try:
            year = int(request.data.get("year"))
        except (TypeError, ValueError):
            return Response({"year": [_("年度无效。")]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"carried": svc.followup_carry_over(actor=request.user, year=year)})


# ------------------------------------------------------------------ activities and opinions
class ActivityViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    base_queryset = Activity.objects.select_related("station").prefetch_related("deputies")
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering = ["-date", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        a = svc.activity_create(actor=request.user, **ser.validated_data)
        return Response(s.ActivitySerializer(a).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActivitySerializer)
    def partial_update(self, request, *args, **kwargs):
        a = self.get_object()
        ser = self.get_serializer(a, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        a = svc.activity_update(actor=request.user, activity=a, version=request.data.get("version"), **ser.validated_data)
        return Response(s.ActivitySerializer(a).data)


class CitizenOpinionViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    base_queryset = CitizenOpinion.objects.select_related("station", "deputy", "routed_unit", "routed_office")
    serializer_class = s.CitizenOpinionSerializer
    filterset_class = CitizenOpinionFilterSet
    parser_classes = PARSERS
    ordering = ["-received_on", "-id"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        o = svc.opinion_register(actor=request.user, **ser.validated_data)
        return Response(s.CitizenOpinionSerializer(o, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _make_opinion_action(name, act):
    t = OPINION_TRANSITIONS[name]

    def handler(self, request, pk=None):
        obj = self.get_object()
        error = _run_form_action(request, obj, act)
        if error:
            return error
        return Response(s.CitizenOpinionSerializer(CitizenOpinion.objects.get(pk=obj.pk),
                                                    context={"request": request}).data)

    handler.__name__ = name
    handler = extend_schema(request=s.serializer_for_form(act.form, f"opinion_{name}"),
                            responses=s.CitizenOpinionSerializer, summary=str(t.label))(handler)
    return action(detail=True, methods=["post"])(handler)


for _name, _act in OPINION_ACTIONS.items():
    setattr(CitizenOpinionViewSet, _name, _make_opinion_action(_name, _act))


# ------------------------------------------------------------------ statistics, duty record, public
class StatisticsView(APIView):
    """The year's rates with their definitions (domain §2), overall and by dimension,
    computed over the items this user may see."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("by", str, enum=list(selectors.DIMENSIONS))],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        year = clean_year(request.query_params.get("year"), default=today().year)
        scoped = Suggestion.objects.visible_to(request.user)
        overall = selectors.suggestion_rates(scoped, year)
        data = {
            "year": year,
            "counts": overall["counts"],
            "rates": overall["rates"],
            "definitions": [{"key": k, "label": str(label), "definition": str(d)} for k, label, d in selectors.RATE_DEFINITIONS],
        }
        by = request.query_params.get("by")
        if by:
            if by not in selectors.DIMENSIONS:
                return Response({"by": [_("无效的分组。")]}, status=status.HTTP_400_BAD_REQUEST)
            data["by"] = selectors.rates_by(scoped, year, by)
        return Response(data)


class DutyRecordView(APIView):
    """A deputy's duty record (履职档案): the deputy themselves and committee staff."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        dep = get_visible_or_404(Deputy, request.user, pk=pk)
        own = svc.deputy_of(request.user)
        if not (request.user.is_internal or (own is not None and own.pk == dep.pk)):
            raise Http404
        record = selectors.duty_record(dep, year=clean_year(request.query_params.get("year")))
        record["deputy"] = {"id": dep.pk, "name": dep.name}
        return Response(record)


class PublicSuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published replies and handling results, no sign-in; never confidential or private."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = s.PublicSuggestionSerializer
    filterset_class = PublicSuggestionFilterSet

    def get_queryset(self):
        return Suggestion.objects.published().select_related("lead_deputy", "category").prefetch_related(
            Prefetch("replies", queryset=Reply.objects.filter(status="sent", is_current=True).select_related(
                "assignment__unit", "category"), to_attr="public_replies")
        ).order_by("-replied_on", "-id")
