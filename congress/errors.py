"""Friendly error pages in the user's language; JSON for API paths."""

from django.http import JsonResponse
from django.shortcuts import render
from django.template import loader
from django.http import HttpResponseServerError


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "您没有权限执行此操作。"}, status=403)
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "服务器内部错误，请稍后再试。"}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
