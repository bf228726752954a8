"""REST endpoints of supervision work: every list, detail and step, scoped by role.
Reads start from visible_to(user); writes call services (403 wrong role, 400 wrong
state or input, 409 stale version)."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import jsonrows
from congress.models import Meeting
from congress.scoping import ScopedViewSetMixin, get_visible_or_404
from congress.workdays import today

from .. import documents, selectors, services
from .. import filtersets as fs
from ..models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    FiledDocument,
    Interpellation,
    LivelihoodProject,
    ProjectMilestone,
    SatisfactionVote,
    SupervisionItem,
    SupervisionStep,
)
from ..permissions import can_read_letter
from . import serializers as s


def _run(serializer_class, request, fn, **extra):
    ser = serializer_class(data=request.data, context={"request": request})
    ser.is_valid(raise_exception=True)
    return fn(**extra, **ser.validated_data)


class ItemViewSet(jsonrows.KeyListsMixin, ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Supervision items. Lists filter by type, year, body, office, status and overdue
    (the same FilterSet as the page)."""

    base_queryset = SupervisionItem.objects.all()
    filterset_class = fs.SupervisionItemFilterSet
    ordering_fields = ["year", "hearing_date", "title", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().for_list()
        if self.action == "retrieve":
            # The three lists of keys come in the item's own statement (congress/jsonrows.py).
            qs = self.with_key_lists(qs)
            qs = qs.prefetch_related(
                Prefetch("steps", queryset=SupervisionStep.objects.order_by("order", "id")),
                Prefetch("opinions", queryset=DeliberationOpinion.objects.order_by("round")),
                "votes",
            )
        return qs.order_by("-year", "hearing_date", "id")

    KEY_LISTS = ("departments", "members", "invited_deputies")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return s.ItemWriteSerializer
        return s.ItemDetailSerializer if self.action == "retrieve" else s.ItemListSerializer

    def _detail(self, item):
        item = self.loaded(self.get_queryset().get(pk=item.pk))
        return Response(s.ItemDetailSerializer(item, context={"request": self.request}).data)

    @extend_schema(request=s.ItemWriteSerializer, responses={201: s.ItemDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = s.ItemWriteSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("version", None)
        data.pop("reason", None)
        item = services.item_create(actor=request.user, **data)
        resp = self._detail(item)
        resp.status_code = status.HTTP_201_CREATED
        return resp

    @extend_schema(request=s.ItemWriteSerializer, responses=s.ItemDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        ser = s.ItemWriteSerializer(item, data=request.data, partial=True, context={"request": request})
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version", None)
        reason = data.pop("reason", "")
        services.item_update(actor=request.user, item=item, version=version, reason=reason, **data)
        return self._detail(item)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=s.TransitionSerializer, responses=s.ItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        _run(s.TransitionSerializer, request, services.item_transition, actor=request.user, item=item)
        return self._detail(item)

    @extend_schema(request={"multipart/form-data": s.ImportSerializer}, responses={201: s.AuditProblemSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="import-audit-problems",
            parser_classes=[MultiPartParser, FormParser])
    def import_audit_problems(self, request, pk=None):
        item = self.get_object()
        created = _run(s.ImportSerializer, request, services.audit_problems_import, actor=request.user, item=item)
        return Response(s.AuditProblemSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectVotesSerializer, responses=s.ProjectSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="project-votes")
    def project_votes(self, request, pk=None):
        item = self.get_object()
        ser = s.ProjectVotesSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        votes = {r["project"]: (r["votes_for"], r["votes_against"], r["votes_abstain"]) for r in d["votes"]}
        projects = services.project_votes_record(
            actor=request.user, item=item, voters_total=d["voters_total"], seats=d["seats"], votes=votes,
            voted_on=d.get("voted_on"),
        )
        return Response(s.ProjectSerializer(projects, many=True, context={"request": request}).data)


class StepViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Steps of every item with their deadlines (the table of choices.STEP_TABLE)."""

    base_queryset = SupervisionStep.objects.all()
    serializer_class = s.StepSerializer
    filterset_class = fs.SupervisionStepFilterSet
    ordering_fields = ["due_date", "order", "id"]

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "order", "id")

    @extend_schema(request=s.StepCompleteSerializer, responses=s.StepSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        step = _run(s.StepCompleteSerializer, request, services.step_complete, actor=request.user, step=self.get_object())
        return Response(s.StepSerializer(step).data)

    @extend_schema(request=s.StepUpdateSerializer, responses=s.StepSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        step = _run(s.StepUpdateSerializer, request, services.step_update, actor=request.user, step=self.get_object())
        return Response(s.StepSerializer(step).data)


class OpinionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The deliberation-opinion loop: compile (create), approve, issue, report, follow up."""

    base_queryset = DeliberationOpinion.objects.select_related("item")
    serializer_class = s.OpinionSerializer
    filterset_class = fs.DeliberationOpinionFilterSet
    ordering_fields = ["report_due", "issue_due", "id"]

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "round")

    def _out(self, opinion, code=status.HTTP_200_OK):
        opinion.refresh_from_db()
        return Response(s.OpinionSerializer(opinion).data, status=code)

    @extend_schema(request=s.OpinionCompileSerializer, responses={201: s.OpinionSerializer})
    def create(self, request, *args, **kwargs):
        opinion = _run(s.OpinionCompileSerializer, request, services.opinion_compile, actor=request.user)
        return self._out(opinion, status.HTTP_201_CREATED)

    @extend_schema(request=s.OpinionTextSerializer, responses=s.OpinionSerializer)
    @action(detail=True, methods=["post"])
    def text(self, request, pk=None):
        return self._out(_run(s.OpinionTextSerializer, request, services.opinion_update_text, actor=request.user,
                              opinion=self.get_object()))

    @extend_schema(request=s.OpinionApproveSerializer, responses=s.OpinionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._out(_run(s.OpinionApproveSerializer, request, services.opinion_approve, actor=request.user,
                              opinion=self.get_object()))

    @extend_schema(request=s.OpinionIssueSerializer, responses=s.OpinionSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._out(_run(s.OpinionIssueSerializer, request, services.opinion_issue, actor=request.user,
                              opinion=self.get_object()))

    @extend_schema(request=s.OpinionReportSerializer, responses=s.OpinionSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._out(_run(s.OpinionReportSerializer, request, services.opinion_submit_report, actor=request.user,
                              opinion=self.get_object()))

    @extend_schema(request=s.OpinionFollowUpSerializer, responses=s.OpinionSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        return self._out(_run(s.OpinionFollowUpSerializer, request, services.opinion_follow_up, actor=request.user,
                              opinion=self.get_object()))


class VoteViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Satisfaction votes; the result and its rule are computed, never sent."""

    base_queryset = SatisfactionVote.objects.all()
    serializer_class = s.VoteSerializer
    filterset_class = fs.SatisfactionVoteFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "voted_on", "id")

    def create(self, request, *args, **kwargs):
        vote = _run(s.VoteSerializer, request, services.vote_record, actor=request.user)
        return Response(s.VoteSerializer(vote, context={"request": request}).data, status=status.HTTP_201_CREATED)


class _ChildWriteMixin:
    """create/partial_update through a `<thing>_save` service."""

    save_service = None
    parent_kw = "item"
    obj_kw = None

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("version", None)
        item = data.pop("item")
        obj = type(self).save_service(actor=request.user, item=item, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        ser = self.get_serializer(obj, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version", None)
        data.pop("item", None)
        type(self).save_service(actor=request.user, item=obj.item, version=version, **{self.obj_kw: obj}, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)


class AuditProblemViewSet(ScopedViewSetMixin, _ChildWriteMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    """Audit problems (import from Excel on the item: items/{id}/import-audit-problems/)."""

    base_queryset = AuditProblem.objects.select_related("item")
    serializer_class = s.AuditProblemSerializer
    filterset_class = fs.AuditProblemFilterSet
    save_service = staticmethod(services.audit_problem_save)
    obj_kw = "problem"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "id")

    @extend_schema(request=s.EvidenceSerializer, responses=s.AuditProblemSerializer)
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        obj = _run(s.EvidenceSerializer, request, services.audit_problem_submit_evidence, actor=request.user,
                   problem=self.get_object())
        return Response(s.AuditProblemSerializer(obj, context={"request": request}).data)

    @extend_schema(request=s.VerifySerializer, responses=s.AuditProblemSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        obj = _run(s.VerifySerializer, request, services.audit_problem_verify, actor=request.user,
                   problem=self.get_object())
        return Response(s.AuditProblemSerializer(obj, context={"request": request}).data)


class ProjectViewSet(ScopedViewSetMixin, _ChildWriteMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """Livelihood projects: candidates, vote (items/{id}/project-votes/), progress, milestones."""

    base_queryset = LivelihoodProject.objects.select_related("item").prefetch_related(
        Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_date", "id"))
    )
    serializer_class = s.ProjectSerializer
    filterset_class = fs.LivelihoodProjectFilterSet
    save_service = staticmethod(services.project_save)
    obj_kw = "project"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "-votes_for", "id")

    @extend_schema(request=s.ProgressSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        obj = _run(s.ProgressSerializer, request, services.project_progress, actor=request.user,
                   project=self.get_object())
        return Response(s.ProjectSerializer(self.get_queryset().get(pk=obj.pk), context={"request": request}).data)

    @extend_schema(request=s.MilestoneWriteSerializer, responses={201: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        m = _run(s.MilestoneWriteSerializer, request, services.milestone_save, actor=request.user,
                 project=self.get_object())
        return Response(s.MilestoneSerializer(m).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="reminder-letter")
    def reminder_letter(self, request, pk=None):
        project = self.get_object()
        if not can_read_letter(request.user, project):
            raise Http404
        return documents.reminder_letter_response(project, today())


class MilestoneViewSet(ScopedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Milestones of livelihood projects (created on the project: projects/{id}/milestones/).
    PATCH records a milestone reached; the lead office may also move its title and date."""

    base_queryset = ProjectMilestone.objects.select_related("project")
    serializer_class = s.MilestoneSerializer
    filterset_class = fs.ProjectMilestoneFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("project_id", "due_date", "id")

    @extend_schema(request=s.MilestoneUpdateSerializer, responses=s.MilestoneSerializer)
    def partial_update(self, request, *args, **kwargs):
        m = self.get_object()
        ser = s.MilestoneUpdateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        m = services.milestone_save(
            actor=request.user, project=m.project, milestone=m, version=d["version"],
            title=d.get("title", m.title), due_date=d.get("due_date", m.due_date),
            done_on=d["done_on"] if "done_on" in d else m.done_on,
        )
        return Response(s.MilestoneSerializer(m).data)


class AppraisalTargetViewSet(ScopedViewSetMixin, _ChildWriteMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                             viewsets.ReadOnlyModelViewSet):
    base_queryset = AppraisalTarget.objects.select_related("item")
    serializer_class = s.AppraisalTargetSerializer
    filterset_class = fs.AppraisalTargetFilterSet
    save_service = staticmethod(services.appraisal_target_save)
    obj_kw = "target"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "id")

    @extend_schema(request=s.CountsSerializer, responses=s.AppraisalTargetSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        obj = _run(s.CountsSerializer, request, services.appraisal_vote, actor=request.user, target=self.get_object())
        return Response(s.AppraisalTargetSerializer(obj, context={"request": request}).data)

    @extend_schema(request=s.RectificationSerializer, responses=s.AppraisalTargetSerializer)
    @action(detail=True, methods=["post"])
    def rectification(self, request, pk=None):
        obj = _run(s.RectificationSerializer, request, services.appraisal_rectification, actor=request.user,
                   target=self.get_object())
        return Response(s.AppraisalTargetSerializer(obj, context={"request": request}).data)


class InterpellationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    base_queryset = Interpellation.objects.select_related("item")
    serializer_class = s.InterpellationSerializer
    filterset_class = fs.InterpellationFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "id")

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = services.interpellation_create(actor=request.user, **ser.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AnswerSerializer, responses=s.InterpellationSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        obj = _run(s.AnswerSerializer, request, services.interpellation_answer, actor=request.user, inter=self.get_object())
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=s.DissatisfactionSerializer, responses=s.InterpellationSerializer)
    @action(detail=True, methods=["post"])
    def dissatisfaction(self, request, pk=None):
        obj = _run(s.DissatisfactionSerializer, request, services.interpellation_record_dissatisfaction,
                   actor=request.user, inter=self.get_object())
        return Response(self.get_serializer(obj).data)


class FiledDocumentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    base_queryset = FiledDocument.objects.select_related("item")
    serializer_class = s.FiledDocumentSerializer
    filterset_class = fs.FiledDocumentFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("item_id", "-published_on", "id")

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = services.filed_document_create(actor=request.user, **ser.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReviewSerializer, responses=s.FiledDocumentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        obj = _run(s.ReviewSerializer, request, services.filed_document_review, actor=request.user, doc=self.get_object())
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=s.FilingAnswerSerializer, responses=s.FiledDocumentSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        obj = _run(s.FilingAnswerSerializer, request, services.filed_document_answer, actor=request.user,
                   doc=self.get_object())
        return Response(self.get_serializer(obj).data)


class StatsView(APIView):
    """Year figures of supervision work (reports heard, 三查, inquiries, appraisals,
    livelihood projects, audit problems and rectification rate), each with its definition."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年度（默认今年）")],
        responses=s.SupervisionFigureSerializer(many=True),
    )
    def get(self, request):
        year = request.query_params.get("year")
        year = int(year) if year and year.isdigit() else today().year
        figures = selectors.year_figures(SupervisionItem.objects.visible_to(request.user), year)
        return Response(s.SupervisionFigureSerializer(figures, many=True).data)


class MeetingDueView(APIView):
    """Everything due at a meeting with its preparation deadlines (T-20, T-10, T-7)."""

    @extend_schema(responses=s.MeetingDueSerializer)
    def get(self, request, meeting_id):
        meeting = get_visible_or_404(Meeting, request.user, pk=meeting_id)
        data = selectors.meeting_agenda(SupervisionItem.objects.visible_to(request.user).with_overdue(), meeting)
        data["meeting"] = meeting.pk
        return Response(s.MeetingDueSerializer(data, context={"request": request}).data)
