"""A citizen on a phone, without signing in, comments on an article of a draft regulation;
then the responsible office finds the comment in its collation, under that article."""

import datetime as dt

import pytest

from congress.roles import Role
from congress.workdays import today
from legislation import services_consultation as services
from legislation.models import PublicComment
from tests import factories as f
from tests.browser.conftest import _context, _finish, _watch, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = """江州市城市绿化条例（草案）
第一章　总则
第一条　为了促进城市绿化事业的发展，改善生态环境，制定本条例。
第二章　规划和建设
第二条　新建居住区的绿地率不得低于百分之三十。
第三条　本条例自　年　月　日起施行。"""


@pytest.fixture
def phone_390(browser):
    context = _context(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                       has_touch=True)
    page = _watch(context.new_page())
    yield page
    _finish(page, context)


def test_a_citizen_comments_on_an_article_and_staff_see_it_in_the_collation(live_server, phone_390, browser_page):
    office = f.OfficeFactory(name="法制工作委员会", short_name="法工委")
    staff = f.UserFactory(username="lawstaff", name="林立法", role=Role.STAFF, office=office)
    draft = services.consultation_create(actor=staff, title="江州市城市绿化条例（草案）", draft_text=DRAFT,
                                         start_date=today() - dt.timedelta(days=1))
    draft = services.consultation_open(actor=staff, consultation=draft, version=draft.version)
    base = live_server.url

    # The citizen opens the list of drafts on a phone, without an account.
    page = phone_390
    page.goto(f"{base}/public/drafts/")
    with page.expect_navigation():
        page.click(f"a:has-text('{draft.title}')")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    article = page.locator("[data-article='第二条']")
    article.locator("summary").click()
    article.locator("textarea[name=text]").fill("建议把新建居住区的绿地率提高到百分之三十五。")
    article.locator("input[name=name]").fill("王小明")
    article.locator("input[name=phone]").fill("13700001234")
    with page.expect_navigation():
        article.locator("button[type=submit]").click()
    assert "意见已收到" in page.inner_text("main")
    reference = page.inner_text("[data-reference]")
    comment = PublicComment.objects.get(reference=reference)
    assert comment.article.number == "第二条"
    # Pending review: not on the public page, and the phone never is.
    page.goto(f"{base}/public/drafts/{draft.pk}/")
    assert "绿地率提高到百分之三十五" not in page.content() and "13700001234" not in page.content()

    # Staff find it in the collation, under the article, and publish and handle it.
    staff_page = login(browser_page, live_server, "lawstaff", f.PASSWORD)
    staff_page.goto(f"{base}/legislation/comments/{draft.pk}/collation/")
    group = staff_page.locator("[data-group='第二条']")
    assert "绿地率提高到百分之三十五" in group.inner_text()
    assert "1条" in group.locator("[data-count]").inner_text()
    with staff_page.expect_navigation():
        group.locator(f"#comment-{comment.pk} a:has-text('审核处理')").click()
    staff_page.select_option("#id_status", "published")
    staff_page.select_option("#id_handling", "partly")
    staff_page.fill("#id_handling_reason", "绿地率调整为百分之三十三。")
    with staff_page.expect_navigation():
        staff_page.click("form[data-decision-form] button[type=submit]")
    assert "部分采纳" in staff_page.locator(f"#comment-{comment.pk}").inner_text()

    # Published now: the citizen sees it under the article, without name or phone.
    page.goto(f"{base}/public/drafts/{draft.pk}/")
    text = page.locator("[data-article='第二条']").inner_text()
    page.locator("[data-article='第二条'] .consultation-public-comments summary").click()
    text = page.locator("[data-article='第二条']").inner_text()
    assert "绿地率提高到百分之三十五" in text and "王小明" not in text and "13700001234" not in page.content()
