"""Pages of supervision work: the list (with the same FilterSet as the API) and its Excel
export, an item's page with its steps, opinion loop and typed records, one form page
per step or action, and a meeting's supervision agenda."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.exceptions import EditConflict
from congress.filtersets import year_or_default
from congress.forms import apply_errors as _apply_errors
from congress.history import history_for
from congress.models import Attachment, Meeting
from congress.pagination import CappedPaginator, wants_exact
from congress.scoping import get_visible_or_404
from congress.security import audit
from congress.uploads import download_response
from congress.views_exports import export_or_offer
from congress.workdays import coverage_warning, today

from . import choices as c
from . import documents, forms, selectors, services
from . import permissions as perms
from .filtersets import SupervisionItemFilterSet
from .models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    FiledDocument,
    Interpellation,
    LivelihoodProject,
    ProjectMilestone,
    SupervisionItem,
    SupervisionStep,
)

# --- list and export ---------------------------------------------------------------------

def _filtered(request):
    base = SupervisionItem.objects.visible_to(request.user).for_list()
    data = request.GET.copy()
    filterset = SupervisionItemFilterSet(data, queryset=base, request=request)
    for field in filterset.form.fields.values():
        css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
        field.widget.attrs["class"] = css
    qs = filterset.qs if filterset.is_valid() else base.none()
    return filterset, qs.order_by("-year", "hearing_date", "id")


@login_required
def item_list(request):
    filterset, qs = _filtered(request)
    if request.GET.get("format") == "xlsx":
        return export_or_offer(request, "supervision_items")
    page = CappedPaginator(qs, 30, exact=wants_exact(request.GET)).get_page(request.GET.get("page"))
    export_qs = request.GET.copy()
    export_qs["format"] = "xlsx"
    export_qs.pop("page", None)
    return render(request, "supervision/item_list.html", {
        "filterset": filterset, "page": page, "can_create": perms.can_create(request.user),
        "export_query": export_qs.urlencode(), "today": today(),
    })


# --- detail ------------------------------------------------------------------------------

def _detail_queryset():
    return SupervisionItem.objects.select_related(
        "lead_office", "target_unit", "meeting", "meeting__term", "agenda_item", "plan_item", "created_by"
    ).prefetch_related(
        Prefetch("steps", queryset=SupervisionStep.objects.select_related("done_by").order_by("order", "id")),
        Prefetch("opinions", queryset=DeliberationOpinion.objects.select_related("approval_meeting__term").order_by("round")),
        "votes", "departments", "members", "invited_deputies",
        Prefetch("audit_problems", queryset=AuditProblem.objects.select_related("responsible_unit").order_by("id")),
        Prefetch("projects", queryset=LivelihoodProject.objects.select_related("department").prefetch_related(
            Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_date", "id")))),
        Prefetch("appraisal_targets", queryset=AppraisalTarget.objects.select_related("unit")),
        Prefetch("interpellations", queryset=Interpellation.objects.select_related("addressed_unit")),
        Prefetch("filed_documents", queryset=FiledDocument.objects.select_related("maker")),
    )


@login_required
def item_detail(request, pk):
    item = get_visible_or_404(_detail_queryset(), request.user, pk=pk)
    user = request.user
    now = today()
    steps = list(item.steps.all())
    for step in steps:
        step.colour = "" if (step.done_on or step.skipped) else selectors.due_colour(step.due_date, now)
    problems = list(item.audit_problems.all())
    rectified = sum(1 for p in problems if p.status == c.ProblemStatus.RECTIFIED)
    projects = list(item.projects.all())
    for p in projects:
        p.slipped = documents.slipped_milestones(p, now)
    ct = ContentType.objects.get_for_model(SupervisionItem)
    attachments = Attachment.objects.filter(content_type=ct, object_id=item.pk).select_related("uploaded_by")
    return render(request, "supervision/item_detail.html", {
        "item": item,
        "steps": steps,
        "opinions": list(item.opinions.all()),
        "votes": list(item.votes.all()),
        "problems": problems,
        "rectified": rectified,
        "rectification_rate": services.rules.rectification_rate(rectified, len(problems)),
        "projects": projects,
        "targets": list(item.appraisal_targets.all()),
        "interpellations": list(item.interpellations.all()),
        "filed_documents": list(item.filed_documents.all()),
        "attachments": attachments,
        "can_edit": perms.can_edit(user, item),
        "is_body": perms.is_body_user(user, item),
        "user_unit_id": user.unit_id,
        "vote_rule": c.VOTE_RULE_TEXT,
        "history": history_for(item)[:100] if user.is_internal else [],
        "warning": coverage_warning(*[s.due_date for s in steps]),
        "finance_warning": _finance_calendar_warning(item),
        "today": now,
        "T": c.SupervisionType,
        "loop": item.has_opinion_loop,
    })


def _finance_calendar_warning(item) -> str:
    """Supervision Law art. 17-18: final accounts and first-half execution at a June-September session."""
    if item.kind != c.SupervisionType.BUDGET_REVIEW or item.finance_kind not in c.SUMMER_FINANCE_KINDS:
        return ""
    if item.hearing_date and not 6 <= item.hearing_date.month <= 9:
        return _("决算和上半年计划、预算执行情况应在6月至9月的常委会会议上审议，请核对审议会议。")
    if not item.hearing_date:
        return _("尚未安排审议会议：决算和上半年计划、预算执行情况应在6月至9月的常委会会议上审议。")
    return ""


# --- create and edit ---------------------------------------------------------------------

@login_required
def item_create(request):
    if not perms.can_create(request.user):
        raise Http404
    initial = {"year": today().year}
    agenda_id = request.GET.get("agenda_item")
    if agenda_id and agenda_id.isdigit():
        from congress.models import AgendaItem

        agenda = AgendaItem.objects.visible_to(request.user).filter(pk=agenda_id).select_related("meeting").first()
        if agenda:
            initial.update(agenda_item=agenda.pk, meeting=agenda.meeting_id, title=agenda.title,
                           target_unit=agenda.reporting_unit_id, year=agenda.meeting.start_date.year,
                           kind=selectors.AGENDA_KIND_TO_TYPE.get(agenda.kind, ""))
    for key in ("kind", "plan_item"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = forms.ItemForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.user, **form.service_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已新建监督事项，步骤和期限已按监督方式生成。"))
            return redirect(item)
    return render(request, "supervision/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk):
    item = get_visible_or_404(SupervisionItem, request.user, pk=pk)
    if not perms.can_edit(request.user, item):
        messages.error(request, _("只有牵头委室的工作人员可以修改该监督事项。"))
        return redirect(item)
    form = forms.ItemForm(request.POST or None, instance=item, user=request.user)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.item_update(actor=request.user, item=SupervisionItem.objects.get(pk=item.pk),
                                 version=form.cleaned_data.get("version"), reason=form.cleaned_data.get("reason", ""),
                                 **data)
        except EditConflict as exc:
            conflict = True
            _apply_errors(form, exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(item)
    return render(request, "supervision/item_form.html", {"form": form, "item": item, "conflict": conflict},
                  status=409 if conflict else 200)


# --- actions (one form page per step or action) ------------------------------------------

@dataclass
class Act:
    label: str
    form: type
    model: type | None
    run: Callable
    done: str = ""
    initial: Callable | None = None
    form_kwargs: Callable | None = None
    files: bool = False


def _v(cd):
    return cd.get("version")


def _strip(cd, *names):
    return {k: v for k, v in cd.items() if k not in ("version", *names)}


ACTIONS: dict[str, Act] = {
    "step-complete": Act(gettext_lazy("完成步骤"), forms.StepCompleteForm, SupervisionStep,
                         lambda u, i, o, f: services.step_complete(actor=u, step=o, version=_v(f.cleaned_data),
                                                                    **_strip(f.cleaned_data)), gettext_lazy("步骤已完成。")),
    "step-change": Act(gettext_lazy("调整步骤"), forms.StepChangeForm, SupervisionStep,
                       lambda u, i, o, f: services.step_update(
                           actor=u, step=o, version=_v(f.cleaned_data), due_date=f.cleaned_data["due_date"],
                           skipped=f.cleaned_data["skipped"] if o.is_optional else None, reopen=f.cleaned_data["reopen"],
                           note=f.cleaned_data["note"]), gettext_lazy("步骤已调整。"),
                       initial=lambda o: {"due_date": o.due_date, "skipped": o.skipped, "note": o.note}),
    "transition": Act(gettext_lazy("变更状态"), forms.TransitionForm, None,
                      lambda u, i, o, f: services.item_transition(actor=u, item=i, version=_v(f.cleaned_data),
                                                                   **_strip(f.cleaned_data)), gettext_lazy("状态已变更。")),
    "opinion-compile": Act(gettext_lazy("汇总审议意见"), forms.OpinionCompileForm, None,
                           lambda u, i, o, f: services.opinion_compile(actor=u, item=i, **f.cleaned_data),
                           gettext_lazy("审议意见已汇总，请提交主任会议。")),
    "opinion-text": Act(gettext_lazy("修改审议意见"), forms.OpinionTextForm, DeliberationOpinion,
                        lambda u, i, o, f: services.opinion_update_text(actor=u, opinion=o, **f.cleaned_data),
                        gettext_lazy("已保存。"), initial=lambda o: {"text": o.text}),
    "opinion-approve": Act(gettext_lazy("记录主任会议通过"), forms.OpinionApproveForm, DeliberationOpinion,
                           lambda u, i, o, f: services.opinion_approve(actor=u, opinion=o, **f.cleaned_data),
                           gettext_lazy("已记录主任会议通过。")),
    "opinion-issue": Act(gettext_lazy("交办审议意见"), forms.OpinionIssueForm, DeliberationOpinion,
                         lambda u, i, o, f: services.opinion_issue(
                             actor=u, opinion=o, version=_v(f.cleaned_data), issued_on=f.cleaned_data["issued_on"],
                             in_person=f.cleaned_data["in_person"], report_due=f.cleaned_data["report_due"]),
                         gettext_lazy("审议意见已交办，已通知被监督机关。")),
    "opinion-report": Act(gettext_lazy("报送研究处理情况"), forms.OpinionReportForm, DeliberationOpinion,
                          lambda u, i, o, f: services.opinion_submit_report(actor=u, opinion=o, **f.cleaned_data),
                          gettext_lazy("研究处理情况已报送。")),
    "opinion-follow-up": Act(gettext_lazy("跟踪监督"), forms.OpinionFollowUpForm, DeliberationOpinion,
                             lambda u, i, o, f: services.opinion_follow_up(actor=u, opinion=o, **f.cleaned_data),
                             gettext_lazy("已记录跟踪监督情况。")),
    "vote": Act(gettext_lazy("记录满意度测评"), forms.VoteForm, None,
                lambda u, i, o, f: services.vote_record(actor=u, item=i, **f.cleaned_data), gettext_lazy("已记录测评结果。"),
                initial=lambda o: {"voted_on": today()}),
    "problem-add": Act(gettext_lazy("新增审计查出问题"), forms.AuditProblemForm, None,
                       lambda u, i, o, f: services.audit_problem_save(actor=u, item=i, **_strip(f.cleaned_data)),
                       gettext_lazy("已新增。")),
    "problem-edit": Act(gettext_lazy("修改审计查出问题"), forms.AuditProblemForm, AuditProblem,
                        lambda u, i, o, f: services.audit_problem_save(actor=u, item=i, problem=o, version=_v(f.cleaned_data),
                                                                        **_strip(f.cleaned_data)), gettext_lazy("已保存。"),
                        form_kwargs=lambda o: {"instance": o}),
    "problem-import": Act(gettext_lazy("从Excel导入审计查出问题"), forms.ImportForm, None,
                          lambda u, i, o, f: services.audit_problems_import(actor=u, item=i, file=f.cleaned_data["file"]),
                          gettext_lazy("已导入问题清单。"), files=True),
    "problem-evidence": Act(gettext_lazy("报送整改情况"), forms.EvidenceForm, AuditProblem,
                            lambda u, i, o, f: services.audit_problem_submit_evidence(actor=u, problem=o, **f.cleaned_data),
                            gettext_lazy("整改情况已报送。"), initial=lambda o: {"measures": o.measures, "evidence": o.evidence}),
    "problem-verify": Act(gettext_lazy("对账销号"), forms.VerifyForm, AuditProblem,
                          lambda u, i, o, f: services.audit_problem_verify(actor=u, problem=o, **f.cleaned_data),
                          gettext_lazy("已销号。")),
    "project-add": Act(gettext_lazy("新增候选项目"), forms.ProjectForm, None,
                       lambda u, i, o, f: services.project_save(actor=u, item=i, **_strip(f.cleaned_data)), gettext_lazy("已新增。")),
    "project-edit": Act(gettext_lazy("修改项目"), forms.ProjectForm, LivelihoodProject,
                        lambda u, i, o, f: services.project_save(actor=u, item=i, project=o, version=_v(f.cleaned_data),
                                                                  **_strip(f.cleaned_data)), gettext_lazy("已保存。"),
                        form_kwargs=lambda o: {"instance": o}),
    "project-votes": Act(gettext_lazy("记录代表票决结果"), forms.ProjectVotesForm, None,
                         lambda u, i, o, f: services.project_votes_record(
                             actor=u, item=i, voters_total=f.cleaned_data["voters_total"], seats=f.cleaned_data["seats"],
                             voted_on=f.cleaned_data["voted_on"], votes=f.votes()), gettext_lazy("已记录票决结果。"),
                         form_kwargs=lambda o, item=None: {}),
    "project-progress": Act(gettext_lazy("更新项目进度"), forms.ProgressForm, LivelihoodProject,
                            lambda u, i, o, f: services.project_progress(actor=u, project=o, **f.cleaned_data),
                            gettext_lazy("进度已更新。"), initial=lambda o: {"percent": o.progress_percent}),
    "milestone-add": Act(gettext_lazy("新增项目节点"), forms.MilestoneForm, LivelihoodProject,
                         lambda u, i, o, f: services.milestone_save(actor=u, project=o, **f.cleaned_data), gettext_lazy("已新增节点。")),
    "milestone-edit": Act(gettext_lazy("记录节点完成情况"), forms.MilestoneEditForm, ProjectMilestone,
                          lambda u, i, o, f: services.milestone_save(
                              actor=u, project=o.project, milestone=o, version=_v(f.cleaned_data),
                              **_strip(f.cleaned_data)), gettext_lazy("节点已更新。"),
                          initial=lambda o: {"title": o.title, "due_date": o.due_date, "done_on": o.done_on}),
    "target-add": Act(gettext_lazy("新增评议对象"), forms.AppraisalTargetForm, None,
                      lambda u, i, o, f: services.appraisal_target_save(actor=u, item=i, **_strip(f.cleaned_data)),
                      gettext_lazy("已新增。")),
    "target-edit": Act(gettext_lazy("修改评议对象"), forms.AppraisalTargetForm, AppraisalTarget,
                       lambda u, i, o, f: services.appraisal_target_save(actor=u, item=i, target=o, version=_v(f.cleaned_data),
                                                                         **_strip(f.cleaned_data)), gettext_lazy("已保存。"),
                       form_kwargs=lambda o: {"instance": o}),
    "target-vote": Act(gettext_lazy("记录评议测评"), forms.CountsForm, AppraisalTarget,
                       lambda u, i, o, f: services.appraisal_vote(actor=u, target=o, **f.cleaned_data), gettext_lazy("已记录测评结果。")),
    "target-rectification": Act(gettext_lazy("报送整改情况"), forms.RectificationForm, AppraisalTarget,
                                lambda u, i, o, f: services.appraisal_rectification(actor=u, target=o, **f.cleaned_data),
                                gettext_lazy("整改情况已报送。")),
    "interpellation-add": Act(gettext_lazy("登记质询案"), forms.InterpellationForm, None,
                              lambda u, i, o, f: services.interpellation_create(actor=u, item=i, **f.cleaned_data),
                              gettext_lazy("已登记质询案。")),
    "interpellation-answer": Act(gettext_lazy("记录答复"), forms.InterpellationAnswerForm, Interpellation,
                                 lambda u, i, o, f: services.interpellation_answer(actor=u, inter=o, **f.cleaned_data),
                                 gettext_lazy("已记录答复。")),
    "interpellation-second": Act(gettext_lazy("记录再次答复"), forms.InterpellationAnswerForm, Interpellation,
                                 lambda u, i, o, f: services.interpellation_answer(actor=u, inter=o, second=True,
                                                                                   **f.cleaned_data),
                                 gettext_lazy("已记录再次答复。")),
    "interpellation-dissatisfaction": Act(gettext_lazy("记录提案人意见"), forms.DissatisfactionForm, Interpellation,
                                          lambda u, i, o, f: services.interpellation_record_dissatisfaction(
                                              actor=u, inter=o, **f.cleaned_data), gettext_lazy("已记录。")),
    "filing-add": Act(gettext_lazy("登记备案文件"), forms.FiledDocumentForm, None,
                      lambda u, i, o, f: services.filed_document_create(actor=u, item=i, **f.cleaned_data), gettext_lazy("已登记。")),
    "filing-review": Act(gettext_lazy("审查"), forms.ReviewForm, FiledDocument,
                         lambda u, i, o, f: services.filed_document_review(actor=u, doc=o, **f.cleaned_data), gettext_lazy("已记录审查结果。")),
    "filing-answer": Act(gettext_lazy("记录制定机关答复"), forms.FilingAnswerForm, FiledDocument,
                         lambda u, i, o, f: services.filed_document_answer(actor=u, doc=o, **f.cleaned_data), gettext_lazy("已记录。")),
    "attachment": Act(gettext_lazy("上传材料"), forms.AttachmentForm, None,
                      lambda u, i, o, f: services.attachment_add(actor=u, item=i, **f.cleaned_data), gettext_lazy("已上传。"),
                      files=True),
}


def _child(act: Act, item, obj_id):
    if act.model is None:
        return None
    if not obj_id or not str(obj_id).isdigit():
        raise Http404
    qs = act.model._default_manager.filter(pk=obj_id)
    qs = qs.filter(item=item)
    obj = qs.first()
    if obj is None:
        raise Http404
    return obj


# The actions that are steps of the opinion loop: their page lists services.opinion_unmet first.
OPINION_STEP_OF_ACTION = {"opinion-approve": "approve", "opinion-issue": "issue", "opinion-report": "report",
                          "opinion-follow-up": "follow_up"}


@login_required
def item_action(request, pk, action):
    act = ACTIONS.get(action)
    if act is None:
        raise Http404
    item = get_visible_or_404(SupervisionItem.objects.select_related("lead_office", "target_unit"), request.user, pk=pk)
    obj = _child(act, item, request.GET.get("obj") or request.POST.get("obj"))
    kwargs = {}
    if act.form_kwargs:
        kwargs.update(act.form_kwargs(obj))
    if action == "project-votes":
        kwargs["projects"] = item.projects.order_by("id")
    initial = {"version": obj.version} if obj is not None else {}
    if obj is None and "version" in act.form.base_fields:
        # Item-level actions with a version (status change) carry the item's version read.
        initial["version"] = item.version
    if act.initial:
        initial.update(act.initial(obj))
    if request.method == "POST":
        form = act.form(request.POST, request.FILES if act.files else None, initial=initial, **kwargs)
    else:
        form = act.form(initial=initial, **kwargs)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            act.run(request.user, item, obj, form)
        except EditConflict as exc:
            conflict = True
            _apply_errors(form, exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except services.NotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, str(act.done))
            return redirect(reverse("supervision:item-detail", args=[item.pk]) + f"#{action.split('-')[0]}")
    status = 409 if conflict else 200
    step = OPINION_STEP_OF_ACTION.get(action)
    unmet = [m for _f, m in services.opinion_unmet(obj, step)] if step and obj is not None else []
    return render(request, "supervision/action_form.html", {
        "item": item, "obj": obj, "act": act, "form": form, "action": action, "conflict": conflict, "unmet": unmet,
        "vote_rule": c.VOTE_RULE_TEXT if action in ("vote", "target-vote") else "",
    }, status=status)


@login_required
def attachment_download(request, pk, att_id):
    item = get_visible_or_404(SupervisionItem, request.user, pk=pk)
    att = Attachment.objects.filter(pk=att_id).first()
    if att is None:
        raise Http404
    owner = att.target
    owner_item_id = owner.pk if isinstance(owner, SupervisionItem) else getattr(owner, "item_id", None)
    if owner_item_id != item.pk:
        raise Http404
    audit.record(request, audit.Action.DOWNLOAD, obj=att.name)
    try:
        return download_response(att.file.open("rb"), att.name)
    except FileNotFoundError:
        raise Http404


@login_required
def reminder_letter(request, pk, project_id):
    item = get_visible_or_404(SupervisionItem, request.user, pk=pk)
    project = LivelihoodProject.objects.filter(item=item, pk=project_id).select_related(
        "item__lead_office", "department").prefetch_related("milestones").first()
    if project is None or not perms.can_read_letter(request.user, project):
        raise Http404
    return documents.reminder_letter_response(project, today())


# --- meetings ----------------------------------------------------------------------------

@login_required
def meeting_agenda(request, meeting_id):
    meeting = get_visible_or_404(Meeting.objects.select_related("term"), request.user, pk=meeting_id)
    items = SupervisionItem.objects.visible_to(request.user)
    data = selectors.meeting_agenda(items, meeting)
    now = today()
    for p in data["prep"]:
        p.draft_colour = "" if p.draft_done else selectors.due_colour(p.draft_due, now)
        p.final_colour = "" if p.final_done else selectors.due_colour(p.final_due, now)
        p.notice_colour = "" if p.notice_done else selectors.due_colour(p.notice_due, now)
    return render(request, "supervision/meeting_agenda.html", {
        "meeting": meeting, **data, "today": now, "can_create": perms.can_create(request.user),
    })


@login_required
def meeting_list(request):
    """Upcoming and recent standing-committee meetings, each linking to its supervision agenda."""
    meetings = (
        Meeting.objects.visible_to(request.user).filter(kind=Meeting.Kind.STANDING, start_date__year=_year(request))
        .select_related("term").order_by("start_date")
    )
    from django.db.models import Count

    meetings = meetings.annotate(
        n_items=Count("supervision_items", filter=Q(supervision_items__in=SupervisionItem.objects.visible_to(request.user)),
                      distinct=True)
    )
    return render(request, "supervision/meeting_list.html", {"meetings": meetings, "year": _year(request)})


def _year(request) -> int:
    return year_or_default(request.GET.get("year"), today().year)


@login_required
def year_overview(request):
    """The year's supervision figures, each with its definition (reused by the year-end dashboard)."""
    year = _year(request)
    items = SupervisionItem.objects.visible_to(request.user)
    return render(request, "supervision/year_overview.html", {
        "year": year, "figures": selectors.year_figures(items, year), "by_kind": selectors.counts_by_kind(items, year),
    })
