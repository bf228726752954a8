"""Pages of legislative plans and regulation projects: plan list, plan with its projects
by category, import with preview, project list, project with its step timeline,
documents and actions. Every page is a 404 where the module is switched off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.exceptions import EditConflict
from congress.forms import apply_errors
from congress.history import history_for
from congress.models import Attachment
from congress.pagination import CappedPaginator, wants_exact
from congress.scoping import get_visible_or_404
from congress.security import audit
from congress.uploads import download_response
from congress.workdays import today

from . import services_projects as services
from .choices import CLOSED_STATUSES, MEETING_STEPS, Category, DocumentKind, Step, next_step, step_sequence
from .filtersets import LegislativePlanFilterSet, RegulationProjectFilterSet
from .forms import (
    AdvanceForm,
    CarryOverForm,
    DateActionForm,
    DocumentForm,
    ImportForm,
    LinkAgendaForm,
    PlanForm,
    ProjectForm,
    ShelveForm,
)
from .gate import require_enabled
from .models import LegislativePlan, RegulationProject

PAGE_SIZE = 50


def _page(view):
    return require_enabled(login_required(view))




# ---------------------------------------------------------------------------
# Plans


@_page
def plan_list(request):
    base = LegislativePlan.objects.visible_to(request.user).annotate(
        project_count=Count("projects", distinct=True),
        passed_count=Count("projects", filter=Q(projects__voted_on__isnull=False), distinct=True),
    ).order_by("-year", "kind", "id")
    filterset = LegislativePlanFilterSet(request.GET, queryset=base, request=request)
    plans = filterset.qs if filterset.is_valid() else base.none()
    return render(request, "legislation/plan_list.html", {
        "filterset": filterset, "plans": plans, "can_create": services.can_manage_plans(request.user),
    })


@_page
def plan_create(request):
    if not services.can_manage_plans(request.user):
        raise PermissionDenied(_("只有法工委的工作人员和系统管理员可以新建立法计划。"))
    form = PlanForm(request.POST or None, initial={"year": today().year + 1}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建立法计划。"))
            return redirect(plan)
    return render(request, "legislation/plan_form.html", {"form": form, "plan": None})


@_page
def plan_edit(request, pk):
    plan = get_visible_or_404(LegislativePlan, request.user, pk=pk)
    if not services.can_manage_plans(request.user):
        raise PermissionDenied(_("只有法工委的工作人员和系统管理员可以修改立法计划。"))
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.plan_update(actor=request.user, plan=plan, version=form.cleaned_data.get("version"), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("legislation:plan-detail", pk=pk)
    return render(request, "legislation/plan_form.html", {"form": form, "plan": LegislativePlan.objects.get(pk=pk)})


@_page
def plan_detail(request, pk):
    plan = get_visible_or_404(LegislativePlan.objects.select_related("adopted_at"), request.user, pk=pk)
    projects = list(plan.projects.for_list().select_related("carried_to").order_by("category", "position", "id"))
    groups = []
    for category in Category:
        rows = [p for p in projects if p.category == category]
        if rows:
            groups.append({"label": category.label, "key": category.value, "projects": rows})
    return render(request, "legislation/plan_detail.html", {
        "plan": plan,
        "groups": groups,
        "project_count": len(projects),
        "can_manage": services.can_manage_plans(request.user),
        "history": history_for(plan)[:30] if request.user.is_internal else [],
    })


@_page
def plan_import(request, pk):
    """Paste or upload the plan document, check the projects found, then confirm. The
    confirm step sends the text back, so nothing is stored before the user agrees."""
    plan = get_visible_or_404(LegislativePlan, request.user, pk=pk)
    if not services.can_manage_plans(request.user):
        raise PermissionDenied(_("只有法工委的工作人员和系统管理员可以导入立法计划。"))
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            created = services.plan_import_confirm(
                actor=request.user, plan=plan, text=request.POST.get("source", ""), version=request.POST.get("version"),
            )
        except EditConflict:
            messages.error(request, _("该计划已被他人修改（可能已导入），请查看后再操作。"))
            return redirect(plan)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("legislation:plan-import", pk=pk)
        messages.success(request, _("已导入%(n)d个立法项目。") % {"n": len(created)})
        return redirect(plan)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = source = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            preview, source = services.plan_import_preview(
                actor=request.user, plan=plan, text=form.cleaned_data.get("text") or "",
                file_name=upload.name if upload else "", file_data=upload.read() if upload else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            labels = dict(Category.choices)
            for p in preview.projects:
                p["category_label"] = labels[p["category"]]
                p["kind_label"] = p["kind"].label
    return render(request, "legislation/plan_import.html", {
        "plan": plan, "form": form, "preview": preview, "source": source,
    })


# ---------------------------------------------------------------------------
# Projects


@_page
def project_list(request):
    base = RegulationProject.objects.visible_to(request.user).for_list().order_by("-plan__year", "category", "position", "id")
    filterset = RegulationProjectFilterSet(request.GET, queryset=base, request=request)
    qs = filterset.qs if filterset.is_valid() else base.none()
    page = CappedPaginator(qs, PAGE_SIZE, exact=wants_exact(request.GET)).get_page(request.GET.get("page"))
    return render(request, "legislation/project_list.html", {"filterset": filterset, "page": page, "rows": list(page)})


@_page
def project_create(request, pk):
    plan = get_visible_or_404(LegislativePlan, request.user, pk=pk)
    if not services.can_manage_plans(request.user):
        raise PermissionDenied(_("只有法工委的工作人员和系统管理员可以向立法计划添加项目。"))
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            project = services.project_add(actor=request.user, plan=plan, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加立法项目。"))
            return redirect(project)
    return render(request, "legislation/project_form.html", {"form": form, "plan": plan, "project": None})


@_page
def project_edit(request, pk):
    project = get_visible_or_404(RegulationProject.objects.select_related("plan"), request.user, pk=pk)
    if not services.can_manage_project(request.user, project):
        raise PermissionDenied(_("只有法工委、牵头委员会的工作人员和系统管理员可以修改立法项目。"))
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.project_update(actor=request.user, project=project, version=form.cleaned_data.get("version"), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("legislation:project-detail", pk=pk)
    return render(request, "legislation/project_form.html", {"form": form, "plan": project.plan, "project": project})


def _documents(project):
    labels = dict(DocumentKind.choices)
    docs = list(
        Attachment.objects.filter(content_type=ContentType.objects.get_for_model(RegulationProject), object_id=project.pk)
        .select_related("uploaded_by").order_by("uploaded_at", "id")
    )
    for d in docs:
        d.kind_label = labels.get(d.kind, labels[DocumentKind.OTHER])
    return docs


def _timeline(project, steps):
    """Every step of the sequence: done (with its date and agenda item), the next one,
    the ones to come."""
    done = {s.step: s for s in steps}
    labels = dict(Step.choices)
    seq = step_sequence()
    nxt = next_step(project.current_step) if project.status not in CLOSED_STATUSES else None
    rows = []
    for code in seq:
        record = done.get(code)
        rows.append({
            "code": code, "label": labels[code], "record": record,
            "tone": "done" if record else ("current" if code == nxt else ""),
        })
    return rows


def _consultations(request, project) -> dict:
    """The project's drafts put out for public comment, with their comment counts (one query)."""
    from . import permissions_consultation
    from .choices import ProjectStatus
    from .models import Consultation

    rows = Consultation.objects.visible_to(request.user).filter(project=project).with_counts()
    return {
        "consultations": list(rows.order_by("-start_date", "-id")),
        "can_consult": permissions_consultation.can_create(request.user) and project.status == ProjectStatus.IN_PROGRESS,
    }


def _detail_context(request, project, forms=None):
    steps = list(project.steps.select_related("agenda_item", "agenda_item__meeting", "recorded_by").order_by("date", "id"))
    can_manage = services.can_manage_project(request.user, project)
    nxt = next_step(project.current_step)
    forms = forms or {}
    version = project.version
    ctx = {
        "project": project,
        "timeline": _timeline(project, steps),
        "steps": steps,
        "documents": _documents(project),
        "can_manage": can_manage,
        "next_step": nxt,
        "next_step_label": Step(nxt).label if nxt else "",
        "history": history_for(project)[:30] if request.user.is_internal else [],
        "is_open": project.status not in CLOSED_STATUSES,
        **_consultations(request, project),
    }
    if can_manage:
        ctx.update(
            advance_form=forms.get("advance") or AdvanceForm(initial={"step": nxt, "version": version}, user=request.user),
            approve_form=forms.get("approve") or DateActionForm(initial={"version": version, "date": today()}, prefix="approve"),
            filing_form=forms.get("file") or DateActionForm(initial={"version": version, "date": today()}, prefix="file"),
            shelve_form=forms.get("shelve") or ShelveForm(initial={"version": version}),
            carry_form=forms.get("carry") or CarryOverForm(initial={"version": version}, project=project, user=request.user),
            document_form=forms.get("upload") or DocumentForm(),
            link_form=forms.get("link") or LinkAgendaForm(initial={"version": version}, project=project,
                                                          user=request.user),
            has_meeting_steps=any(s.step in MEETING_STEPS for s in steps),
        )
    return ctx


def _project_for(request, pk):
    return get_visible_or_404(
        RegulationProject.objects.select_related("plan", "lead_office", "drafting_unit", "vice_chair", "previous",
                                                 "previous__plan", "carried_to", "carried_to__plan"),
        request.user, pk=pk,
    )


@_page
def project_detail(request, pk):
    project = _project_for(request, pk)
    return render(request, "legislation/project_detail.html", _detail_context(request, project))


ACTIONS = ("advance", "approve", "file", "shelve", "carry", "upload", "link")


@_page
@require_POST
def project_action(request, pk, action):
    """One action of the project page; a refusal comes back on the same page, next to
    the field, with what the user typed kept."""
    project = _project_for(request, pk)
    if action not in ACTIONS:
        raise Http404
    if not services.can_manage_project(request.user, project):
        raise PermissionDenied(_("只有法工委、牵头委员会的工作人员和系统管理员可以修改立法项目。"))
    form = None
    try:
        if action == "advance":
            form = AdvanceForm(request.POST, user=request.user)
            if form.is_valid():
                d = form.cleaned_data
                services.project_advance(actor=request.user, project=project, step=d["step"], version=d.get("version"),
                                         date=d.get("date"), agenda_item=d.get("agenda_item"), note=d.get("note", ""))
                messages.success(request, _("已登记“%s”。") % Step(d["step"]).label)
        elif action in ("approve", "file"):
            form = DateActionForm(request.POST, prefix=action)
            if form.is_valid():
                d = form.cleaned_data
                if action == "approve":
                    services.project_record_approval(actor=request.user, project=project, approved_on=d["date"],
                                                     version=d.get("version"))
                    messages.success(request, _("已登记省人大常委会批准。"))
                else:
                    services.project_record_filing(actor=request.user, project=project, filed_on=d["date"],
                                                   version=d.get("version"))
                    messages.success(request, _("已登记备案。"))
        elif action == "shelve":
            form = ShelveForm(request.POST)
            if form.is_valid():
                services.project_shelve(actor=request.user, project=project, reason=form.cleaned_data["reason"],
                                        version=form.cleaned_data.get("version"))
                messages.success(request, _("项目已搁置。"))
        elif action == "carry":
            form = CarryOverForm(request.POST, project=project, user=request.user)
            if form.is_valid():
                new = services.project_carry_over(
                    actor=request.user, project=project, next_plan=form.cleaned_data["next_plan"],
                    version=form.cleaned_data.get("version"), reason=form.cleaned_data.get("reason", ""),
                )
                messages.success(request, _("已结转至%s。") % new.plan.title)
                return redirect(new)
        elif action == "link":
            form = LinkAgendaForm(request.POST, project=project, user=request.user)
            if form.is_valid():
                services.project_link_agenda_item(
                    actor=request.user, project=project, step_record=form.cleaned_data["step_record"],
                    agenda_item=form.cleaned_data.get("agenda_item"), version=form.cleaned_data.get("version"),
                )
                messages.success(request, _("已关联会议议题。"))
        elif action == "upload":
            form = DocumentForm(request.POST, request.FILES)
            if form.is_valid():
                services.project_upload_document(actor=request.user, project=project, kind=form.cleaned_data["kind"],
                                                 file=form.cleaned_data["file"])
                messages.success(request, _("已上传。"))
    except ValidationError as exc:
        apply_errors(form, exc)
    if form is not None and not form.errors:
        return redirect("legislation:project-detail", pk=pk)
    project = _project_for(request, pk)
    response = render(request, "legislation/project_detail.html",
                      {**_detail_context(request, project, {action: form}), "open_action": action})
    response.status_code = 400
    return response


@_page
def document_download(request, pk):
    """A project's document: it follows the project's scope; anything else is a 404."""
    att = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if att is None or att.content_type.model_class() is not RegulationProject:
        raise Http404
    if not RegulationProject.objects.visible_to(request.user).filter(pk=att.object_id).exists():
        raise Http404
    audit.record(request, audit.Action.DOWNLOAD, obj=att.name)
    try:
        return download_response(att.file.open("rb"), att.name)
    except FileNotFoundError:
        raise Http404

