"""Pages of deputies' bills and suggestions. Every read starts from visible_to(user);
every write calls a service; refusals come back next to the field with input kept."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.exceptions import NotAllowed
from congress.filtersets import year_or_default
from congress.forms import apply_errors
from congress.history import history_for, visible_history
from congress.models import Attachment, CongressSession, Deputy
from congress.pagination import CappedPaginator, wants_exact
from congress.scoping import get_visible_or_404
from congress.security import audit
from congress.uploads import download_response
from congress.views_exports import export_or_offer
from congress.workdays import coverage_warning, today

from . import exports, selectors
from . import services as svc
from .actions import (
    BILL_ACTIONS,
    OPINION_ACTIONS,
    SUGGESTION_ACTIONS,
    bill_actions_for,
    form_kwargs,
    opinion_actions_for,
    suggestion_actions_for,
)
from .choices import (
    BILL_TRANSITIONS,
    OPINION_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    AssignmentStatus,
    CoSignStatus,
    ReplyStatus,
    SuggestionStatus,
)
from .filtersets import (
    ActivityFilterSet,
    BillFilterSet,
    CitizenOpinionFilterSet,
    FollowUpFilterSet,
    PublicSuggestionFilterSet,
    SuggestionFilterSet,
)
from .forms import (
    ActivityForm,
    AssignForm,
    BillForm,
    CarryOverForm,
    CitizenOpinionForm,
    FollowUpCompleteForm,
    ImportForm,
    SuggestionForm,
)
from .models import (
    Activity,
    Assignment,
    Bill,
    CitizenOpinion,
    CoSignature,
    FollowUp,
    Reply,
    Suggestion,
)

PAGE_SIZE = 30
S = SuggestionStatus




def _page(request, qs):
    return CappedPaginator(qs, PAGE_SIZE, exact=wants_exact(request.GET)).get_page(request.GET.get("page"))


def _require(cond: bool, message: str = "") -> None:
    if not cond:
        raise PermissionDenied(message or _("您没有权限访问此页面。"))


# ------------------------------------------------------------------ suggestions
def _filtered(request):
    base = exports.suggestion_list_base(request.user)
    return SuggestionFilterSet(request.GET or None, queryset=base, request=request)


@login_required
def suggestion_list(request):
    fs = _filtered(request)
    page = _page(request, fs.qs)
    rows = [(s, selectors.due_colour(s.due_date) if s.status in (S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REHANDLING) else "")
            for s in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "deputies/suggestion_list.html", {
        "filter": fs, "page": page, "rows": rows, "query": query.urlencode(),
        "can_create": request.user.is_deputy, "is_office": request.user.is_assigning_clerk,
    })


@login_required
def suggestion_export(request):
    """The filtered list as Excel: at once when short, else offered as an export job."""
    return export_or_offer(request, "suggestions")


@login_required
def suggestion_notices(request):
    """交办单 of every assigned item of the filtered list (for the assignment meeting)."""
    fs = _filtered(request)
    items = list(fs.qs.filter(assigned_on__isnull=False).prefetch_related("cosignatures__deputy")[:500])
    if not items:
        messages.warning(request, _("当前筛选结果中没有已交办的建议。"))
        return redirect(reverse("deputies:suggestion-list") + "?" + request.GET.urlencode())
    resp = HttpResponse(exports.assignment_notice_docx(items), content_type=exports.DOCX)
    resp["Content-Disposition"] = f'attachment; filename="notices-{today():%Y%m%d}.docx"'
    audit.record(request, audit.Action.EXPORT, obj="notices.docx", detail=request.GET.urlencode())
    return resp


@login_required
def suggestion_notice(request, pk):
    s = get_visible_or_404(Suggestion.objects.for_list().prefetch_related("cosignatures__deputy"), request.user, pk=pk)
    if s.assigned_on is None:
        raise Http404
    resp = HttpResponse(exports.assignment_notice_docx([s]), content_type=exports.DOCX)
    resp["Content-Disposition"] = f'attachment; filename="notice-{s.pk}.docx"'
    audit.record(request, audit.Action.EXPORT, obj=s)
    return resp


@login_required
def suggestion_create(request):
    _require(request.user.is_deputy, _("只有人大代表可以提出建议。"))
    # ?opinion=<pk>: the deputy turns a citizen's opinion (代表码) into this suggestion.
    opinion = _opinion_to_take_up(request)
    initial = {"situation": opinion.content, "title": _("关于%(c)s的建议") % {"c": opinion.content[:20]}} if opinion else None
    form = SuggestionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = dict(title=d["title"], situation=d["situation"], proposal=d["proposal"], category=d["category"],
                      is_public=d["is_public"], is_confidential=d["is_confidential"], files=d["files"])
        try:
            if opinion is not None:
                s = svc.opinion_to_suggestion(actor=request.user, opinion=opinion, **fields)
            else:
                s = svc.suggestion_create(actor=request.user, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        else:
            if "submit" in request.POST:
                return _submit_after_save(request, s)
            messages.success(request, _("建议已保存为草稿。可邀请附议代表，确认后提交。"))
            return redirect("deputies:suggestion-detail", pk=s.pk)
    return render(request, "deputies/suggestion_form.html", {
        "form": form, "session": svc.current_session(), "opinion": opinion,
    })


def _opinion_to_take_up(request):
    raw = request.GET.get("opinion")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404
    o = get_visible_or_404(CitizenOpinion, request.user, pk=int(raw))
    if "to_suggestion" not in {a.name for a, _label in opinion_actions_for(request.user, o)}:
        raise PermissionDenied(OPINION_TRANSITIONS["to_suggestion"].refusal)
    return o


def _submit_after_save(request, s):
    """Write and submit in one go: the draft is saved first, so when submitting is refused
    (co-signers still to confirm) nothing typed is lost and the page says why."""
    try:
        svc.suggestion_submit(actor=request.user, suggestion=s)
    except ValidationError as exc:
        messages.error(request, _("已保存为草稿，但未能提交：%(why)s") % {"why": " ".join(exc.messages)})
    except NotAllowed as exc:
        raise PermissionDenied(str(exc))
    else:
        messages.success(request, _("建议已提交，代表工作机构登记后会通知您。"))
    return redirect("deputies:suggestion-detail", pk=s.pk)


@login_required
def suggestion_edit(request, pk):
    s = get_visible_or_404(Suggestion, request.user, pk=pk)
    form = SuggestionForm(request.POST or None, request.FILES or None, instance=s)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        files = d.pop("files")
        version = d.pop("version")
        try:
            svc.suggestion_update(actor=request.user, suggestion=s, version=version, files=files, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        else:
            if "submit" in request.POST:
                s.refresh_from_db()
                return _submit_after_save(request, s)
            messages.success(request, _("已保存。"))
            return redirect("deputies:suggestion-detail", pk=s.pk)
    return render(request, "deputies/suggestion_form.html", {
        "form": form, "suggestion": s, "session": s.session,
        "submit_unmet": [m for _f, m in svc.submit_unmet(s)] if s.status == S.DRAFT else [],
    })


def _attachments_by_target(model, ids):
    ct = ContentType.objects.get_for_model(model)
    by = {}
    for a in Attachment.objects.filter(content_type=ct, object_id__in=list(ids)).order_by("uploaded_at", "id"):
        by.setdefault(a.object_id, []).append(a)
    return by


@login_required
def suggestion_detail(request, pk):
    user = request.user
    s = get_visible_or_404(
        Suggestion.objects.select_related(
            "session", "term", "lead_deputy__delegation", "category", "merged_into", "source_bill", "key_leader",
            "key_office", "suggested_unit",
        ),
        user,
        pk=pk,
    )
    assignments = list(s.assignments.select_related("unit", "category", "signed_by").order_by("role", "id"))
    replies = list(
        Reply.objects.visible_to(user).filter(suggestion=s)
        .select_related("assignment__unit", "category", "approved_by", "drafted_by")
        .order_by("round", "id")
    )
    evaluations = {e.reply_id: e for e in s.evaluations.all()}
    letters = _attachments_by_target(Reply, [r.pk for r in replies])
    for r in replies:
        r.letters = letters.get(r.pk, [])
        r.eval = evaluations.get(r.pk)
    similar, hint = [], None
    if user.is_internal and s.status in (S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED):
        similar = selectors.similar_suggestions(s, Suggestion.objects.visible_to(user))
        hint = selectors.suggest_unit(similar)
    actions = suggestion_actions_for(user, s)
    for a in assignments:
        a.colour = selectors.due_colour(a.due_date) if a.is_responding and a.status in (
            AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED) else ""
        a.window_open = svc.return_window_open(a)
    ctx = {
        "s": s,
        "assignments": assignments,
        "cosignatures": s.cosignatures.select_related("deputy__delegation"),
        "replies": replies,
        "files": svc.attachments_of(s),
        "return_requests": s.return_requests.select_related("assignment__unit", "suggested_unit", "requested_by", "decided_by"),
        "extension_requests": s.extension_requests.select_related("assignment__unit", "requested_by", "decided_by"),
        "contacts": s.contacts.select_related("assignment__unit", "recorded_by"),
        "progress": s.progress_reports.select_related("assignment__unit"),
        "followups": s.followups.select_related("assignment__unit"),
        "merged_items": s.merged_items.select_related("lead_deputy") if user.is_internal else [],
        # The citizens' opinions (代表码) this suggestion took up, as far as this user may see them.
        "source_opinions": CitizenOpinion.objects.visible_to(user).filter(suggestion=s).order_by("id"),
        "similar": similar,
        "hint_unit": hint,
        "actions": [(a, label) for a, label in actions],
        "history": visible_history(s, user),
        "is_lead": bool(svc.deputy_of(user) and svc.deputy_of(user).pk == s.lead_deputy_id),
        "can_edit": s.status == S.DRAFT and bool(svc.deputy_of(user) and svc.deputy_of(user).pk == s.lead_deputy_id),
        "warning": coverage_warning(s.due_date, s.evaluation_due),
        "due_colour": selectors.due_colour(s.due_date) if s.status in (S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING) else "",
    }
    return render(request, "deputies/suggestion_detail.html", ctx)


def _run_action(request, item, action, label, detail_url, list_url, visible_qs, extra_form_kwargs=None):
    kwargs = extra_form_kwargs or {}
    if request.method == "POST":
        form = action.form(request.POST, request.FILES, item=item, user=request.user, **kwargs)
        if form.is_valid():
            try:
                action.run(request.user, item, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc))
            else:
                messages.success(request, _("已%(label)s。") % {"label": label})
                nxt = request.POST.get("next", "")
                # Only back to a page of this site: "//host/…" is another site (open redirect).
                if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                           require_https=request.is_secure()):
                    return redirect(nxt)
                return redirect(detail_url if visible_qs.filter(pk=item.pk).exists() else list_url)
    else:
        form = action.form(item=item, user=request.user, **kwargs)
    return render(request, "deputies/action_form.html", {
        "form": form, "item": item, "label": label, "action": action, "back": detail_url,
        "unmet": [message for _field, message in action.checks(request.user, item)] if action.checks else [],
        "subject": getattr(form, "reply", None) if "text" not in form.fields else None,
    })


@login_required
def suggestion_action(request, pk, action):
    s = get_visible_or_404(Suggestion.objects.select_related("lead_deputy", "session"), request.user, pk=pk)
    act = SUGGESTION_ACTIONS.get(action)
    if act is None:
        raise Http404
    return _run_action(
        request, s, act, SUGGESTION_TRANSITIONS[action].label, reverse("deputies:suggestion-detail", args=[s.pk]),
        reverse("deputies:suggestion-list"), Suggestion.objects.visible_to(request.user),
        form_kwargs(action, request.user, s),
    )


@login_required
def cosign_inbox(request):
    invitations = CoSignature.objects.inbox_of(request.user).select_related(
        "suggestion__lead_deputy", "bill__lead_deputy"
    ).order_by("-invited_at")
    return render(request, "deputies/cosign_inbox.html", {"invitations": invitations})


@login_required
def bulk_assign(request):
    """The assignment meeting (交办会): every accepted item on one page, units prefilled with
    the unit suggested at review."""
    _require(request.user.is_assigning_clerk, _("只有交办机构可以交办。"))
    items = list(
        Suggestion.objects.visible_to(request.user).filter(status=S.ACCEPTED)
        .select_related("lead_deputy", "category", "suggested_unit").order_by("serial", "id")[:300]
    )
    unit_form = AssignForm()
    units = list(unit_form.fields["lead_unit"].queryset)
    errors = []
    posted = {}
    if request.method == "POST":
        by_pk = {str(s.pk): s for s in items}
        rows = []
        units_by_pk = {str(u.pk): u for u in units}
        for pk in request.POST.getlist("include"):
            s = by_pk.get(pk)
            if s is None:
                continue
            lead = units_by_pk.get(request.POST.get(f"lead-{pk}", ""))
            co = [units_by_pk[u] for u in request.POST.getlist(f"co-{pk}") if u in units_by_pk]
            mode = request.POST.get(f"mode-{pk}", "lead")
            row = {"suggestion": s, "is_complex": bool(request.POST.get(f"complex-{pk}"))}
            if mode == "separate":
                row["separate_units"] = ([lead] if lead else []) + co
            else:
                row["lead_unit"], row["co_units"] = lead, co
            rows.append(row)
        date_text = request.POST.get("assigned_on") or ""
        try:
            assigned_on = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError:
            assigned_on = None
            errors.append(_("交办日期无效。"))
        if assigned_on and assigned_on > today():
            errors.append(_("交办日期不能晚于今天。"))
        if not errors:
            try:
                done = svc.suggestion_bulk_assign(actor=request.user, rows=rows, assigned_on=assigned_on)
            except ValidationError as exc:
                errors.extend(exc.messages)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc))
            else:
                messages.success(request, _("已交办%(n)s件建议。") % {"n": len(done)})
                return redirect(reverse("deputies:suggestion-list") + "?status=assigned")
        posted = request.POST
    return render(request, "deputies/bulk_assign.html", {
        "items": items, "units": units, "errors": errors, "posted": posted, "today": today(),
    })


IMPORT_KEY = "deputies-import"


@login_required
def suggestion_import(request):
    """Upload → preview with errors per row → confirm. Nothing is saved while any row is wrong."""
    _require(request.user.is_assigning_clerk, _("只有交办机构可以导入建议。"))
    form = ImportForm(request.POST or None, request.FILES or None, initial={"session": svc.current_session()})
    preview, sheet_errors = [], []
    token = ""
    if request.method == "POST" and request.POST.get("confirm"):
        stash = request.session.get(IMPORT_KEY) or {}
        if stash.get("token") != request.POST.get("token"):
            messages.error(request, _("导入内容已过期，请重新上传。"))
            return redirect("deputies:suggestion-import")
        session = CongressSession.objects.get(pk=stash["session"])
        rows = [exports.ImportRow(line=r["line"], raw=r["raw"]) for r in stash["rows"]]
        ready = exports.validate_rows(rows, session)
        if any(r.errors for r in rows):
            preview = rows
            messages.error(request, _("数据已变化，部分行有错误，未导入任何数据。"))
        else:
            try:
                created = svc.suggestion_import(actor=request.user, session=session, rows=ready)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                request.session.pop(IMPORT_KEY, None)
                messages.success(request, _("已导入%(n)s件建议。") % {"n": len(created)})
                return redirect(reverse("deputies:suggestion-list") + f"?session={session.pk}")
    elif request.method == "POST" and form.is_valid():
        session = form.cleaned_data["session"]
        rows, sheet_errors = exports.read_sheet(form.cleaned_data["file"])
        if rows:
            exports.validate_rows(rows, session)
            preview = rows
            if not any(r.errors for r in rows):
                token = uuid.uuid4().hex
                request.session[IMPORT_KEY] = {
                    "token": token, "session": session.pk,
                    "rows": [{"line": r.line, "raw": r.raw} for r in rows],
                }
    has_errors = any(r.errors for r in preview)
    return render(request, "deputies/import.html", {
        "form": form, "preview": preview, "sheet_errors": sheet_errors, "has_errors": has_errors, "token": token,
        "steps": [_("上传并检查"), _("核对后导入")], "step": 2 if token and not has_errors else 1,
    })


# ------------------------------------------------------------------ bills
@login_required
def bill_list(request):
    base = Bill.objects.visible_to(request.user).for_list().annotate(
        cosigners=Count("cosignatures", filter=Q(cosignatures__status=CoSignStatus.CONFIRMED))
    ).order_by("-session__start_date", "serial", "-id")
    fs = BillFilterSet(request.GET or None, queryset=base, request=request)
    return render(request, "deputies/bill_list.html", {
        "filter": fs, "page": _page(request, fs.qs), "can_create": request.user.is_deputy,
    })


@login_required
def bill_create(request):
    _require(request.user.is_deputy, _("只有人大代表可以提出议案。"))
    form = BillForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            b = svc.bill_create(actor=request.user, title=d["title"], grounds=d["grounds"], solution=d["solution"],
                                is_public=d["is_public"], files=d["files"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("议案已保存为草稿，请邀请联名代表。"))
            return redirect("deputies:bill-detail", pk=b.pk)
    return render(request, "deputies/bill_form.html", {"form": form})


@login_required
def bill_edit(request, pk):
    b = get_visible_or_404(Bill, request.user, pk=pk)
    if request.method == "POST":
        form = BillForm(request.POST, request.FILES)
        if form.is_valid():
            d = dict(form.cleaned_data)
            d.pop("files")
            version = d.pop("version")
            try:
                svc.bill_update(actor=request.user, bill=b, version=version, **d)
            except ValidationError as exc:
                apply_errors(form, exc)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc))
            else:
                messages.success(request, _("已保存。"))
                return redirect("deputies:bill-detail", pk=b.pk)
    else:
        form = BillForm(instance=b)
    return render(request, "deputies/bill_form.html", {"form": form, "bill": b})


@login_required
def bill_detail(request, pk):
    b = get_visible_or_404(Bill.objects.select_related("session", "lead_deputy__delegation", "committee"), request.user, pk=pk)
    cos = list(b.cosignatures.select_related("deputy__delegation"))
    dep = svc.deputy_of(request.user)
    converted = Suggestion.objects.visible_to(request.user).filter(source_bill=b).first()
    return render(request, "deputies/bill_detail.html", {
        "b": b, "cosignatures": cos, "confirmed": sum(1 for c in cos if c.status == CoSignStatus.CONFIRMED),
        "actions": bill_actions_for(request.user, b), "history": visible_history(b, request.user),
        "files": svc.attachments_of(b), "converted": converted,
        "can_edit": b.status == "draft" and dep is not None and dep.pk == b.lead_deputy_id,
        "needed": svc.period("bill_min_cosigners"),
    })


@login_required
def bill_action(request, pk, action):
    b = get_visible_or_404(Bill.objects.select_related("lead_deputy", "session"), request.user, pk=pk)
    act = BILL_ACTIONS.get(action)
    if act is None:
        raise Http404
    return _run_action(request, b, act, BILL_TRANSITIONS[action].label, reverse("deputies:bill-detail", args=[b.pk]),
                       reverse("deputies:bill-list"), Bill.objects.visible_to(request.user))


# ------------------------------------------------------------------ attachments
@login_required
def attachment_download(request, pk):
    """Files follow their record's visibility: out of scope is a 404."""
    att = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if att is None:
        raise Http404
    model = att.content_type.model_class()
    if model not in (Suggestion, Bill, Reply) or not model.objects.visible_to(request.user).filter(pk=att.object_id).exists():
        raise Http404
    audit.record(request, audit.Action.DOWNLOAD, obj=att.name)
    try:
        return download_response(att.file.open("rb"), att.name)
    except FileNotFoundError:
        raise Http404


# ------------------------------------------------------------------ deputies' own pages
@login_required
def my_page(request):
    dep = svc.deputy_of(request.user)
    _require(dep is not None, _("此页面供人大代表使用。"))
    return _duty_page(request, dep, mine=True)


@login_required
def deputy_record(request, pk):
    _require(request.user.is_internal, _("只有人大机关工作人员可以查看代表履职档案。"))
    dep = get_visible_or_404(Deputy.objects.select_related("delegation", "station"), request.user, pk=pk)
    return _duty_page(request, dep, mine=False)


def _duty_page(request, dep, *, mine: bool):
    year = year_or_default(request.GET.get("year"))
    visible = Suggestion.objects.visible_to(request.user)
    led = visible.filter(lead_deputy=dep).select_related("session", "category").order_by("-id")[:50]
    cosigned = visible.filter(cosignatures__deputy=dep, cosignatures__status=CoSignStatus.CONFIRMED).select_related(
        "lead_deputy").order_by("-id")[:50]
    to_rate = (
        visible.filter(lead_deputy=dep, status=S.REPLIED).exclude(evaluation_due__lt=today()).order_by("evaluation_due")[:20]
        if mine else []
    )
    activities = Activity.objects.visible_to(request.user).filter(deputies=dep).select_related("station").order_by("-date")[:30]
    return render(request, "deputies/my_page.html", {
        "dep": dep, "mine": mine, "record": selectors.duty_record(dep, year=year), "year": year,
        "can_code": svc.can_manage_deputy_code(request.user, dep),
        "led": led, "cosigned": cosigned, "to_rate": to_rate, "activities": activities,
        "bills": Bill.objects.visible_to(request.user).filter(lead_deputy=dep).order_by("-id")[:20],
        "invitations": CoSignature.objects.inbox_of(request.user).count() if mine else 0,
        "years": range(today().year, today().year - 5, -1),
    })


# ------------------------------------------------------------------ activities
@login_required
def activity_list(request):
    _require(request.user.is_deputy or request.user.is_internal)
    base = Activity.objects.visible_to(request.user).select_related("station").prefetch_related("deputies").order_by("-date", "-id")
    fs = ActivityFilterSet(request.GET or None, queryset=base, request=request)
    return render(request, "deputies/activity_list.html", {"filter": fs, "page": _page(request, fs.qs)})


@login_required
def activity_edit(request, pk=None):
    _require(request.user.is_deputy or request.user.is_internal)
    activity = get_visible_or_404(Activity, request.user, pk=pk) if pk else None
    form = ActivityForm(request.POST or None, instance=activity if request.method != "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version", None)
        try:
            if activity is None:
                activity = svc.activity_create(actor=request.user, **d)
            else:
                svc.activity_update(actor=request.user, activity=activity, version=version, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        else:
            messages.success(request, _("已保存代表活动。"))
            return redirect("deputies:activity-detail", pk=activity.pk)
    if request.method != "POST" and activity is not None:
        form = ActivityForm(instance=activity, user=request.user, initial={"deputies": list(activity.deputies.all())})
    return render(request, "deputies/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_detail(request, pk):
    a = get_visible_or_404(Activity.objects.select_related("station", "recorded_by"), request.user, pk=pk)
    return render(request, "deputies/activity_detail.html", {
        "a": a, "deputies": a.deputies.select_related("delegation"),
        "opinions": CitizenOpinion.objects.visible_to(request.user).filter(activity=a),
        "history": history_for(a)[:50],
    })


# ------------------------------------------------------------------ citizens' opinions
@login_required
def opinion_list(request):
    base = CitizenOpinion.objects.visible_to(request.user).select_related(
        "station", "deputy", "routed_unit", "routed_office", "routed_station")
    fs = CitizenOpinionFilterSet(request.GET or None, queryset=base.order_by("-received_on", "-id"), request=request)
    return render(request, "deputies/opinion_list.html", {
        "filter": fs, "page": _page(request, fs.qs), "can_create": request.user.is_deputy or request.user.is_internal,
    })


@login_required
def opinion_create(request):
    _require(request.user.is_deputy or request.user.is_internal)
    form = CitizenOpinionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            o = svc.opinion_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        else:
            messages.success(request, _("已登记群众意见。"))
            return redirect("deputies:opinion-detail", pk=o.pk)
    return render(request, "deputies/opinion_form.html", {"form": form})


@login_required
def opinion_detail(request, pk):
    o = get_visible_or_404(
        CitizenOpinion.objects.select_related("station", "deputy", "routed_unit", "routed_office", "activity",
                                              "routed_station", "suggestion", "answered_by"),
        request.user, pk=pk,
    )
    return render(request, "deputies/opinion_detail.html", {
        "o": o, "actions": opinion_actions_for(request.user, o), "history": history_for(o)[:50],
        "suggestion_visible": bool(o.suggestion_id)
        and Suggestion.objects.visible_to(request.user).filter(pk=o.suggestion_id).exists(),
        # Citizens' contact details are for the committee and the receiving deputy only.
        "show_contact": request.user.is_internal or request.user.is_deputy,
    })


@login_required
def opinion_action(request, pk, action):
    o = get_visible_or_404(CitizenOpinion, request.user, pk=pk)
    act = OPINION_ACTIONS.get(action)
    if act is None:
        raise Http404
    if action == "to_suggestion":
        # The whole suggestion form, filled with the opinion, rather than a short step form.
        return redirect(reverse("deputies:suggestion-create") + f"?opinion={o.pk}")
    return _run_action(request, o, act, OPINION_TRANSITIONS[action].label, reverse("deputies:opinion-detail", args=[o.pk]),
                       reverse("deputies:opinion-list"), CitizenOpinion.objects.visible_to(request.user))


# ------------------------------------------------------------------ follow-up commitments
@login_required
def followup_list(request):
    user = request.user
    base = FollowUp.objects.visible_to(user).select_related("suggestion", "assignment__unit").order_by("due_date", "id")
    if user.is_unit_user:
        base = base.filter(assignment__unit_id=user.unit_id)
    fs = FollowUpFilterSet(request.GET or None, queryset=base, request=request)
    page = _page(request, fs.qs)
    rows = [(f, selectors.due_colour(f.due_date) if f.status == "open" else "") for f in page]
    return render(request, "deputies/followup_list.html", {
        "filter": fs, "page": page, "rows": rows, "complete_form": FollowUpCompleteForm(),
        "carry_form": CarryOverForm(initial={"year": today().year}), "is_office": user.is_assigning_clerk,
    })


@login_required
@require_POST
def followup_complete(request, pk):
    f = get_visible_or_404(FollowUp, request.user, pk=pk)
    form = FollowUpCompleteForm(request.POST)
    if form.is_valid():
        try:
            svc.followup_complete(actor=request.user, followup=f, result=form.cleaned_data["result"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        else:
            messages.success(request, _("已登记落实情况。"))
    else:
        messages.error(request, _("请填写落实情况。"))
    return redirect("deputies:followup-list")


@login_required
@require_POST
def followup_carry_over(request):
    form = CarryOverForm(request.POST)
    if form.is_valid():
        try:
            n = svc.followup_carry_over(actor=request.user, year=form.cleaned_data["year"])
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        messages.success(request, _("已结转%(n)s项承诺事项。") % {"n": n})
    else:
        messages.error(request, _("年度无效。"))
    return redirect("deputies:followup-list")


# ------------------------------------------------------------------ statistics and overdue
@login_required
def statistics(request):
    year = year_or_default(request.GET.get("year"), today().year)
    scoped = Suggestion.objects.visible_to(request.user)
    overall = selectors.suggestion_rates(scoped, year)
    tables = [(key, label, selectors.rates_by(scoped, year, key)) for key, label in selectors.DIMENSIONS.items()]
    return render(request, "deputies/statistics.html", {
        "year": year, "overall": overall, "tables": tables, "definitions": selectors.RATE_DEFINITIONS,
        "count_labels": selectors.COUNT_LABELS, "years": range(today().year, today().year - 5, -1),
    })


def _assignment_scope(user):
    qs = Assignment.objects.visible_to(user)
    if user.is_unit_user:
        qs = qs.filter(unit_id=user.unit_id)
    return qs


@login_required
def overdue(request):
    scope = _assignment_scope(request.user)
    on = today()
    rows = [(a, selectors.due_colour(a.due_date, on), (on - a.due_date).days)
            for a in selectors.overdue_assignments(scope, on, include_due_soon=True)[:500]]
    return render(request, "deputies/overdue.html", {
        "rows": rows, "by_unit": selectors.overdue_by_unit(scope, on), "today": on,
        "listing_days": svc.period("overdue_listing_days"),
    })


# ------------------------------------------------------------------ public
def _public_replies():
    return Prefetch(
        "replies",
        queryset=Reply.objects.filter(status=ReplyStatus.SENT, is_current=True).select_related("assignment__unit", "category"),
        to_attr="public_replies",
    )


def public_list(request):
    """Published replies and handling results: never confidential or private items."""
    base = Suggestion.objects.published().select_related("session", "lead_deputy", "category").prefetch_related(
        _public_replies()).order_by("-replied_on", "-id")
    fs = PublicSuggestionFilterSet(request.GET or None, queryset=base, request=request)
    return render(request, "deputies/public_list.html", {"filter": fs, "page": _page(request, fs.qs)})


def public_detail(request, pk):
    s = Suggestion.objects.published().select_related("session", "lead_deputy", "category").prefetch_related(
        _public_replies()).filter(pk=pk).first()
    if s is None:
        raise Http404
    letters = _attachments_by_target(Reply, [r.pk for r in s.public_replies])
    for r in s.public_replies:
        r.letters = [a for a in letters.get(r.pk, []) if a.kind == svc.LETTER_KIND]
    return render(request, "deputies/public_detail.html", {"s": s})


def public_letter(request, pk):
    att = Attachment.objects.filter(pk=pk, kind=svc.LETTER_KIND, content_type=ContentType.objects.get_for_model(Reply)).first()
    if att is None:
        raise Http404
    ok = Reply.objects.filter(
        pk=att.object_id, status=ReplyStatus.SENT, is_current=True,
        suggestion__in=Suggestion.objects.published().values("pk"),
    ).exists()
    if not ok:
        raise Http404
    try:
        return download_response(att.file.open("rb"), att.name)
    except FileNotFoundError:
        raise Http404

