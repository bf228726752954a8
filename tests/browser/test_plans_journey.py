"""Committee staff create the year's plan, import the sample document, check the
preview, confirm, assign an item to their office, update its progress inline in the
list and see it there, in the real pages."""

from pathlib import Path

import pytest

from congress.roles import Role
from plans.models import Plan, PlanItem, ProgressEntry
from tests import factories as f
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parent.parent / "plans" / "samples" / "plan-municipal-work-points.txt"


def test_staff_import_sample_confirm_update_progress_and_see_it_in_the_list(live_server, browser_page):
    office = f.OfficeFactory(name="办公室", short_name="办公室")
    f.UserFactory(username="staff", name="王晓东", role=Role.STAFF, office=office)
    page = login(browser_page, live_server, "staff", f.PASSWORD)
    base = live_server.url

    # A new plan for the year, then straight to its import page.
    page.goto(f"{base}/plans/")
    with page.expect_navigation():
        page.click("a:has-text('新建计划')")
    page.select_option("#id_kind", "work_points")
    page.fill("#id_year", "2026")
    page.fill("#id_title", "2026年工作要点")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/import/")

    # Paste the document; the preview shows the tree and nothing is saved yet.
    page.fill("#id_text", SAMPLE.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.click("form[data-import-form] button[type=submit]")
    counts = page.inner_text("[data-level-counts]")
    assert "第1级：3条" in counts and "第2级：6条" in counts and "第3级：13条" in counts
    assert PlanItem.objects.count() == 0

    # Fix levels in the preview (htmx, in place): put an item one level down, then back.
    page.click("li[data-node='3'] button[value='indent']")
    page.wait_for_selector("li[data-node='3'][data-level='4']")
    assert "第4级：1条" in page.inner_text("[data-level-counts]")
    page.click("li[data-node='3'] button[value='outdent']")
    page.wait_for_selector("li[data-node='3'][data-level='3']")
    assert "第3级：13条" in page.inner_text("[data-level-counts]")
    assert PlanItem.objects.count() == 0

    with page.expect_navigation():
        page.click("button[data-confirm-import]")
    assert "已导入22个条目" in page.inner_text("main")
    plan = Plan.objects.get()
    assert plan.items.count() == 22
    tree = page.inner_text("[data-plan-tree]")
    assert "一、凝心聚力,服务中心" in tree and "（3）依法对“一府两院”法律法规执行情况及相关工作进行专项检查" in tree

    # Assign an item to the office from the list (bulk assignment).
    item = PlanItem.objects.get(plan=plan, title__startswith="依法对“一府两院”")
    page.goto(f"{base}/plans/items/?plan={plan.pk}")
    page.check(f"input[name='items'][value='{item.pk}']")
    page.select_option("form[data-bulk-form] select[name='lead_office']", str(office.pk))
    with page.expect_navigation():
        page.click("form[data-bulk-form] button[type=submit]")
    assert "已批量设置1个条目" in page.inner_text("main")

    # Update its progress inline: the row changes in place.
    row = f"#item-row-{item.pk}"
    page.click(f"{row} summary")
    page.fill(f"{row} input[name='percent']", "60")
    page.fill(f"{row} input[name='text']", "已完成三次专项检查")
    page.click(f"{row} form[data-inline-progress] button[type=submit]")
    page.wait_for_selector(f"{row} [data-row-message]")
    assert "60%" in page.inner_text(f"{row} [data-progress]")
    assert ProgressEntry.objects.get(item=item).text == "已完成三次专项检查"
    # The parent's row, also in the list, shows the rolled-up percent without a reload.
    assert page.inner_text(f"#item-row-{item.parent_id} [data-progress]") == "20%"  # (0 + 0 + 60) / 3
    assert page.inner_text(f"#item-row-{item.parent.parent_id} [data-progress]") == "10%"  # (20 + 0) / 2

    # Seen in the list after a reload too, with the parent rolled up.
    page.goto(f"{base}/plans/items/?plan={plan.pk}&q=依法对")
    assert "60%" in page.inner_text(f"{row} [data-progress]")
    assert "推进中" in page.inner_text(row)
    assert PlanItem.objects.get(pk=item.parent_id).progress == 20  # (0 + 0 + 60) / 3


def test_plan_pages_fit_a_phone(live_server, phone_page):
    """The preview, the list, the tree and the item page need no sideways scrolling on a
    phone (375px), with long sentences in the split menu and a full item record."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans import services

    office = f.OfficeFactory(name="办公室", short_name="办公室")
    staff = f.UserFactory(username="staff", name="王晓东", role=Role.STAFF, office=office)
    plan = services.plan_create(actor=staff, kind="work_points", year=2026)
    draft = services.plan_import_preview(actor=staff, plan=plan, text=SAMPLE.read_text(encoding="utf-8"))
    page = login(phone_page, live_server, "staff", f.PASSWORD)
    base = live_server.url

    def assert_fits(url):
        page.goto(base + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide on a 375px phone"

    assert_fits(f"/plans/drafts/{draft.pk}/")
    services.draft_confirm(actor=staff, draft=draft)
    item = PlanItem.objects.filter(plan=plan, level=3).first()
    item = services.item_update(actor=staff, item=item, version=item.version, lead_office=office,
                                deliverable="专项检查报告")
    services.item_post_progress(actor=staff, item=item, percent=30, text="已开展两次专项检查", version=item.version,
                                files=[SimpleUploadedFile("检查报告.txt", "内容".encode())])
    for url in ("/plans/", f"/plans/{plan.pk}/", "/plans/items/", f"/plans/items/{item.pk}/",
                f"/plans/items/{item.pk}/edit/"):
        assert_fits(url)
