"""Reopening a draft after an explicit close: by the owning office, before the end date, with history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from congress.exceptions import EditConflict
from congress.history import history_for
from legislation import services_consultation as services
from legislation.choices_consultation import ConsultationStatus
from tests.legislation.conftest import BEIJING
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(draft, law_staff):
    return services.consultation_close(actor=law_staff, consultation=draft, version=draft.version, reason="误操作")


def test_the_owning_office_reopens_and_history_records_it(closed, law_staff):
    assert closed.status == ConsultationStatus.CLOSED
    c = services.consultation_reopen(actor=law_staff, consultation=closed, version=closed.version,
                                     reason="提前结束有误")
    assert c.status == ConsultationStatus.OPEN
    assert c.closed_at is None and c.closed_by is None
    entry = history_for(c).first()
    assert entry.summary == "恢复征求意见" and entry.reason == "提前结束有误"
    assert submit(c).pk  # comments are received again


def test_an_administrator_may_reopen(closed, admin_user):
    assert services.consultation_reopen(actor=admin_user, consultation=closed, version=closed.version).closed_at is None


@pytest.mark.parametrize("who", ["other_staff_user", "director", "deputy_user", "unit_clerk"])
def test_nobody_else_may_reopen(request, closed, who):
    with pytest.raises(PermissionDenied):
        services.consultation_reopen(actor=request.getfixturevalue(who), consultation=closed, version=closed.version)
    closed.refresh_from_db()
    assert closed.closed_at is not None


def test_a_draft_not_closed_early_is_refused(draft, law_staff):
    with pytest.raises(ValidationError, match="无需恢复"):
        services.consultation_reopen(actor=law_staff, consultation=draft, version=draft.version)


def test_after_the_end_date_the_close_stands(closed, law_staff):
    with time_machine.travel(dt.datetime.combine(closed.end_date + dt.timedelta(days=1), dt.time(10), BEIJING),
                             tick=False):
        with pytest.raises(ValidationError) as exc:
            services.consultation_reopen(actor=law_staff, consultation=closed, version=closed.version)
    assert set(exc.value.error_dict) == {"end_date"}
    # On the end date itself it may still be reopened.
    with time_machine.travel(dt.datetime.combine(closed.end_date, dt.time(10), BEIJING), tick=False):
        c = services.consultation_reopen(actor=law_staff, consultation=closed, version=closed.version)
        assert c.status == ConsultationStatus.OPEN


def test_a_stale_version_is_a_conflict(closed, law_staff):
    with pytest.raises(EditConflict):
        services.consultation_reopen(actor=law_staff, consultation=closed, version=closed.version - 1)


def test_the_page_offers_reopen_to_the_owning_office_only(client_as, closed, law_staff, other_staff_user):
    url = closed.get_absolute_url()
    assert "data-reopen" in client_as(law_staff).get(url).content.decode()
    assert "data-reopen" not in client_as(other_staff_user).get(url).content.decode()
    response = client_as(other_staff_user).post(f"{url}reopen/", {"version": closed.version})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.closed_at is not None
    response = client_as(law_staff).post(f"{url}reopen/", {"version": closed.version, "reason": "误操作"})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.closed_at is None
    assert client_as(law_staff).get(f"{url}reopen/").status_code == 405
