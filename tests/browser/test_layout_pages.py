"""Every page a role reaches from its menus and lists, not only the main ones: at 390x844
and 1366x900 nothing scrolls sideways, nothing visible sits off-screen and the console
stays clean; in English the interface's own words are translated. Pages of records are
found in the demo data as each role would open them; the public pages are visited
without signing in."""

import pytest
from django.conf import settings
from django.core.management import call_command

from congress.models import Deputy, User
from deputies.models import Bill, Suggestion
from legislation.models import Consultation, RegulationProject
from plans.models import Plan, PlanItem
from supervision.models import SupervisionItem
from tests.browser.conftest import _context, _watch
from tests.browser.test_layout import CJK, LAPTOP, PHONE, _check_layout, _proper_names, _sign_in, _untranslated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _record_texts() -> list[str]:
    """What the records say (titles, article numbers, reply codes, the year-end draft's
    headings, delegations, deputies' posts): content in the records' language, not the
    interface's words."""
    from django.apps import apps
    from django.db import models

    from dashboards.models import YearSummary
    from dashboards.summary import DEFAULT_SECTIONS, SECTION_HEADING

    texts = {heading for heading, _sentences in DEFAULT_SECTIONS}
    for body in YearSummary.objects.values_list("body", flat=True):
        texts.update(line.strip() for line in body.splitlines() if SECTION_HEADING.match(line.strip()))
    for label in ("deputies.Suggestion", "deputies.Bill", "deputies.ReplyCategory", "plans.Plan", "plans.PlanItem",
                  "legislation.LegislativePlan", "legislation.RegulationProject", "legislation.Consultation",
                  "legislation.DraftArticle", "supervision.SupervisionItem", "dashboards.YearSummary", "congress.Delegation", "congress.Deputy",
                  "congress.User"):
        model = apps.get_model(label)
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField) and not f.choices and f.max_length and f.max_length <= 500]
        for row in model.objects.values_list(*fields):
            texts.update(v for v in row if v and CJK.search(v))
    return list(texts)


def _first(qs, user):
    obj = qs.visible_to(user).order_by("pk").first()
    assert obj is not None, f"the demo data has no {qs.model.__name__} for {user.username}"
    return obj.pk


def _pages() -> dict[str, list[str]]:
    u = {user.username: user for user in User.objects.filter(
        username__in=["staff", "assign", "director", "deputy1", "unit1_clerk", "unit1_head", "legal"])}
    deputy = Deputy.objects.get(user=u["deputy1"])
    submitted = Suggestion.objects.exclude(status="draft")
    return {
        "staff": [
            f"/plans/{_first(Plan.objects, u['staff'])}/", f"/plans/items/{_first(PlanItem.objects, u['staff'])}/",
            f"/supervision/{_first(SupervisionItem.objects, u['staff'])}/", "/supervision/year/",
            "/supervision/meetings/", "/meetings/", "/inbox/", "/reminders/mine/", "/reminders/preferences/",
            "/reminders/calendar/", "/exports/", "/accounts/password/", "/accounts/tokens/",
        ],
        "assign": [
            f"/deputies/suggestions/{_first(submitted, u['assign'])}/", "/deputies/bills/", "/deputies/assign/",
            "/deputies/statistics/", "/deputies/overdue/", "/deputies/follow-ups/", "/deputies/activities/",
            "/deputies/opinions/", "/deputies/suggestions/import/", f"/deputies/deputies/{deputy.pk}/poster/",
        ],
        "director": [
            "/dashboard/summary/", "/dashboard/records/standing_meetings/", "/dashboard/mine/",
            "/dashboard/manual/", "/reminders/overdue/",
        ],
        "deputy1": [
            "/deputies/me/", "/deputies/cosign/", f"/deputies/suggestions/{_first(submitted, u['deputy1'])}/",
            "/deputies/bills/", f"/deputies/bills/{_first(Bill.objects, u['deputy1'])}/",
        ],
        "unit1_clerk": [f"/deputies/suggestions/{_first(submitted, u['unit1_clerk'])}/"],
        "legal": [
            "/legislation/", "/legislation/projects/", f"/legislation/projects/{_first(RegulationProject.objects, u['legal'])}/",
            f"/legislation/comments/{_first(Consultation.objects, u['legal'])}/collation/",
        ],
        None: [
            "/accounts/login/", "/public/drafts/", f"/public/drafts/{Consultation.objects.published().first().pk}/",
            f"/public/deputies/{deputy.qr_token}/", "/public/deputies/track/", "/deputies/public/",
        ],
    }


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", quiet=True)
    return live_server.url


def test_every_page_of_every_role_fits_and_speaks_english(browser, demo):
    problems, untranslated = [], set()
    # Longest first, so a title is taken out whole before a name inside it.
    names = sorted({*_proper_names(), *_record_texts()}, key=len, reverse=True)
    for username, paths in _pages().items():
        for viewport, language in ((PHONE, "zh-hans"), (LAPTOP, "zh-hans"), (LAPTOP, "en")):
            context = _context(browser, viewport=viewport, has_touch=viewport is PHONE)
            page = _watch(context.new_page())
            if username:
                _sign_in(page, demo, username, language=language)
            else:
                context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo}])
            for path in paths:
                response = page.goto(f"{demo}{path}")
                page.wait_for_load_state("networkidle")
                where = f"{username or 'anonymous'} {path} {viewport['width']}px {language}"
                if response.status >= 400:
                    problems.append(f"{where}: HTTP {response.status}")
                _check_layout(page, where, problems)
                if language == "en":
                    untranslated.update(f"{path}: {text}" for text in _untranslated(page, names))
            problems.extend(f"{username or 'anonymous'} {viewport['width']}px {e}" for e in page.console_errors)
            context.close()
    assert not problems, "\n".join(problems)
    assert not untranslated, "Chinese left in the English interface:\n" + "\n".join(sorted(untranslated))
