"""Times read in Beijing time in one format; history speaks the user's language."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template

from congress import formatting
from congress.history import record_change, snapshot
from congress.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MORNING_UTC = dt.datetime(2026, 12, 2, 7, 24, tzinfo=UTC)  # 15:24 in Beijing


def test_formatter_gives_local_time_and_one_date_format():
    assert formatting.format_datetime(MORNING_UTC) == "2026-12-02 15:24"
    assert formatting.format_date(dt.date(2026, 12, 2)) == "2026-12-02"
    # 23:30 UTC is already the next day in Beijing.
    assert formatting.format_date(dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == "2026-12-02"
    assert formatting.format_date_long(dt.date(2027, 1, 5)) == "2027年1月5日"
    assert formatting.format_datetime(None) == "" and formatting.format_date(None) == ""


def test_home_unread_card_shows_the_same_time_as_the_inbox(client_as, staff_user):
    with time_machine.travel(MORNING_UTC, tick=False):
        Notification.objects.create(recipient=staff_user, title="答复稿待审签：关于学校建设的建议")
        client = client_as(staff_user)
        home = client.get("/").content.decode()
        inbox = client.get("/inbox/").content.decode()
    assert "2026-12-02 15:24" in home
    assert "07:24" not in home
    assert "2026-12-02 15:24" in inbox


def test_history_keeps_times_in_local_form(staff_user, term):
    meeting = f.MeetingFactory(term=term)
    entry = record_change(obj=meeting, actor=staff_user, changes={"start_date": [None, MORNING_UTC]})
    entry.refresh_from_db()
    assert entry.changes["start_date"]["after"] == "2026-12-02 15:24"


def _render(value):
    return Template("{% load history_tags %}{{ v|history_value }}").render(Context({"v": value}))


def test_history_values_read_as_words():
    assert _render("2026-12-02T07:27:49.726923+00:00") == "2026-12-02 15:27"  # entries written before
    assert _render([]) == "（空）"
    assert _render(["座谈会", "实地检查"]) == "座谈会、实地检查"
    assert _render(True) == "是" and _render(None) == "—"


def test_history_shows_labels_of_stored_codes(term, office):
    from supervision.choices import InspectionForm
    from supervision.models import SupervisionItem

    item = SupervisionItem(kind="law_inspection", title="执法检查", year=2026, lead_office=office,
                           inspection_forms=[InspectionForm.values[0]])
    snap = snapshot(item, ["inspection_forms"])
    assert snap["inspection_forms"] == [str(InspectionForm.labels[0])]

    from plans.models import PlanItem

    assert snapshot(PlanItem(planned_quarter=2), ["planned_quarter"]) == {"planned_quarter": "第二季度"}


def test_summary_history_names_figures_instead_of_codes():
    from congress.models import AuditEntry
    from dashboards.figures import Figure
    from dashboards.summary import readable_history

    e = AuditEntry(changes={"body": {"label": "正文", "before": None, "after": "全年共举行常委会会议{standing_meetings}次"}})
    fig = Figure(key="standing_meetings", label="常委会会议", value=3)
    [shown] = readable_history([e], [fig])
    assert shown.changes["body"]["after"] == "全年共举行常委会会议〔常委会会议〕次"


def test_history_names_a_related_list_as_people_know_it(staff_user, term):
    from congress.models import AgendaItem

    meeting = f.MeetingFactory(term=term)
    entry = record_change(obj=meeting, actor=staff_user, changes={"agenda_items": [None, "听取财政报告"]})
    assert entry.changes["agenda_items"]["label"] == str(AgendaItem._meta.verbose_name)
