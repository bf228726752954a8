"""Friendly error pages in the user's language; JSON for API paths."""

import logging

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    if _is_api(request):
        return JsonResponse({"detail": message or _("您没有权限执行此操作。")}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("服务器内部错误，请稍后再试。")}, status=500)
    # No request context: the page must render even when the database or a context
    # processor is what failed.
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:  # pragma: no cover - last resort
        logger.exception("500 page failed to render")
        return HttpResponseServerError("<h1>系统暂时出错 / Server error</h1>", content_type="text/html; charset=utf-8")


def csrf_failure(request, reason=""):
    """A form posted from a page that was open too long (or from another site)."""
    message = _("页面已过期或来源无法验证，请刷新页面后重试。")
    if _is_api(request):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


class ClientErrorWithoutTraceback(logging.Filter):
    """django.request logs a refused request (403 from PermissionDenied, 400, 404) with the
    exception's traceback. A refusal is not a fault: keep one warning line and drop the
    traceback; a 500 keeps its traceback."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
