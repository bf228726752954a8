"""Pages: each renders for the roles that use it, forms keep input and show refusals next
to the field, the return button disappears after its window, imports and exports."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from congress.workdays import today
from deputies import services as svc
from deputies.choices import SuggestionStatus as S
from deputies.models import Activity, CitizenOpinion, Suggestion

BJ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sample(world):
    """One item in each main state."""
    return {st: world.suggestion(st, title=f"关于{st}状态的建议") for st in
            (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.CLOSED)}


@pytest.mark.parametrize("role", ["lead", "other_deputy", "office", "staff", "director", "unit_clerk", "unit_head",
                                  "other_unit_clerk", "admin"])
def test_every_page_renders_for_every_role(world, users, sample, client, role):
    client.force_login(users[role])
    svc.activity_create(actor=users["lead"], kind="reception", title="联络站接待日", date=today(), people_received=8)
    svc.opinion_register(actor=users["lead"], content="路灯不亮", received_on=today())
    names = ["deputies:suggestion-list", "deputies:bill-list", "deputies:cosign-inbox", "deputies:statistics",
             "deputies:overdue", "deputies:followup-list", "deputies:opinion-list", "deputies:public-list"]
    for name in names:
        resp = client.get(reverse(name))
        assert resp.status_code == 200, (name, role)
    resp = client.get(reverse("home"))
    assert resp.status_code == 200
    for s in Suggestion.objects.visible_to(users[role]):
        assert client.get(reverse("deputies:suggestion-detail", args=[s.pk])).status_code == 200
    if users[role].is_deputy:
        assert client.get(reverse("deputies:my-page")).status_code == 200
        assert client.get(reverse("deputies:suggestion-create")).status_code == 200
    if users[role].is_deputy or users[role].is_internal:
        assert client.get(reverse("deputies:activity-list")).status_code == 200
        assert client.get(reverse("deputies:activity-create")).status_code == 200
        assert client.get(reverse("deputies:opinion-create")).status_code == 200
    if users[role].is_assigning_clerk:
        assert client.get(reverse("deputies:bulk-assign")).status_code == 200
        assert client.get(reverse("deputies:suggestion-import")).status_code == 200
    if users[role].is_internal:
        assert client.get(reverse("deputies:deputy-record", args=[world.deputy("lead").pk])).status_code == 200


def test_public_page_needs_no_login_and_shows_only_publishable_items(world, client):
    shown = world.suggestion(S.REPLIED, title="关于增加公共停车位的建议")
    secret = world.suggestion(S.REPLIED, title="关于某涉密事项的建议", is_confidential=True)
    private = world.suggestion(S.CLOSED, title="关于不公开事项的建议", is_public=False)
    unreplied = world.suggestion(S.IN_PROGRESS, title="关于尚未答复事项的建议")
    html = client.get(reverse("deputies:public-list")).content.decode()
    assert shown.title in html
    for s in (secret, private, unreplied):
        assert s.title not in html
        assert client.get(reverse("deputies:public-detail", args=[s.pk])).status_code == 404
    assert client.get(reverse("deputies:public-detail", args=[shown.pk])).status_code == 200


def test_create_form_keeps_input_and_shows_errors(users, world, client):
    client.force_login(users["lead"])
    resp = client.post(reverse("deputies:suggestion-create"), {"title": "关于修缮乡村道路的建议", "situation": "",
                                                               "proposal": "尽快修缮"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-field-error="situation"' in html
    assert "关于修缮乡村道路的建议" in html and "尽快修缮" in html
    assert not Suggestion.objects.filter(title="关于修缮乡村道路的建议").exists()
    resp = client.post(reverse("deputies:suggestion-create"), {"title": "关于修缮乡村道路的建议", "situation": "路面破损",
                                                               "proposal": "尽快修缮", "is_public": "on"})
    s = Suggestion.objects.get(title="关于修缮乡村道路的建议")
    assert resp.status_code == 302 and s.status == S.DRAFT and s.lead_deputy == world.deputy("lead")


def test_action_refusal_is_shown_next_to_the_field(world, users, client):
    s = world.suggestion(S.UNDER_REVIEW)
    client.force_login(users["office"])
    url = reverse("deputies:suggestion-action", args=[s.pk, "merge"])
    closed = world.suggestion(S.CLOSED, title="已办结的建议")
    resp = client.post(url, {"into": closed.pk, "reason": "重复"})
    assert resp.status_code == 200
    assert 'data-field-error="into"' in resp.content.decode()
    assert "重复" in resp.content.decode()


def test_wrong_role_gets_403_with_the_message_and_out_of_scope_404(world, users, client):
    s = world.suggestion(S.SUBMITTED)
    client.force_login(users["staff"])
    resp = client.post(reverse("deputies:suggestion-action", args=[s.pk, "register"]))
    assert resp.status_code == 403
    assert "只有交办机构可以登记建议" in resp.content.decode()
    client.force_login(users["other_deputy"])
    assert client.post(reverse("deputies:suggestion-action", args=[s.pk, "withdraw"])).status_code == 404


def test_office_registers_and_accepts_from_the_detail_page(world, users, client):
    s = world.suggestion(S.SUBMITTED)
    client.force_login(users["office"])
    html = client.get(reverse("deputies:suggestion-detail", args=[s.pk])).content.decode()
    assert 'data-action="register"' in html
    client.post(reverse("deputies:suggestion-action", args=[s.pk, "register"]), {})
    assert Suggestion.objects.get(pk=s.pk).status == S.UNDER_REVIEW
    resp = client.post(reverse("deputies:suggestion-action", args=[s.pk, "accept"]), {"is_complex": "on"})
    assert resp.status_code == 302
    s.refresh_from_db()
    assert s.status == S.ACCEPTED and s.is_complex


def test_return_button_disappears_after_the_window(world, users, client):
    with time_machine.travel(dt.datetime(2026, 9, 28, 10, tzinfo=BJ), tick=False):
        s = world.suggestion(S.ACCEPTED)
        svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit)
    client.force_login(users["unit_clerk"])
    url = reverse("deputies:suggestion-detail", args=[s.pk])
    with time_machine.travel(dt.datetime(2026, 10, 13, 17, tzinfo=BJ), tick=False):
        assert 'data-action="request_return"' in client.get(url).content.decode()
    with time_machine.travel(dt.datetime(2026, 10, 14, 9, tzinfo=BJ), tick=False):
        client.force_login(users["unit_clerk"])  # next morning: yesterday's session timed out
        html = client.get(url).content.decode()
        assert 'data-action="request_return"' not in html
        assert 'data-action="sign"' in html


def test_similar_items_and_suggested_unit_shown_to_the_office(world, users, client):
    old = world.suggestion(S.IN_PROGRESS, title="关于解决城区学校大班额问题的建议", unit=world.other_unit)
    world.suggestion(S.IN_PROGRESS, title="关于完善农村医疗保障的建议", situation="农村看病难。", proposal="增加乡镇卫生院。")
    new = world.suggestion(S.UNDER_REVIEW, title="关于缓解城区学校大班额的建议", lead="other_deputy")
    client.force_login(users["office"])
    html = client.get(reverse("deputies:suggestion-detail", args=[new.pk])).content.decode()
    assert old.title in html and "完善农村医疗保障" not in html
    assert "data-hint-unit>江州市住房和城乡建设局<" in html
    client.force_login(users["other_deputy"])
    assert old.title not in client.get(reverse("deputies:suggestion-detail", args=[new.pk])).content.decode()


def test_export_uses_the_page_filters_and_scope(world, users, client):
    mine = world.suggestion(S.SUBMITTED, title="关于甲事项的建议")
    world.suggestion(S.ACCEPTED, title="关于乙事项的建议")
    world.suggestion(S.SUBMITTED, title="关于丙事项的建议", lead="other_deputy")
    client.force_login(users["lead"])
    resp = client.get(reverse("deputies:suggestion-export") + "?status=submitted")
    ws = load_workbook(io.BytesIO(resp.getvalue())).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == [mine.title]


def test_word_assignment_notice(world, users, client):
    s = world.suggestion(S.ASSIGNED)
    client.force_login(users["office"])
    resp = client.get(reverse("deputies:suggestion-notice", args=[s.pk]))
    assert resp.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    cells = " ".join(c.text for t in Document(io.BytesIO(resp.content)).tables for r in t.rows for c in r.cells)
    assert "代表建议交办单" in text and s.title in cells and "江州市教育局" in cells
    resp = client.get(reverse("deputies:suggestion-notices") + "?status=assigned")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(users["other_deputy"])
    assert client.get(reverse("deputies:suggestion-notice", args=[s.pk])).status_code == 404


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "标题", "领衔代表", "附议代表", "分类", "事由", "具体建议", "是否公开", "提出时间"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "建议汇总.xlsx"
    return buf


def test_import_previews_errors_and_saves_nothing_then_imports(world, users, client):
    client.force_login(users["office"])
    url = reverse("deputies:suggestion-import")
    bad = _sheet([
        ["0101", "關於加強校園周邊交通管理的建議", "赵丽萍", "孙志强", "教科文卫", "上下學高峰擁堵", "增設護學崗", "是", "会议期间"],
        ["0102", "关于无名代表的建议", "查无此人", "", "不存在的分类", "事由", "建议", "否", "某时"],
    ])
    resp = client.post(url, {"session": world.session.pk, "file": bad})
    html = resp.content.decode()
    assert "找不到本届代表“查无此人”" in html and "分类“不存在的分类”不存在" in html
    assert "确认导入" not in html
    assert not Suggestion.objects.exists()
    good = _sheet([
        ["0101", "關於加強校園周邊交通管理的建議", "赵丽萍", "孙志强", "教科文卫", "上下學高峰擁堵", "增設護學崗", "是", "会议期间"],
    ])
    resp = client.post(url, {"session": world.session.pk, "file": good})
    assert "确认导入" in resp.content.decode()
    token = resp.context["token"]
    resp = client.post(url, {"confirm": "1", "token": token})
    assert resp.status_code == 302
    s = Suggestion.objects.get()
    # Traditional characters are turned into Simplified ones; the sheet's number is kept
    assert s.title == "关于加强校园周边交通管理的建议" and s.number == "第0101号" and s.status == S.UNDER_REVIEW
    assert list(s.cosignatures.values_list("deputy__name", flat=True)) == ["孙志强"]
    client.force_login(users["staff"])
    assert client.get(url).status_code == 403


def test_bulk_assignment_page(world, users, client):
    a = world.suggestion(S.ACCEPTED, title="关于甲的建议")
    b = world.suggestion(S.ACCEPTED, title="关于乙的建议")
    client.force_login(users["office"])
    url = reverse("deputies:bulk-assign")
    resp = client.post(url, {"include": [a.pk, b.pk], f"lead-{a.pk}": world.unit.pk, "assigned_on": today().isoformat()})
    assert resp.status_code == 200 and b.number in resp.content.decode()
    assert Suggestion.objects.filter(status=S.ASSIGNED).count() == 0
    resp = client.post(url, {"include": [a.pk, b.pk], f"lead-{a.pk}": world.unit.pk, f"lead-{b.pk}": world.other_unit.pk,
                             f"co-{b.pk}": [world.unit.pk], "assigned_on": today().isoformat()})
    assert resp.status_code == 302
    assert Suggestion.objects.filter(status=S.ASSIGNED).count() == 2


def test_deputy_records_activity_and_opinion_and_sees_the_duty_record(world, users, client):
    client.force_login(users["lead"])
    resp = client.post(reverse("deputies:activity-create"), {
        "kind": "reception", "title": "文昌街道代表之家接待日", "date": today().isoformat(), "people_received": "15",
        "description": "接待选民15人次",
    })
    assert resp.status_code == 302
    a = Activity.objects.get()
    assert list(a.deputies.all()) == [world.deputy("lead")]
    resp = client.post(reverse("deputies:opinion-create"), {"received_on": today().isoformat(), "activity": a.pk,
                                                           "content": "希望增设社区食堂", "citizen_name": "张大爷"})
    assert resp.status_code == 302
    assert CitizenOpinion.objects.get().activity == a
    html = client.get(reverse("deputies:my-page")).content.decode()
    assert "接待群众人次" in html and ">15<" in html
    client.force_login(users["other_deputy"])
    assert client.get(reverse("deputies:activity-detail", args=[a.pk])).status_code == 404


def test_statistics_page_shows_definitions_beside_figures(world, users, client):
    world.suggestion(S.CLOSED)
    client.force_login(users["director"])
    html = client.get(reverse("deputies:statistics")).content.decode()
    for text in ("答复率", "按期答复率", "办结率", "满意率", "首轮满意率", "解决率", "解决或计划解决率",
                 "（A类 + B类）答复件数 ÷ 答复总数"):
        assert text in html
    assert 'data-dimension="unit"' in html and 'data-dimension="delegation"' in html


def test_overdue_list_has_colours(world, users, client):
    long = world.suggestion(S.IN_PROGRESS, title="关于长期逾期事项的建议")
    long.assignments.update(due_date=today() - dt.timedelta(days=20))
    late = world.suggestion(S.IN_PROGRESS, title="关于刚逾期事项的建议")
    late.assignments.update(due_date=today() - dt.timedelta(days=2))
    soon = world.suggestion(S.IN_PROGRESS, title="关于临期事项的建议")
    soon.assignments.update(due_date=today() + dt.timedelta(days=3))
    client.force_login(users["director"])
    html = client.get(reverse("deputies:overdue")).content.decode()
    assert 'data-colour="red"' in html and 'data-colour="orange"' in html and 'data-colour="blue"' in html
    client.force_login(users["other_unit_clerk"])
    assert long.title not in client.get(reverse("deputies:overdue")).content.decode()


def test_code_tables_are_edited_in_the_admin(world, users, client):
    client.force_login(users["admin"])
    assert client.get(reverse("admin:deputies_replycategory_changelist")).status_code == 200
    b = world.category("B")
    resp = client.post(reverse("admin:deputies_replycategory_change", args=[b.pk]), {
        "code": "B", "label": "所提问题正在解决或者已列入计划逐步解决", "counts_as_planned": "on", "opens_follow_up": "on",
        "sort_order": 2, "is_active": "on",
    })
    assert resp.status_code == 302
    b.refresh_from_db()
    assert b.label == "所提问题正在解决或者已列入计划逐步解决"
    world.suggestion(S.CLOSED)
    assert client.get(reverse("admin:deputies_suggestion_changelist")).status_code == 200
