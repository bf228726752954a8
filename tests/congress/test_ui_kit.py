"""The shared interface kit: the filter bar every list uses (yes/no filters read 全部,
multi-selects are checkboxes, active filters are chips that remove themselves), lists
that turn into cards on phones, one status colour per meaning, quarter labels per language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from congress.templatetags.ui import status_tone
from plans.choices import quarter_label

pytestmark = pytest.mark.django_db


def _filter_bar(html: str) -> str:
    match = re.search(r'<form method="get" class="filter-bar".*?</form>', html, re.S)
    assert match, "the list has the shared filter bar"
    return match.group(0)


def test_yes_no_filters_default_to_all_not_unknown(client, staff_user):
    client.force_login(staff_user)
    bar = _filter_bar(client.get(reverse("deputies:suggestion-list")).content.decode())
    overdue = re.search(r'<select name="overdue".*?</select>', bar, re.S).group(0)
    first = re.search(r"<option[^>]*>([^<]*)</option>", overdue).group(1)
    assert first == "全部"
    assert "未知" not in bar


def test_multi_selects_are_checkboxes_and_the_filter_block_starts_collapsed(client, staff_user):
    client.force_login(staff_user)
    bar = _filter_bar(client.get(reverse("plans:item-list")).content.decode())
    assert "<select multiple" not in bar and 'multiple name="status"' not in bar
    assert re.search(r'<input type="checkbox" name="status" value="in_progress"', bar)
    assert re.search(r'class="collapse filter-bar-body"', bar), "collapsed until asked for"


def test_active_filters_show_as_chips_that_remove_only_themselves(client, staff_user):
    client.force_login(staff_user)
    html = client.get(reverse("plans:item-list") + "?status=in_progress&status=done&overdue=true&page=2").content
    bar = _filter_bar(html.decode())
    chips = re.findall(r'<li class="filter-chip">(.*?)</li>', bar, re.S)
    texts = [re.sub(r"<[^>]+>", "", c).replace("×", "").strip() for c in chips]
    assert texts == ["状态：推进中", "状态：已完成", "已逾期：是"]
    removal = re.search(r'href="([^"]+)"', chips[0]).group(1).replace("&amp;", "&")
    assert "status=done" in removal and "overdue=true" in removal
    assert "in_progress" not in removal and "page=" not in removal
    assert re.search(r'text-bg-primary">3</span>', bar), "the toggle counts the active filters"


def test_list_pages_mark_their_cells_for_phone_cards(client, staff_user):
    client.force_login(staff_user)
    for name in ("deputies:suggestion-list", "plans:item-list", "plans:plan-list", "supervision:item-list"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="table table-hover align-middle list-table"' in html, name


def test_same_meaning_same_colour_across_apps():
    assert status_tone("done") == status_tone("replied") == status_tone("rectified")
    assert status_tone("held") == status_tone("done")  # a meeting that took place (已召开)
    assert status_tone("in_progress") != status_tone("done")
    assert status_tone("delayed") == status_tone("return_requested")
    assert status_tone("something new") == "status-muted"


def test_quarters_are_whole_phrases_in_each_language():
    # English comes from locale/en (msgids 第一季度 … 第四季度 → Q1 … Q4): never "Q一".
    with translation.override("zh-hans"):
        assert [quarter_label(q) for q in (1, 4)] == ["第一季度", "第四季度"]
    with translation.override("en"):
        assert not re.search(r"[\u4e00-\u9fff]", quarter_label(2)), quarter_label(2)
