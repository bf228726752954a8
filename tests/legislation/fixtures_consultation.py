"""Fixtures of the public-comment tests: a draft of our own, an owning office with its
staff, and a clean rate-limit counter for every test."""

import datetime as dt

import pytest
from django.core.cache import caches

from congress.roles import Role
from congress.workdays import today
from legislation import services_consultation as services
from tests import factories as f

DRAFT = """江州市城市绿化条例（草案）
目　录
第一章　总则……1
第一章　总则
第一条　为了促进城市绿化事业的发展，改善生态环境，根据有关法律、法规，结合本市实际，制定本条例。
第二条 本条例适用于本市城市规划区内的绿化规划、建设、保护和管理。
　　前款所称绿化，依照本条例第十条规定确定。
第二章　规划和建设
第一节　规划
第三条　市绿化行政主管部门应当会同有关部门编制城市绿地系统规划。
第二节　建设
第四条　新建居住区的绿地率不得低于百分之三十。
第三章　附则
第五条　本条例自　年　月　日起施行。
"""


@pytest.fixture(autouse=True)
def clean_rate_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def law_office(db):
    return f.OfficeFactory(name="法制工作委员会", short_name="法工委")


@pytest.fixture
def law_staff(db, law_office):
    return f.UserFactory(username="lawstaff", name="林立法", role=Role.STAFF, office=law_office)


@pytest.fixture
def make_draft(db, law_staff):
    def make(*, open_=True, start=None, end=None, actor=None, **kw):
        start = start or today() - dt.timedelta(days=2)
        end = end or start + dt.timedelta(days=services.min_days() - 1)
        c = services.consultation_create(actor=actor or law_staff, title=kw.pop("title", "江州市城市绿化条例（草案）"),
                                         draft_text=kw.pop("draft_text", DRAFT), start_date=start, end_date=end, **kw)
        if open_:
            c = services.consultation_open(actor=actor or law_staff, consultation=c, version=c.version)
        return c

    return make


@pytest.fixture
def draft(make_draft):
    return make_draft()


def submit(consultation, article=None, text="建议增加屋顶绿化的鼓励措施。", **kw):
    return services.comment_submit(consultation=consultation, article=article, text=text, ip="198.51.100.7", **kw)
