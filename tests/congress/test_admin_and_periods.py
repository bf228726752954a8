"""The admin (in Chinese) manages reference data, the holiday calendar and every period."""

import pytest
from django.contrib import admin
from django.urls import reverse

from congress import periods
from congress.demo import seed_core
from congress.models import PeriodSetting

pytestmark = pytest.mark.django_db


def congress_admin_models():
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label == "congress"), key=lambda m: m._meta.model_name
    )


def test_every_period_default_exists_as_a_row_after_migrate():
    rows = {p.key: p for p in PeriodSetting.objects.all()}
    assert set(rows) >= {d.key for d in periods.DEFAULTS}
    for d in periods.DEFAULTS:
        assert rows[d.key].value == d.value == rows[d.key].default_value
        assert rows[d.key].unit == d.unit
        assert rows[d.key].label == d.label


def test_period_falls_back_to_its_default_and_rejects_unknown_keys():
    PeriodSetting.objects.filter(key="reply_months").delete()
    periods.clear_cache()
    assert periods.period("reply_months") == 3
    with pytest.raises(KeyError):
        periods.period("no_such_period")
    periods.ensure_period_rows()
    assert PeriodSetting.objects.filter(key="reply_months").exists()


def test_editing_a_period_in_the_admin_changes_period(client, admin_user):
    assert periods.period("reply_months") == 3  # cached now
    row = PeriodSetting.objects.get(key="reply_months")
    client.force_login(admin_user)
    url = reverse("admin:congress_periodsetting_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "代表法第五十一条" in page.content.decode()  # the source is shown beside the value
    resp = client.post(url, {"value": "2"})
    assert resp.status_code == 302
    assert periods.period("reply_months") == 2
    row.refresh_from_db()
    assert row.default_value == 3  # the default stays visible


def test_periods_cannot_be_added_or_deleted_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:congress_periodsetting_add")).status_code == 403
    row = PeriodSetting.objects.first()
    assert client.get(reverse("admin:congress_periodsetting_delete", args=[row.pk])).status_code == 403


def test_the_period_list_recreates_missing_rows(client, admin_user):
    PeriodSetting.objects.all().delete()
    client.force_login(admin_user)
    html = client.get(reverse("admin:congress_periodsetting_changelist")).content.decode()
    assert PeriodSetting.objects.count() == len(periods.DEFAULTS)
    assert "答复期限" in html


def test_every_core_admin_page_loads_in_chinese(client, admin_user):
    # Given believable reference data
    seed_core()
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).content.decode()
    assert 'lang="zh-hans"' in index
    assert "后台管理" in index and "人大常委会工作计划管理系统" in index
    models = congress_admin_models()
    names = {m._meta.model_name for m in models}
    assert {"term", "congresssession", "meeting", "agendaitem", "decision", "appointment", "office", "handlingunit",
            "delegation", "deputygroup", "liaisonstation", "deputy", "user", "workingdayoverride", "calendaryear",
            "periodsetting"} <= names
    for model in models:
        opts = model._meta
        label = str(opts.verbose_name_plural)
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.model_name
        html = changelist.content.decode()
        assert label in html, opts.model_name
        assert "首页" in html  # Django's own admin strings are Chinese too
        model_admin = admin.site._registry[model]
        request = changelist.wsgi_request
        if model_admin.has_add_permission(request):
            add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
            assert add.status_code == 200, opts.model_name
            assert "增加" in add.content.decode()
        obj = model._default_manager.first()
        if obj is not None:
            change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            assert change.status_code == 200, opts.model_name


def test_meeting_admin_edits_agenda_decisions_and_appointments_inline(client, admin_user):
    ctx = seed_core()
    held = next(m for m in ctx["meetings"] if m.decisions.exists())
    client.force_login(admin_user)
    html = client.get(reverse("admin:congress_meeting_change", args=[held.pk])).content.decode()
    for label in ("会议议题", "决议决定", "任免", "出席情况", "已宪法宣誓"):
        assert label in html


@pytest.mark.parametrize("who", ["staff_user", "director", "deputy_user", "unit_head"])
def test_non_admin_users_cannot_open_the_admin(request, client, who):
    client.force_login(request.getfixturevalue(who))
    resp = client.get("/admin/")
    assert resp.status_code == 302
    assert resp.url.startswith("/admin/login/")
    assert client.get(reverse("admin:congress_periodsetting_changelist")).status_code == 302


def test_anonymous_is_sent_to_the_admin_login(client):
    resp = client.get("/admin/")
    assert resp.status_code == 302 and "/admin/login/" in resp.url


def test_inline_agenda_edit_in_admin_writes_history(client, admin_user):
    """Given a meeting with an agenda item, when the admin edits the item inline on the
    meeting page, then the agenda item's history records who changed the title."""
    from congress.history import history_for
    from congress.models import AgendaItem
    from tests.factories import AgendaItemFactory

    item = AgendaItemFactory(title="旧议题")
    meeting = item.meeting
    client.force_login(admin_user)
    url = f"/admin/congress/meeting/{meeting.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not isinstance(v, list | tuple)}
    data.update({"kind": meeting.kind, "term": meeting.term_id, "number": meeting.number,
                 "start_date": meeting.start_date.isoformat(), "status": meeting.status, "name": meeting.name})
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = len(fs.forms)
        data[f"{prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if value is None or value is False:
                    continue
                data[f"{prefix}-{i}-{name}"] = value
    agenda_prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is AgendaItem)
    data[f"{agenda_prefix}-0-title"] = "新议题"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.title == "新议题"
    entry = history_for(item).first()
    assert entry.actor == admin_user
    assert entry.changes["title"]["before"] == "旧议题"
    assert entry.changes["title"]["after"] == "新议题"
