"""Pages of the shared core: role home pages, inbox, meetings, and the health check."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from congress import notifications
from congress.api.filtersets import MeetingFilterSet
from congress.history import history_for
from congress.models import Meeting, Notification
from congress.navigation import home_actions, home_todos, home_widgets
from congress.roles import Role
from congress.scoping import get_visible_or_404

# Lazy: the heading follows the language of each request, not the one active at import.
ROLE_GREETING = {
    Role.STAFF: _("委室工作台"),
    Role.ASSIGNING_CLERK: _("交办工作台"),
    Role.DIRECTOR: _("主任工作台"),
    Role.VICE_DIRECTOR: _("副主任工作台"),
    Role.SECRETARY_GENERAL: _("秘书长工作台"),
    Role.DEPUTY: _("代表履职"),
    Role.UNIT_CLERK: _("承办工作台"),
    Role.UNIT_HEAD: _("承办单位负责人工作台"),
    Role.ADMIN: _("系统管理"),
}


def _safe_next(request, candidate: str | None, fallback: str) -> str:
    """Only redirect back inside this site (no open redirect through `next`)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "congress/home.html",
        {
            "heading": ROLE_GREETING.get(user.role, _("工作台")),
            "widgets": home_widgets(user),
            "todos": home_todos(user),
            "actions": home_actions(user),
        },
    )


@login_required
def inbox(request):
    qs = Notification.objects.visible_to(request.user).order_by("-created_at", "-id")
    only_unread = bool(request.GET.get("unread"))
    if only_unread:
        qs = qs.unread()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "congress/inbox.html", {"page": page, "only_unread": only_unread})


@login_required
@require_POST
def inbox_mark_read(request):
    raw_ids = request.POST.getlist("id")
    ids = [int(i) for i in raw_ids if i.isdigit()] if raw_ids else None
    notifications.mark_read(user=request.user, ids=ids)
    if request.headers.get("HX-Request"):
        # The badge is the target; the mobile badge and the rows that were marked are
        # swapped out-of-band so the page agrees with itself without a reload.
        mine = Notification.objects.visible_to(request.user)
        return render(
            request,
            "congress/partials/mark_read_response.html",
            {
                "unread_count": mine.unread().count(),
                "marked": list(mine.filter(pk__in=ids)) if ids else [],
            },
        )
    return redirect(_safe_next(request, request.POST.get("next"), "congress:inbox"))


@login_required
@require_GET
def notification_open(request, pk):
    note = get_visible_or_404(Notification, request.user, pk=pk)
    notifications.mark_read(user=request.user, ids=[note.pk])
    return redirect(_safe_next(request, note.url, "congress:inbox"))


@login_required
def meeting_list(request):
    # The same FilterSet serves /api/v1/meetings/, so the page and the API never drift.
    base = Meeting.objects.visible_to(request.user).select_related("term", "lead_office")
    filterset = MeetingFilterSet(request.GET or None, queryset=base, request=request)
    qs = filterset.qs.order_by("-start_date", "-number")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    kinds = Meeting.Kind.choices
    if not request.user.is_internal:
        kinds = [(v, label) for v, label in kinds if v == Meeting.Kind.STANDING]
        # The filter bar offers only the kinds this user can see, like the buttons above it.
        seen = {"", *(v for v, _label in kinds)}
        kind_field = filterset.form.fields["kind"]
        kind_field.choices = [(v, label) for v, label in kind_field.choices if v in seen]
    return render(
        request,
        "congress/meeting_list.html",
        {"page": page, "filterset": filterset, "kinds": kinds, "kind": request.GET.get("kind", "")},
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_visible_or_404(Meeting.objects.select_related("term", "lead_office"), request.user, pk=pk)
    agenda = meeting.agenda_items.select_related("lead_office", "reporting_unit").order_by("order", "id")
    return render(
        request,
        "congress/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "decisions": meeting.decisions.select_related("agenda_item"),
            "appointments": meeting.appointments.select_related("agenda_item"),
            "attendance": meeting.attendance.all() if request.user.is_internal else [],
            "history": history_for(meeting)[:50] if request.user.is_internal else [],
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For load balancers and container health checks: the database answers.
    Deliberately not the broker: requests never depend on it (outbox pattern)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; answer with the app's icon."""
    from django.contrib.staticfiles import finders
    from django.http import FileResponse

    path = finders.find("img/favicon.ico")
    if not path:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_GET
def decision_document(request, name):
    """A decision's document at the address its file field gives (admin links included),
    served only to users who may see the decision, as a download."""
    from congress.models import Decision
    from congress.uploads import download_response

    decision = Decision.objects.visible_to(request.user).filter(document=f"decisions/{name}").first()
    if decision is None:
        raise Http404
    try:
        return download_response(decision.document.open("rb"), decision.document.name.rsplit("/", 1)[-1])
    except FileNotFoundError:
        raise Http404
