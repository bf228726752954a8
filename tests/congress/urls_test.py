"""A URLconf for tests: the real site plus a few views that only tests need (one that
raises, one that saves a record and notifies like every service does, API views that
raise the service errors)."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_POST
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.history import save_with_history, snapshot
from congress.models import Meeting, User
from congress.notifications import notify


def boom(request):
    raise RuntimeError("boom: an unexpected bug")


@login_required
def forbidden(request):
    raise NotAllowed("只有交办机构工作人员可以交办建议。")


@login_required
@require_POST
def move_meeting(request, pk):
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=pk)
        before = snapshot(meeting)
        meeting.location = request.POST["location"]
        save_with_history(obj=meeting, actor=request.user, before=before, reason="会场调整")
        notify(
            recipients=User.objects.filter(office=meeting.lead_office),
            title=f"{meeting}改在{meeting.location}召开",
            url=f"/meetings/{meeting.pk}/",
            target=meeting,
        )
    return JsonResponse({"ok": True})


class ServiceErrors(APIView):
    def post(self, request):
        kind = request.data.get("kind")
        if kind == "field":
            raise ServiceError({"due_date": ["答复期限不能早于交办日期。"]})
        if kind == "plain":
            raise ServiceError("当前状态不能办理此操作。")
        if kind == "conflict":
            raise EditConflict(current_version=7)
        if kind == "role":
            raise NotAllowed("只有承办单位负责人可以签发答复。")
        if kind == "boom":
            raise RuntimeError("unexpected")
        return Response({"ok": True})


urlpatterns = [
    path("test/boom/", boom),
    path("test/forbidden/", forbidden),
    path("test/move-meeting/<int:pk>/", move_meeting),
    path("api/v1/test/errors/", ServiceErrors.as_view()),
    path("api/v1/test/boom/", boom),
    path("", include("congress.urls")),
]

handler403 = "congress.errors.permission_denied"
handler404 = "congress.errors.page_not_found"
handler500 = "congress.errors.server_error"
