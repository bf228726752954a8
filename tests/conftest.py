"""Fixtures: one per role, plus API clients. Given/when/then in the tests themselves."""

import pytest
from rest_framework.test import APIClient

from congress.models import Office
from congress.roles import Role
from tests import factories as f


def pytest_configure(config):
    # Parallel workers (pytest-xdist) share one Redis: give each its own database number,
    # so one worker's cache.clear() (FLUSHDB) never empties another's rate-limit counters.
    import os

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    for alias in ("ratelimit", "shared"):
        cache = settings.CACHES.get(alias, {})
        if worker.startswith("gw") and cache.get("BACKEND", "").endswith("RedisCache"):
            base, _, db = cache["LOCATION"].rpartition("/")
            number = int(db) if db.isdigit() else 0
            cache["LOCATION"] = f"{base}/{(number - int(worker[2:])) % 16}"


@pytest.fixture(autouse=True)
def _isolated_caches(settings, tmp_path):
    # Each test gets empty caches (periods, calendar overrides) and its own media folder.
    from django.core.cache import cache, caches

    cache.clear()
    caches["shared"].clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    cache.clear()
    caches["shared"].clear()


@pytest.fixture
def term(db):
    return f.TermFactory()


@pytest.fixture
def office(db):
    return f.OfficeFactory(name="财政经济委员会", short_name="财经委", kind=Office.Kind.SPECIAL_COMMITTEE)


@pytest.fixture
def other_office(db):
    return f.OfficeFactory(name="教育科学文化卫生工作委员会", short_name="教科文卫工委")


@pytest.fixture
def assigning_office(db):
    return f.OfficeFactory(name="代表工作委员会", short_name="代表工委", is_assigning_office=True)


@pytest.fixture
def unit(db):
    return f.HandlingUnitFactory(name="江州市教育局")


@pytest.fixture
def other_unit(db):
    return f.HandlingUnitFactory(name="江州市住房和城乡建设局")


@pytest.fixture
def vice_director(db):
    return f.UserFactory(username="vice", name="李明远", role=Role.VICE_DIRECTOR)


@pytest.fixture
def director(db):
    return f.UserFactory(username="director", name="张国强", role=Role.DIRECTOR)


@pytest.fixture
def staff_user(db, office, vice_director):
    office.vice_chair = vice_director
    office.save()
    return f.UserFactory(username="staff", name="王晓东", role=Role.STAFF, office=office)


@pytest.fixture
def other_staff_user(db, other_office):
    return f.UserFactory(username="staff2", name="陈雅琴", role=Role.STAFF, office=other_office)


@pytest.fixture
def assigning_clerk(db, assigning_office):
    return f.UserFactory(username="assign", name="刘建华", role=Role.ASSIGNING_CLERK, office=assigning_office)


@pytest.fixture
def deputy_user(db, term):
    user = f.UserFactory(username="deputy1", name="赵丽萍", role=Role.DEPUTY)
    f.DeputyFactory(user=user, name=user.name, term=term)
    return user


@pytest.fixture
def other_deputy_user(db, term):
    user = f.UserFactory(username="deputy2", name="孙志强", role=Role.DEPUTY)
    f.DeputyFactory(user=user, name=user.name, term=term)
    return user


@pytest.fixture
def unit_clerk(db, unit):
    return f.UserFactory(username="unit1_clerk", name="周敏", role=Role.UNIT_CLERK, unit=unit)


@pytest.fixture
def unit_head(db, unit):
    return f.UserFactory(username="unit1_head", name="吴海涛", role=Role.UNIT_HEAD, unit=unit)


@pytest.fixture
def other_unit_clerk(db, other_unit):
    return f.UserFactory(username="unit2_clerk", name="郑小燕", role=Role.UNIT_CLERK, unit=other_unit)


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="admin", name="管理员", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def api_client():
    """api_client(user) -> an APIClient authenticated as that user (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_as(client):
    """client_as(user) -> the Django test client logged in as that user."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_login(monkeypatch):
    """force_login stands for a finished login: for accounts that need a second factor it
    also completes that step with a real TOTP device, as the login page would."""
    from django.test.client import ClientMixin

    from congress.security.policy import otp_required

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if otp_required(user) or user.is_staff:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
