"""Pages of the shared core: role home pages, inbox, meetings."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import notifications
from congress.history import history_for
from congress.models import Meeting, Notification
from congress.navigation import home_widgets
from congress.roles import Role
from congress.scoping import get_visible_or_404

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


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "congress/home.html",
        {
            "heading": ROLE_GREETING.get(user.role, _("工作台")),
            "widgets": home_widgets(user),
        },
    )


@login_required
def inbox(request):
    qs = Notification.objects.visible_to(request.user).order_by("-created_at", "-id")
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "congress/inbox.html", {"page": page, "only_unread": bool(request.GET.get("unread"))})


@login_required
@require_POST
def inbox_mark_read(request):
    ids = request.POST.getlist("id") or None
    notifications.mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    if request.headers.get("HX-Request"):
        unread = Notification.objects.visible_to(request.user).unread().count()
        return render(request, "congress/partials/unread_badge.html", {"unread_count": unread})
    return redirect(request.POST.get("next") or "congress:inbox")


@login_required
def notification_open(request, pk):
    note = get_visible_or_404(Notification, request.user, pk=pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    notifications.mark_read(user=request.user, ids=[note.pk])
    return redirect(note.url or "congress:inbox")


@login_required
def meeting_list(request):
    qs = Meeting.objects.visible_to(request.user).select_related("term", "lead_office").order_by("-start_date")
    kind = request.GET.get("kind")
    if kind in Meeting.Kind.values:
        qs = qs.filter(kind=kind)
    year = request.GET.get("year")
    if year and year.isdigit():
        qs = qs.filter(start_date__year=int(year))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "congress/meeting_list.html", {"page": page, "kinds": Meeting.Kind.choices, "kind": kind})


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
