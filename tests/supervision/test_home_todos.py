"""Work that waits for someone is on their home page: every step the supervision loop
gives committee staff or a supervised body is a to-do card with its count, in a fixed
number of queries however many records wait."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.navigation import home_todos
from supervision import choices as c
from supervision.models import AuditProblem, DeliberationOpinion, FiledDocument, Interpellation, SupervisionItem

pytestmark = pytest.mark.django_db


def todo_counts(html: str) -> dict[str, int]:
    return {m.group(2): int(m.group(1)) for m in re.finditer(
        r'<span class="todo-count" aria-hidden="true">(\d+)</span>\s*<span class="todo-text">\s*'
        r'<span class="todo-title">([^<]+)<', html)}


def _waiting_work(make_item, unit, n=1):
    """n records waiting at each step of the loop."""
    for i in range(n):
        heard = make_item(title=f"已审议事项{i}")
        SupervisionItem.objects.filter(pk=heard.pk).update(status=c.ItemStatus.HEARD)
        DeliberationOpinion.objects.create(item=make_item(title=f"汇总中{i}"), status=c.OpinionStatus.COMPILING)
        DeliberationOpinion.objects.create(item=make_item(title=f"已通过{i}"), status=c.OpinionStatus.APPROVED)
        DeliberationOpinion.objects.create(item=make_item(title=f"已交办{i}"), status=c.OpinionStatus.ISSUED,
                                           report_due=dt.date(2025, 9, 1))
        DeliberationOpinion.objects.create(item=make_item(title=f"已报告{i}"), status=c.OpinionStatus.REPORTED)
        audit = make_item(c.SupervisionType.AUDIT_RECTIFICATION, title=f"审计整改{i}")
        AuditProblem.objects.create(item=audit, description="未按规定拨付资金", responsible_unit=unit,
                                    status=c.ProblemStatus.PENDING)
        AuditProblem.objects.create(item=audit, description="项目超概算", responsible_unit=unit,
                                    status=c.ProblemStatus.EVIDENCE_SUBMITTED)
        inter = make_item(c.SupervisionType.INTERPELLATION, title=f"质询{i}")
        Interpellation.objects.create(item=inter, subject="关于河道污染的质询", addressed_unit=unit,
                                      proposer_names="甲\n乙", proposer_count=10, submitted_on=dt.date(2025, 6, 1))
        filing = make_item(c.SupervisionType.FILING_REVIEW, title=f"备案{i}")
        FiledDocument.objects.create(item=filing, title="关于物业管理的规定", maker=unit,
                                     published_on=dt.date(2025, 5, 1), status=c.FilingStatus.FILED)
        FiledDocument.objects.create(item=filing, title="关于停车收费的规定", maker=unit,
                                     published_on=dt.date(2025, 5, 2), status=c.FilingStatus.OPINION_SENT)


def test_lead_office_staff_see_every_step_they_owe(make_item, unit, staff_user, client_as, frozen):
    _waiting_work(make_item, unit)
    cards = todo_counts(client_as(staff_user).get("/").content.decode())
    assert cards["待汇总审议意见的事项"] == 1
    assert cards["待主任会议通过的审议意见"] == 1
    assert cards["待交办的审议意见"] == 1
    assert cards["待跟踪监督的审议意见"] == 1
    assert cards["待对账销号的审计问题"] == 1
    assert cards["待审查的备案文件"] == 1


def test_another_office_does_not_count_this_office_work(make_item, unit, other_staff_user, frozen):
    _waiting_work(make_item, unit)
    cards = {t.title: t.count for t in home_todos(other_staff_user)}
    assert cards["待交办的审议意见"] == 0 and cards["待对账销号的审计问题"] == 0


def test_supervised_body_sees_what_it_must_answer(make_item, unit, unit_clerk, client_as, frozen):
    _waiting_work(make_item, unit)
    cards = todo_counts(client_as(unit_clerk).get("/").content.decode())
    assert cards["待报送的研究处理情况"] == 1
    assert cards["待报送的整改情况"] == 1
    assert cards["待答复的质询案"] == 1
    assert cards["待书面答复的备案审查意见"] == 1


def test_another_body_has_nothing_waiting(make_item, unit, other_unit_clerk, frozen):
    _waiting_work(make_item, unit)
    cards = {t.title: t.count for t in home_todos(other_unit_clerk)}
    assert cards["待报送的研究处理情况"] == 0 and cards["待答复的质询案"] == 0


@pytest.mark.parametrize("who", ["staff_user", "unit_clerk"])
def test_todo_queries_do_not_grow_with_the_rows(make_item, unit, request, who, frozen):
    user = request.getfixturevalue(who)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            home_todos(user)
        return len(ctx.captured_queries)

    _waiting_work(make_item, unit, n=1)
    queries()  # warms the per-process caches (the working-day calendar, periods)
    few = queries()
    _waiting_work(make_item, unit, n=4)
    assert queries() == few
