"""A deputy's work on a phone, one-handed, from the home page: write and submit a
suggestion in one flow (the product's own confirmation, no browser dialog), confirm a
colleague's co-signing invitation, and follow one's items in the list and on the item's
page; nothing scrolls sideways on the way."""

import pytest

from congress.models import Deputy, User
from deputies import services
from deputies.choices import SuggestionStatus as S
from deputies.models import Suggestion
from tests import factories as f
from tests.browser.conftest import login
from tests.browser.test_deputies_journey import click_nav, fits, people  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_submits_cosigns_and_follows_on_a_phone(live_server, phone_page, people):  # noqa: F811
    base = live_server.url
    # A colleague has invited her to co-sign his draft.
    colleague = User.objects.get(username="deputy2")
    theirs = services.suggestion_create(actor=colleague, title="关于增设社区养老服务站点的建议",
                                        situation="老城区养老服务站点不足。", proposal="按街道补齐站点。")
    services.suggestion_invite(actor=colleague, suggestion=theirs,
                               deputies=[Deputy.objects.get(user__username="deputy1")])

    page = login(phone_page, live_server, "deputy1", f.PASSWORD)
    assert fits(page)
    # From the home page's button, straight to the form; written and submitted in one go.
    click_nav(page, "a[data-home-action]")
    assert "/deputies/suggestions/new/" in page.url and fits(page)
    page.fill("#id_title", "关于优化公交线路便利学生出行的建议")
    page.fill("#id_situation", "部分学校周边没有直达公交，学生上下学不便。")
    page.fill("#id_proposal", "一是增设学生专线；二是调整早晚高峰班次。")
    page.tap("button[name='submit']")
    page.wait_for_selector("#app-confirm [data-confirm-ok]", state="visible")
    assert "提交后不能再修改" in page.inner_text("#app-confirm [data-confirm-body]")
    with page.expect_navigation():
        page.tap("#app-confirm [data-confirm-ok]")
    mine = Suggestion.objects.get(lead_deputy__user__username="deputy1")
    assert mine.status == S.SUBMITTED
    assert f"/deputies/suggestions/{mine.pk}/" in page.url and fits(page)

    # The invitation waits in her co-signing inbox; she confirms it with one tap.
    page.goto(f"{base}/deputies/cosign/")
    assert "关于增设社区养老服务站点的建议" in page.inner_text("main") and fits(page)
    with page.expect_navigation():
        page.tap("button[data-action='confirm_cosign']")
    assert theirs.cosignatures.get().status == "confirmed"

    # She follows both in her list (cards on the phone) and opens her own.
    page.goto(f"{base}/deputies/")
    listed = page.inner_text("main")
    assert "关于优化公交线路便利学生出行的建议" in listed and fits(page)
    with page.expect_navigation():
        page.tap(f"a[href='/deputies/suggestions/{mine.pk}/']")
    assert "已提交" in page.inner_text("main") and fits(page)
