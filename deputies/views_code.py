"""代表码 (domain §9): the public pages a citizen reaches by scanning a deputy's QR code
(leave an opinion, follow it by its tracking code) and the poster the deputy or the
assigning office prints. The public pages need no sign-in, show nothing private (no
photo, no phone, nobody else's opinion) and are rate-limited per client address."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.exceptions import NotAllowed
from congress.history import history_for
from congress.models import Deputy
from congress.public_limits import rate_limited
from congress.scoping import get_visible_or_404

from . import services as svc
from .forms import CodeOpinionForm, TrackingForm
from .views import apply_errors

SESSION_LAST_CODE = "deputy_code_last_tracking"


def _deputy_for_token(token: str) -> Deputy:
    # A wrong, rotated or retired deputy's token answers like a page that does not exist.
    d = (Deputy.objects.select_related("delegation", "station")
         .filter(qr_token=token, is_active=True).first()) if token else None
    if d is None:
        raise Http404
    return d


def _too_many(request, deputy=None):
    return render(request, "deputies/code/too_many.html", {"deputy": deputy}, status=429)


def public_code_url(request, deputy: Deputy) -> str:
    """The address printed in the QR code: PUBLIC_BASE_URL when set (the address citizens
    reach from outside), otherwise the host this request came to."""
    path = reverse("deputy-code:page", args=[deputy.qr_token])
    base = settings.PUBLIC_BASE_URL
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@never_cache
def code_page(request, token):
    """The deputy's card and the opinion form."""
    deputy = _deputy_for_token(token)
    max_chars = settings.DEPUTY_CODE_MAX_CHARS
    form = CodeOpinionForm(request.POST or None, max_chars=max_chars)
    if request.method == "POST":
        if rate_limited(request, "deputy-code-submit", settings.DEPUTY_CODE_SUBMIT_RATE):
            return _too_many(request, deputy)
        if form.is_valid():
            if form.is_robot:
                # A robot filled the hidden field: nothing is saved, and nothing tells it why.
                form.add_error(None, _("提交未成功，请稍后再试。"))
                return render(request, "deputies/code/page.html", {"deputy": deputy, "form": form}, status=400)
            d = form.cleaned_data
            try:
                o = svc.opinion_submit_by_code(deputy=deputy, content=d["content"], citizen_name=d["citizen_name"],
                                               citizen_contact=d["citizen_contact"])
            except ValidationError as exc:
                apply_errors(form, exc)
            except NotAllowed:
                raise Http404 from None
            else:
                request.session[SESSION_LAST_CODE] = o.tracking_code
                return redirect("deputy-code:done", token=token)
    return render(request, "deputies/code/page.html", {"deputy": deputy, "form": form})


@never_cache
def code_done(request, token):
    """After a submission: the tracking code, kept in the citizen's own session only (never
    in an address that could be shared or logged)."""
    deputy = _deputy_for_token(token)
    code = request.session.get(SESSION_LAST_CODE)
    if not code:
        return redirect("deputy-code:page", token=token)
    return render(request, "deputies/code/done.html", {"deputy": deputy, "code": code})


@never_cache
def code_track(request):
    """A citizen enters the tracking code and sees the status and the answer of that one
    opinion. The code travels in the form body, not the address."""
    form = TrackingForm(request.POST or None)
    opinion = None
    if request.method == "POST":
        if rate_limited(request, "deputy-code-track", settings.DEPUTY_CODE_TRACK_RATE):
            return _too_many(request)
        if form.is_valid():
            opinion = svc.opinion_for_tracking(form.cleaned_data["code"])
            if opinion is None:
                form.add_error("code", _("没有找到该查询码，请核对后重新输入。"))
    return render(request, "deputies/code/track.html", {"form": form, "o": opinion})


# ------------------------------------------------------------------ the poster (signed in)
def _manageable_deputy(request, pk) -> Deputy:
    deputy = get_visible_or_404(Deputy.objects.select_related("delegation", "station"), request.user, pk=pk)
    if not svc.can_manage_deputy_code(request.user, deputy):
        raise Http404
    return deputy


@login_required
def deputy_poster(request, pk):
    """An A4 poster to print and put up at the liaison station: the deputy's card and the
    QR code, drawn here (segno, inline SVG) so no outside service learns the address."""
    deputy = _manageable_deputy(request, pk)
    url = public_code_url(request, deputy)
    qr = segno.make(url, error="m")
    return render(request, "deputies/code/poster.html", {
        "deputy": deputy, "url": url, "qr_svg": qr.svg_inline(scale=1, border=4, omitsize=True),
        "history": list(history_for(deputy)[:20]),
    })


@login_required
@require_POST
def deputy_code_rotate(request, pk):
    deputy = _manageable_deputy(request, pk)
    try:
        svc.deputy_rotate_qr_token(actor=request.user, deputy=deputy)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    from django.contrib import messages

    messages.success(request, _("已更换代表码，原来印制的二维码已失效，请重新打印。"))
    return redirect("deputies:deputy-poster", pk=deputy.pk)
