"""Pages of the reminder engine: my deadlines, the leaders' overdue list, notification
preferences, and the personal calendar subscription (page and feed)."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from congress import ical, reminder_engine, workdays
from congress.forms import BootstrapFormMixin
from congress.history import record_change, snapshot
from congress.models import Office, ReminderDispatch, User
from congress.periods import period

PREFERENCE_FIELDS = ["notify_email", "notify_webhook", "notify_daily_digest"]


# ---------------------------------------------------------------------------
# Preferences


class PreferencesForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = PREFERENCE_FIELDS
        help_texts = {
            "notify_email": _("提醒同时发送到账号登记的邮箱。"),
            "notify_webhook": _("提醒同时推送到所在委室或单位的企业微信/钉钉群机器人。"),
            "notify_daily_digest": _("不再逐条发送邮件和群消息，每天上午汇总发送一封邮件；站内消息照常。"),
        }

    def clean(self):
        data = super().clean()
        if data.get("notify_email") and not self.instance.email:
            self.add_error("notify_email", _("您的账号没有登记邮箱，请联系管理员补录后再开启邮件提醒。"))
        if data.get("notify_daily_digest") and not data.get("notify_email"):
            self.add_error("notify_daily_digest", _("每日汇总通过邮件发送，请同时勾选“接收邮件提醒”。"))
        return data


def user_update_notification_preferences(*, actor: User, email: bool, webhook: bool, daily_digest: bool) -> User:
    """A person chooses their own channels (in-app messages are always on) and whether
    a daily digest replaces single messages."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        before = snapshot(user, PREFERENCE_FIELDS)
        user.notify_email, user.notify_webhook, user.notify_daily_digest = email, webhook, daily_digest
        user.save(update_fields=PREFERENCE_FIELDS)
        after = snapshot(user, PREFERENCE_FIELDS)
        if before != after:
            record_change(obj=user, actor=actor, before=before, after=after, summary=gettext("修改提醒方式"))
    return user


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if form.is_valid():
            user_update_notification_preferences(
                actor=request.user,
                email=form.cleaned_data["notify_email"],
                webhook=form.cleaned_data["notify_webhook"],
                daily_digest=form.cleaned_data["notify_daily_digest"],
            )
            messages.success(request, _("提醒方式已保存。"))
            return redirect("congress:reminder-preferences")
    else:
        form = PreferencesForm(instance=request.user)
    return render(request, "congress/reminders/preferences.html", {"form": form})


# ---------------------------------------------------------------------------
# Calendar subscription


@login_required
def calendar_subscription(request):
    return render(request, "congress/reminders/calendar.html", {"feed_url": ical.feed_url(request.user)})


@login_required
@require_POST
def calendar_token_regenerate(request):
    had = bool(request.user.calendar_token)
    ical.calendar_token_regenerate(actor=request.user)
    messages.success(
        request,
        _("已生成新的订阅地址，原地址已失效，请在手机或 Outlook 中重新订阅。") if had else _("已生成订阅地址。"),
    )
    return redirect("congress:calendar-subscription")


@require_GET
def calendar_feed(request, token):
    """No session: the secret token in the URL is the credential. Wrong token: 404."""
    user = ical.user_for_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(ical.build_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# ---------------------------------------------------------------------------
# My deadlines and the reminders I received


@login_required
def my_deadlines(request):
    today = workdays.today()
    horizon = today + dt.timedelta(days=60)
    items = reminder_engine.user_deadlines(request.user, end=horizon)
    # One line per message: a summary message carries several dispatch rows, and
    # superseded steps were logged, never sent.
    received, seen = [], set()
    rows = (
        ReminderDispatch.objects.filter(recipient=request.user, notification__isnull=False)
        .exclude(status=ReminderDispatch.Status.SUPERSEDED)
        .select_related("notification")
        .order_by("-sent_at", "-id")[:200]
    )
    for row in rows:
        if row.notification_id not in seen and len(received) < 50:
            seen.add(row.notification_id)
            received.append(row)
    return render(
        request,
        "congress/reminders/my_deadlines.html",
        {"items": items, "received": received, "today": today, "horizon": horizon},
    )


# ---------------------------------------------------------------------------
# Leaders' overdue list by office and unit


def _group(items):
    """{office label: {unit label: [items]}}, offices and units in a stable order."""
    groups: dict[str, dict[str, list]] = {}
    none_office, none_unit = gettext("未指定委室"), gettext("（委室自办）")

    def office_key(i):
        return (getattr(i.office, "sort_order", 999), str(i.office or none_office))

    for item in sorted(items, key=lambda i: (*office_key(i), str(i.unit or ""), i.due)):
        units = groups.setdefault(str(item.office or none_office), {})
        units.setdefault(str(item.unit or none_unit), []).append(item)
    return groups


@login_required
def overdue_list(request):
    if not request.user.is_internal:
        raise PermissionDenied(_("逾期清单仅供常委会领导和工作机构查看。"))
    include_soon = bool(request.GET.get("soon"))
    items = reminder_engine.overdue_items(include_soon=include_soon)
    offices = list(Office.objects.order_by("sort_order", "name"))
    office_id = request.GET.get("office", "")
    if office_id.isdigit():
        items = [i for i in items if getattr(i.office, "pk", None) == int(office_id)]
    colours = {"red": 0, "orange": 0, "blue": 0}
    for i in items:
        if i.colour in colours:
            colours[i.colour] += 1
    return render(
        request,
        "congress/reminders/overdue_list.html",
        {
            "groups": _group(items),
            "count": len(items),
            "colours": colours,
            "include_soon": include_soon,
            "offices": offices,
            "office_id": office_id,
            "listing_days": period("overdue_listing_days"),
            "blue_days": period("overdue_blue_days"),
        },
    )
