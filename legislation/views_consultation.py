"""Pages of public comment on drafts.

Staff pages (/legislation/comments/): the list, a draft's page with its articles and
counts, create and edit (paste the text, preview the articles), publish and close, the
collation of comments by article with one-by-one and bulk review and handling, and the
collation as Word. Public pages (/public/drafts/, no sign-in): the open drafts, a draft
article by article with a comment form per article and for the whole draft, and the
"received" page with the comment's reference number. Everything is a 404 where the
legislation module is off."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.exceptions import EditConflict
from congress.forms import apply_errors as _apply_errors
from congress.history import history_for
from congress.pagination import CappedPaginator, wants_exact
from congress.public_limits import client_address, rate_limited
from congress.scoping import get_visible_or_404
from congress.security import audit
from congress.workdays import today

from . import documents_consultation as documents
from . import permissions_consultation as perms
from . import services_consultation as services
from .choices_consultation import CommentStatus
from .filtersets_consultation import ConsultationFilterSet, PublicCommentFilterSet
from .forms_consultation import BulkForm, CommentDecisionForm, CommentForm, ConsultationForm
from .gate import require_enabled
from .models import Consultation, PublicComment
from .split_consultation import split_articles


def _staff_only(view):
    """Staff pages: the module is on, the user signed in and inside the committee (others get a 404)."""

    @require_enabled
    @login_required
    def wrapper(request, *args, **kwargs):
        if not perms.can_read(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _style(filterset) -> None:
    for field in filterset.form.fields.values():
        css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
        field.widget.attrs["class"] = css


# --- staff: list, detail, create, edit, open, close ---------------------------------------

@_staff_only
def consultation_list(request):
    base = Consultation.objects.visible_to(request.user).select_related("office", "project").with_counts()
    filterset = ConsultationFilterSet(request.GET.copy(), queryset=base, request=request)
    _style(filterset)
    qs = filterset.qs if filterset.is_valid() else base.none()
    page = CappedPaginator(qs.order_by("-start_date", "-id"), 30, exact=wants_exact(request.GET)).get_page(
        request.GET.get("page"))
    return render(request, "legislation/consultation_list.html", {
        "filterset": filterset, "page": page, "can_create": perms.can_create(request.user),
    })


@_staff_only
def consultation_detail(request, pk):
    consultation = get_visible_or_404(
        Consultation.objects.select_related("office", "project", "published_by", "closed_by"), request.user, pk=pk)
    articles = list(consultation.articles.annotate(
        comment_count=Count("comments"),
        pending_count=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
    ).order_by("order"))
    whole = consultation.comments.filter(article__isnull=True).aggregate(
        n=Count("pk"), pending=Count("pk", filter=Q(status=CommentStatus.PENDING)))
    return render(request, "legislation/consultation_detail.html", {
        "consultation": consultation,
        "articles": articles,
        "whole": whole,
        "total": whole["n"] + sum(a.comment_count for a in articles),
        "can_write": perms.can_write(request.user, consultation),
        "can_reopen": bool(consultation.closed_at and consultation.end_date >= today()),
        "history": history_for(consultation)[:100],
        "public_url": reverse("public-drafts:detail", args=[consultation.pk]),
    })


def _form_page(request, form, consultation, *, conflict=False, preview=None):
    return render(request, "legislation/consultation_form.html", {
        "form": form, "consultation": consultation, "conflict": conflict, "preview": preview,
        "min_days": services.min_days(),
    }, status=409 if conflict else 200)


def _preview(form):
    text = form.data.get("draft_text", "")
    return split_articles(text)


def _project_from_query(request):
    """The project named by ?project= (the 征求意见 button of a project's page), when the user sees it."""
    from .models import RegulationProject

    raw = request.GET.get("project", "")
    if not raw.isdigit():
        return None
    return RegulationProject.objects.visible_to(request.user).filter(pk=int(raw)).first()


@_staff_only
def consultation_create(request):
    if not perms.can_create(request.user):
        raise Http404
    initial = {"start_date": today(), "review_before_publish": True}
    project = _project_from_query(request)
    if project is not None:
        initial.update(project=project.pk, title=_("%(title)s（草案）") % {"title": project.title})
        if project.lead_office_id and request.user.is_app_admin:
            initial["office"] = project.lead_office_id
    form = ConsultationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if "preview" in request.POST:
            form.is_valid()
            return _form_page(request, form, None, preview=_preview(form))
        if form.is_valid():
            try:
                consultation = services.consultation_create(actor=request.user, **form.service_data())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已新建征求意见稿，识别条文%(n)s条。发布后公众即可提出意见。")
                                 % {"n": consultation.articles.count()})
                return redirect(consultation)
    return _form_page(request, form, None)


@_staff_only
def consultation_edit(request, pk):
    consultation = get_visible_or_404(Consultation, request.user, pk=pk)
    if not perms.can_write(request.user, consultation):
        messages.error(request, _("只有负责委室的工作人员可以修改该征求意见稿。"))
        return redirect(consultation)
    form = ConsultationForm(request.POST or None, instance=consultation, user=request.user)
    conflict = False
    if request.method == "POST":
        if "preview" in request.POST:
            form.is_valid()
            return _form_page(request, form, consultation, preview=_preview(form))
        if form.is_valid():
            try:
                services.consultation_update(actor=request.user, consultation=Consultation.objects.get(pk=pk),
                                             version=form.cleaned_data.get("version"),
                                             reason=form.cleaned_data.get("reason", ""), **form.service_data())
            except EditConflict as exc:
                conflict = True
                _apply_errors(form, exc)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(consultation)
    return _form_page(request, form, consultation, conflict=conflict)


def _act(request, pk, fn, done):
    consultation = get_visible_or_404(Consultation, request.user, pk=pk)
    if not perms.can_write(request.user, consultation):
        messages.error(request, _("只有负责委室的工作人员可以修改该征求意见稿。"))
        return redirect(consultation)
    try:
        fn(actor=request.user, consultation=consultation, version=request.POST.get("version"))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect(consultation)


@_staff_only
@require_POST
def consultation_open(request, pk):
    return _act(request, pk, services.consultation_open, _("已发布，公众可在征求意见期限内提出意见。"))


@_staff_only
@require_POST
def consultation_close(request, pk):
    return _act(request, pk, services.consultation_close, _("征求意见已结束。"))


@_staff_only
@require_POST
def consultation_reopen(request, pk):
    reason = (request.POST.get("reason") or "").strip()

    def reopen(**kw):
        return services.consultation_reopen(reason=reason, **kw)

    return _act(request, pk, reopen, _("已恢复征求意见，公众可继续提出意见至截止日期。"))


# --- staff: collation, review and handling ----------------------------------------------

def collation_groups(consultation, comments) -> list[tuple]:
    """[(label, article or None, [comments])]: the whole draft first, then every article in order."""
    by_article: dict[int | None, list] = {}
    for c in comments:
        by_article.setdefault(c.article_id, []).append(c)
    groups = [(_("对草案整体的意见"), None, by_article.get(None, []))]
    for article in consultation.articles.order_by("order"):
        groups.append((article.number, article, by_article.get(article.pk, [])))
    return groups


def _collation_comments(request, consultation):
    base = (PublicComment.objects.visible_to(request.user).filter(consultation=consultation)
            .select_related("handled_by"))
    data = request.GET.copy()
    data.pop("consultation", None)
    filterset = PublicCommentFilterSet(data, queryset=base, request=request)
    del filterset.form.fields["consultation"]
    _style(filterset)
    qs = filterset.qs if filterset.is_valid() else base.none()
    return filterset, list(qs.order_by("received_at", "id"))


@_staff_only
def consultation_collation(request, pk):
    consultation = get_visible_or_404(Consultation.objects.select_related("office"), request.user, pk=pk)
    can_write = perms.can_write(request.user, consultation)
    if request.method == "POST":
        if not can_write:
            messages.error(request, _("只有负责委室的工作人员可以审核和处理意见。"))
            return redirect("legislation:consultation-collation", pk=pk)
        ids = consultation.comments.values_list("pk", flat=True)
        bulk = BulkForm(request.POST, choices=list(ids))
        if bulk.is_valid():
            try:
                n = services.comments_bulk(actor=request.user, consultation=consultation, ids=bulk.cleaned_data["ids"],
                                           status=bulk.cleaned_data["status"], handling=bulk.cleaned_data["handling"],
                                           reason=bulk.cleaned_data["reason"])
            except ValidationError as exc:
                for m in exc.messages:
                    messages.error(request, m)
            else:
                messages.success(request, _("已更新%(n)s条意见。") % {"n": n})
        else:
            messages.error(request, _("所选意见不属于本草案。"))
        return redirect(reverse("legislation:consultation-collation", args=[pk]) + "?" + request.GET.urlencode())
    filterset, comments = _collation_comments(request, consultation)
    if request.GET.get("format") == "docx":
        audit.record(request, audit.Action.EXPORT, obj=f"consultation-{pk}.docx", detail=request.GET.urlencode())
        return documents.collation_response(
            consultation, [(label, items) for label, _a, items in collation_groups(consultation, comments)])
    groups = collation_groups(consultation, comments)
    docx_query = request.GET.copy()
    docx_query["format"] = "docx"
    return render(request, "legislation/consultation_collation.html", {
        "consultation": consultation, "filterset": filterset, "groups": groups, "total": len(comments),
        "counts": documents.handling_counts(comments), "can_write": can_write, "bulk": BulkForm(),
        "docx_query": docx_query.urlencode(),
    })


@_staff_only
def comment_decide(request, pk):
    comment = get_visible_or_404(PublicComment.objects.select_related("consultation", "article", "handled_by"),
                                 request.user, pk=pk)
    consultation = comment.consultation
    can_write = perms.can_write(request.user, consultation)
    initial = {"version": comment.version, "handling": comment.handling, "handling_reason": comment.handling_reason}
    form = CommentDecisionForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST":
        if not can_write:
            messages.error(request, _("只有负责委室的工作人员可以审核和处理意见。"))
            return redirect("legislation:consultation-collation", pk=consultation.pk)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                version = cd["version"]
                if cd["status"] and cd["status"] != comment.status:
                    comment = services.comment_review(actor=request.user, comment=comment, status=cd["status"],
                                                      version=version)
                    version = comment.version
                if cd["handling"] and (cd["handling"], cd["handling_reason"].strip()) != (
                        comment.handling, comment.handling_reason):
                    services.comment_handle(actor=request.user, comment=comment, handling=cd["handling"],
                                            reason=cd["handling_reason"], version=version)
            except EditConflict as exc:
                conflict = True
                _apply_errors(form, exc)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(reverse("legislation:consultation-collation", args=[consultation.pk])
                                + f"#comment-{comment.pk}")
    return render(request, "legislation/consultation_comment.html", {
        "comment": comment, "consultation": consultation, "form": form, "can_write": can_write,
        "conflict": conflict, "history": history_for(comment)[:50],
    }, status=409 if conflict else 200)


# --- public pages (no sign-in) ---------------------------------------------------------

def _public_or_404(pk):
    return get_object_or_404(Consultation.objects.published().select_related("office"), pk=pk)


@require_enabled
def public_list(request):
    day = today()
    drafts = Consultation.objects.open_on(day).select_related("office").order_by("end_date", "id")
    return render(request, "public/consultation_list.html", {"drafts": drafts})


def _rate_limited(request) -> bool:
    return rate_limited(request, "consultation-comment", getattr(settings, "CONSULTATION_RATE_LIMITS", []))


@require_enabled
def public_detail(request, pk):
    consultation = _public_or_404(pk)
    form, error_article = CommentForm(), None
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if _rate_limited(request):
            return render(request, "public/consultation_limited.html", {"consultation": consultation}, status=429)
        raw_article = (request.POST.get("article") or "").strip()
        error_article = raw_article or "whole"
        if form.is_robot:
            form.is_valid()
            form.add_error(None, _("提交未成功，请稍后再试。"))
            status = 400
        elif form.is_valid():
            article = None
            if form.cleaned_data["article"]:
                article = consultation.articles.filter(pk=form.cleaned_data["article"]).first()
                if article is None:
                    form.add_error(None, _("所选条文不属于本草案。"))
            if not form.errors:
                try:
                    comment = services.comment_submit(
                        consultation=consultation, article=article, text=form.cleaned_data["text"],
                        name=form.cleaned_data["name"], phone=form.cleaned_data["phone"],
                        show_name=form.cleaned_data["show_name"], ip=client_address(request))
                except ValidationError as exc:
                    _apply_errors(form, exc)
                else:
                    request.session["consultation_received"] = comment.reference
                    return redirect("public-drafts:received", pk=consultation.pk)
            status = 400
        else:
            status = 400
    shown = PublicComment.objects.shown_publicly().filter(consultation=consultation).order_by("received_at", "id")
    articles = list(consultation.articles.order_by("order").prefetch_related(
        Prefetch("comments", queryset=shown, to_attr="public_comments")))
    whole = list(shown.filter(article__isnull=True))
    return render(request, "public/consultation_detail.html", {
        "consultation": consultation, "articles": articles, "whole_comments": whole, "form": form,
        "error_article": str(error_article or ""), "refusal": services.refusal_reason(consultation),
        "max_text": services.max_text(),
    }, status=status)


@require_enabled
def public_received(request, pk):
    consultation = _public_or_404(pk)
    reference = request.session.pop("consultation_received", None)
    if not reference:
        return redirect("public-drafts:detail", pk=consultation.pk)
    return render(request, "public/consultation_received.html", {"consultation": consultation, "reference": reference})
