"""Pages of annual plans: plan index and tree, import with preview, item list with
filters, inline progress and bulk assignment, item page, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress.exceptions import EditConflict
from congress.forms import apply_errors
from congress.history import history_for
from congress.models import Attachment
from congress.pagination import CappedPaginator, wants_exact
from congress.scoping import get_visible_or_404
from congress.security import audit
from congress.uploads import download_response
from congress.views_exports import export_or_offer
from congress.workdays import today

from . import exports, importer, selectors, services
from .choices import TRANSITIONS, ItemStatus
from .filtersets import PlanItemFilterSet
from .forms import BulkAssignForm, ImportForm, InlineProgressForm, PlanForm, PlanItemForm, ProgressForm, StatusForm
from .models import ImportDraft, Plan, PlanItem, ProgressEntry

PAGE_SIZE = 50




def keep_typed_with_new_version(form, version: int) -> None:
    """After an edit conflict the form keeps what the user typed but carries the current
    version, so a second save (after reading what changed) is a deliberate overwrite."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


def _internal_only(user) -> None:
    if not user.is_internal:
        raise PermissionDenied(_("只有人大机关工作人员可以执行此操作。"))


# ---------------------------------------------------------------------------
# Plans


@login_required
def plan_list(request):
    plans = selectors.plans_for_list(request.user)
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "can_create": services.can_create_plan(request.user)},
    )


@login_required
def plan_create(request):
    if not services.can_create_plan(request.user):
        raise PermissionDenied(_("只有人大机关工作人员可以新建年度计划。"))
    form = PlanForm(request.POST or None, initial={"year": today().year, "owner_office": request.user.office_id})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建年度计划，请导入计划原文。"))
            return redirect("plans:plan-import", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request, pk):
    plan = get_visible_or_404(Plan, request.user, pk=pk)
    if not services.can_manage_plan(request.user, plan):
        raise PermissionDenied(_("您没有权限修改该年度计划。"))
    form = PlanForm(request.POST or None, instance=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.plan_update(actor=request.user, plan=plan, version=form.cleaned_data.get("version"), **data)
        except EditConflict as exc:
            conflict = Plan.objects.get(pk=pk)
            apply_errors(form, exc)
            keep_typed_with_new_version(form, conflict.version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan, "conflict": conflict})


@login_required
def plan_detail(request, pk):
    plan = get_visible_or_404(Plan.objects.select_related("owner_office", "approved_at"), request.user, pk=pk)
    items = list(selectors.plan_items(plan))
    roots = selectors.build_tree(items)
    drafts = (
        plan.import_drafts.filter(confirmed_at__isnull=True).select_related("created_by")
        if request.user.is_internal
        else ImportDraft.objects.none()
    )
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "roots": roots,
            # The same count as the plan list: work items (leaves), not section headings.
            "item_count": sum(1 for i in items if not i.tree_children),
            "can_manage": services.can_manage_plan(request.user, plan),
            "drafts": drafts,
            "history": history_for(plan)[:30] if request.user.is_internal else [],
        },
    )


@login_required
def plan_export_docx(request, pk):
    plan = get_visible_or_404(Plan, request.user, pk=pk)
    items = plan.items.select_related("lead_office", "vice_chair").order_by("path")
    data = exports.plan_docx(plan, items)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename=plan-{plan.pk}.docx"
    audit.record(request, audit.Action.EXPORT, obj=plan)
    return response


# ---------------------------------------------------------------------------
# Import with preview


# The import wizard: paste or upload the text, then check the recognised tree and confirm.
IMPORT_STEPS = (gettext_lazy("粘贴或上传原文"), gettext_lazy("核对层级并确认导入"))


@login_required
def plan_import(request, pk):
    plan = get_visible_or_404(Plan, request.user, pk=pk)
    if not services.can_manage_plan(request.user, plan):
        raise PermissionDenied(_("您没有权限导入该年度计划。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            draft = services.plan_import_preview(
                actor=request.user,
                plan=plan,
                text=form.cleaned_data.get("text") or "",
                file_name=upload.name if upload else "",
                file_data=upload.read() if upload else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("plans:draft-preview", pk=draft.pk)
    return render(
        request, "plans/plan_import.html", {"plan": plan, "form": form, "steps": IMPORT_STEPS, "step": 1}
    )


def _draft_for(request, pk) -> ImportDraft:
    draft = get_visible_or_404(ImportDraft.objects.select_related("plan"), request.user, pk=pk)
    if not services.can_manage_plan(request.user, draft.plan):
        raise PermissionDenied(_("您没有权限查看该导入草稿。"))
    return draft


def _draft_context(draft: ImportDraft, error: str = "") -> dict:
    nodes = list(draft.nodes)
    tree = importer.as_tree(nodes)
    for n in nodes:
        n.setdefault("position", 0)
    flat = []

    def walk(items):
        for it in items:
            it["sentences"] = importer.node_sentences(it)
            flat.append(it)
            walk(it["children"])

    walk(tree)
    counts = importer.counts_by_level(nodes)
    return {
        "draft": draft,
        "plan": draft.plan,
        "flat": flat,
        "counts": counts,
        "total": len(nodes),
        "meta": draft.meta or {},
        "error": error,
        "problems": importer.validate_nodes(nodes),
    }


@login_required
def draft_preview(request, pk):
    draft = _draft_for(request, pk)
    if draft.confirmed_at:
        messages.info(request, _("该草稿已确认导入。"))
        return redirect(draft.plan)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                created = services.draft_confirm(actor=request.user, draft=draft, version=request.POST.get("version"))
                messages.success(request, _("已导入%d个条目。") % len(created))
                return redirect(draft.plan)
            if action == "discard":
                services.draft_discard(actor=request.user, draft=draft)
                messages.info(request, _("已放弃本次导入，未保存任何条目。"))
                return redirect(draft.plan)
            draft = services.draft_edit(
                actor=request.user,
                draft=draft,
                op=action,
                index=request.POST.get("index", -1),
                level=request.POST.get("level") or None,
                sentence=request.POST.get("sentence") or None,
                title=request.POST.get("title"),
                target=request.POST.get("target"),
                item_type=request.POST.get("item_type") or None,
                version=request.POST.get("version"),
            )
        except ValidationError as exc:
            error = "；".join(m for m in (exc.messages if hasattr(exc, "messages") else [str(exc)]))
            draft = ImportDraft.objects.select_related("plan").get(pk=draft.pk)
        if request.headers.get("HX-Request"):
            return render(request, "plans/partials/draft_tree.html", _draft_context(draft, error))
        if not error:
            return redirect("plans:draft-preview", pk=draft.pk)
    context = _draft_context(draft, error)
    from .choices import ItemType

    context["item_types"] = ItemType.choices
    context["steps"], context["step"] = IMPORT_STEPS, 2
    return render(request, "plans/draft_preview.html", context)


# ---------------------------------------------------------------------------
# Items


def _style_filter_form(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select form-select-sm" if hasattr(widget, "choices") else "form-control form-control-sm"
        widget.attrs["class"] = css


def _filtered_items(request):
    base = selectors.items_for_list(request.user)
    filterset = PlanItemFilterSet(request.GET or None, queryset=base, request=request)
    _style_filter_form(filterset.form)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else (base if not filterset.is_bound else base.none())
    return filterset, qs


@login_required
def item_list(request):
    filterset, qs = _filtered_items(request)
    page = CappedPaginator(qs, PAGE_SIZE, exact=wants_exact(request.GET)).get_page(request.GET.get("page"))
    rows = []
    for item in page:
        item.can_progress = services.can_post_progress(request.user, item) and not item.child_count
        rows.append(item)
    query = request.GET.copy()
    query.pop("page", None)
    can_bulk = request.user.is_internal and any(services.can_manage_plan(request.user, i.plan) for i in rows)
    return render(
        request,
        "plans/item_list.html",
        {
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "bulk_form": BulkAssignForm() if can_bulk else None,
            "total": page.paginator.count,
        },
    )


@login_required
def item_export_xlsx(request):
    """The filtered items as Excel: at once when short, else offered as an export job."""
    return export_or_offer(request, "plan_items")


@login_required
@require_POST
def item_bulk_assign(request):
    _internal_only(request.user)
    form = BulkAssignForm(request.POST)
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    items = list(PlanItem.objects.visible_to(request.user).filter(pk__in=ids))
    back = request.POST.get("next") or reverse("plans:item-list")
    if not back.startswith("/"):
        back = reverse("plans:item-list")
    if not form.is_valid():
        for e in form.non_field_errors():
            messages.error(request, e)
        for name, errs in form.errors.items():
            if name != "__all__":
                messages.error(request, f"{form.fields[name].label}：{'；'.join(errs)}")
        return redirect(back)
    try:
        n = services.item_bulk_assign(actor=request.user, items=items, **form.values())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已批量设置%d个条目。") % n)
    return redirect(back)


@login_required
def item_detail(request, pk):
    item = get_visible_or_404(
        PlanItem.objects.select_related("plan", "parent", "lead_office", "vice_chair", "meeting", "meeting__term"),
        request.user,
        pk=pk,
    )
    children = list(item.children.select_related("lead_office").order_by("path"))
    progress_form = ProgressForm(initial={"version": item.version, "percent": item.progress})
    status_form = StatusForm(initial={"version": item.version})
    status_form.fields["status"].choices = [(s, ItemStatus(s).label) for s in TRANSITIONS.get(item.status, [])]
    return render(request, "plans/item_detail.html", _detail_context(request, item, children, progress_form, status_form))


def _detail_context(request, item, children, progress_form, status_form, conflict=None):
    return {
        "item": item,
        "children": children,
        "ancestors": _ancestors(item),
        "entries": selectors.progress_entries(item),
        "links": selectors.item_links(item, request.user),
        "cooperating": list(item.cooperating_offices.all()) + list(item.cooperating_units.all()),
        "history": history_for(item)[:100] if request.user.is_internal else [],
        "progress_form": progress_form,
        "status_form": status_form,
        "can_progress": services.can_post_progress(request.user, item) and not children,
        "can_update": services.can_update_item(request.user, item),
        "can_status": services.can_change_status(request.user, item) and bool(TRANSITIONS.get(item.status)),
        "status_requirements": services.status_requirements(item),
        "conflict": conflict,
    }


def _ancestors(item):
    chain = []
    node = item.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@login_required
def item_edit(request, pk):
    item = get_visible_or_404(PlanItem.objects.select_related("plan", "lead_office"), request.user, pk=pk)
    if not services.can_update_item(request.user, item):
        raise PermissionDenied(_("只有牵头委室或计划起草委室的工作人员可以修改该条目。"))
    form = PlanItemForm(request.POST or None, instance=item, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        for name in ("lead_office", "vice_chair"):
            if form.fields[name].disabled:
                data.pop(name, None)
        try:
            services.item_update(actor=request.user, item=item, version=form.cleaned_data.get("version"), **data)
        except EditConflict as exc:
            # The second editor is told, sees what changed and keeps what they typed.
            conflict = PlanItem.objects.select_related("lead_office", "vice_chair").get(pk=pk)
            apply_errors(form, exc)
            keep_typed_with_new_version(form, conflict.version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("plans:item-detail", pk=pk)
    return render(
        request,
        "plans/item_form.html",
        {"form": form, "item": item, "conflict": conflict, "conflict_history": history_for(item)[:3] if conflict else []},
    )


@login_required
def item_create(request, pk):
    plan = get_visible_or_404(Plan, request.user, pk=pk)
    if not services.can_manage_plan(request.user, plan):
        raise PermissionDenied(_("您没有权限在该计划中添加条目。"))
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id and str(parent_id).isdigit():
        parent = get_visible_or_404(PlanItem, request.user, pk=int(parent_id), plan=plan)
    form = PlanItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        title = data.pop("title")
        try:
            item = services.item_create(actor=request.user, plan=plan, parent=parent, title=title, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加条目。"))
            return redirect(item)
    return render(request, "plans/item_form.html", {"form": form, "item": None, "plan": plan, "parent": parent})


@login_required
@require_POST
def item_progress(request, pk):
    """Post progress from the item page or inline from a list row (htmx: the row is
    replaced in place; errors and conflicts show in the row with the input kept)."""
    item = get_visible_or_404(
        selectors.items_for_list(request.user).select_related("meeting", "meeting__term"), request.user, pk=pk
    )
    inline = request.POST.get("inline") == "1"
    form = (InlineProgressForm if inline else ProgressForm)(request.POST, request.FILES)
    if not services.can_post_progress(request.user, item):
        raise PermissionDenied(_("只有牵头委室的工作人员可以报送该条目的进度。"))
    conflict = False
    if form.is_valid():
        try:
            services.item_post_progress(
                actor=request.user,
                item=item,
                percent=form.cleaned_data["percent"],
                text=form.cleaned_data["text"],
                version=form.cleaned_data.get("version"),
                files=form.cleaned_data.get("files") or (),
            )
        except EditConflict as exc:
            conflict = True
            apply_errors(form, exc)
            keep_typed_with_new_version(form, PlanItem.objects.get(pk=pk).version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if inline:
                return _progress_rows(request, pk)
            messages.success(request, _("已报送进度。"))
            return redirect("plans:item-detail", pk=pk)
    if inline:
        fresh = selectors.items_for_list(request.user).get(pk=pk)
        fresh.can_progress = True
        return render(
            request,
            "plans/partials/item_row.html",
            {
                "item": fresh,
                "inline_form": form,
                "row_conflict": conflict,
                "open_form": True,
                "show_check": request.POST.get("show_check") == "1",
            },
        )
    item = PlanItem.objects.select_related("plan", "parent", "lead_office", "vice_chair", "meeting").get(pk=pk)
    children = list(item.children.select_related("lead_office").order_by("path"))
    status_form = StatusForm(initial={"version": item.version})
    status_form.fields["status"].choices = [(s, ItemStatus(s).label) for s in TRANSITIONS.get(item.status, [])]
    return render(
        request,
        "plans/item_detail.html",
        _detail_context(request, item, children, form, status_form, conflict=item if conflict else None),
    )


def _progress_rows(request, pk):
    """The reported row, plus the rows of its ancestors that the list shows (the form
    sends the listed ids), swapped out of band: their percent rolled up from this one."""
    show_check = request.POST.get("show_check") == "1"
    fresh = selectors.items_for_list(request.user).get(pk=pk)
    fresh.can_progress = True
    html = render_to_string(
        "plans/partials/item_row.html",
        {"item": fresh, "row_message": _("已报送"), "show_check": show_check},
        request=request,
    )
    listed = {int(i) for i in request.POST.getlist("listed") if i.isdigit()}
    parts = fresh.path.split(".")
    prefixes = [".".join(parts[:n]) for n in range(1, len(parts))]
    if listed and prefixes:
        ancestors = selectors.items_for_list(request.user).filter(
            plan_id=fresh.plan_id, path__in=prefixes, pk__in=listed
        )
        for parent in ancestors:
            parent.can_progress = False  # parents roll up from their children
            html += "<template>%s</template>" % render_to_string(
                "plans/partials/item_row.html", {"item": parent, "oob": True, "show_check": show_check}, request=request
            )
    return HttpResponse(html)


@login_required
@require_POST
def item_status(request, pk):
    item = get_visible_or_404(PlanItem.objects.select_related("plan", "parent"), request.user, pk=pk)
    if not services.can_change_status(request.user, item):
        raise PermissionDenied(_("您没有权限修改该条目的状态。"))
    form = StatusForm(request.POST)
    form.fields["status"].choices = [(s, ItemStatus(s).label) for s in TRANSITIONS.get(item.status, [])]
    conflict = None
    if form.is_valid():
        try:
            services.item_change_status(
                actor=request.user,
                item=item,
                status=form.cleaned_data["status"],
                version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("reason", ""),
                outcome=form.cleaned_data.get("outcome", ""),
            )
        except EditConflict as exc:
            conflict = PlanItem.objects.get(pk=pk)
            apply_errors(form, exc)
            keep_typed_with_new_version(form, conflict.version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("状态已更新。"))
            return redirect("plans:item-detail", pk=pk)
    item = PlanItem.objects.select_related("plan", "parent", "lead_office", "vice_chair", "meeting").get(pk=pk)
    children = list(item.children.select_related("lead_office").order_by("path"))
    progress_form = ProgressForm(initial={"version": item.version, "percent": item.progress})
    return render(
        request,
        "plans/item_detail.html",
        _detail_context(request, item, children, progress_form, form, conflict=conflict),
    )


@login_required
def attachment_download(request, pk):
    """A progress entry's file. Files follow their entry's visibility (the plan's scope):
    out of scope, or attached to another kind of record, is a 404."""
    att = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if att is None or att.content_type.model_class() is not ProgressEntry:
        raise Http404
    if not ProgressEntry.objects.visible_to(request.user).filter(pk=att.object_id).exists():
        raise Http404
    audit.record(request, audit.Action.DOWNLOAD, obj=att.name)
    try:
        return download_response(att.file.open("rb"), att.name)
    except FileNotFoundError:
        raise Http404
