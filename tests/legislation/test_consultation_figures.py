"""Year figures of public comment: drafts opened for comment and comments received, each
opening its records; none where the legislation module is off."""

import datetime as dt

import pytest
from django.utils import timezone

from legislation.models import Consultation, PublicComment
from tests.dashboards.helpers import figures, listed_count, listed_rows
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import submit

pytestmark = pytest.mark.django_db


def _at(y, m, d, hour=12):
    return timezone.make_aware(dt.datetime(y, m, d, hour))


@pytest.fixture
def year_data(make_draft):
    opened = make_draft(title="2025年的草案")
    earlier = make_draft(title="2024年的草案")
    comments = [submit(opened) for _ in range(3)] + [submit(earlier)]
    Consultation.objects.filter(pk=opened.pk).update(start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 31))
    Consultation.objects.filter(pk=earlier.pk).update(start_date=dt.date(2024, 12, 1), end_date=dt.date(2024, 12, 31))
    never = make_draft(title="未发布的草案", open_=False)
    Consultation.objects.filter(pk=never.pk).update(start_date=dt.date(2025, 6, 1), end_date=dt.date(2025, 6, 30))
    received = [_at(2025, 3, 2), _at(2025, 3, 30), _at(2025, 1, 1, 1), _at(2024, 12, 31, 23)]
    for c, at in zip(comments, received, strict=True):
        PublicComment.objects.filter(pk=c.pk).update(received_at=at)
    return opened


def test_drafts_opened_and_comments_received_in_the_year(director, year_data):
    figs = figures(director, 2025)
    assert figs["consultation_drafts"].value == 1
    assert figs["consultation_drafts"].previous == 1
    assert figs["consultation_comments"].value == 3  # 1 January 01:00 Beijing time is 2025
    assert figs["consultation_comments"].previous == 1
    assert figs["consultation_drafts"].group == "legislation"


def test_each_figure_opens_its_records(client_as, director, year_data):
    client = client_as(director)
    figs = figures(director, 2025)
    assert listed_count(client, figs["consultation_drafts"]) == "1"
    assert listed_rows(client, figs["consultation_comments"]) == 3
    body = client.get(figs["consultation_drafts"].list_url).content.decode()
    assert "2025年的草案" in body and "未发布的草案" not in body


def test_figures_are_omitted_where_the_module_is_off(director, year_data, settings):
    settings.LEGISLATION_ENABLED = False
    figs = figures(director, 2025)
    assert "consultation_drafts" not in figs and "consultation_comments" not in figs


def test_deputies_get_no_numbers_of_comments(deputy_user, year_data):
    figs = figures(deputy_user, 2025)
    assert figs.get("consultation_comments") is None or figs["consultation_comments"].value == 0
