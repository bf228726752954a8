"""factory_boy factories for the shared reference records (zh_CN Faker)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from congress.models import (
    AgendaItem,
    CongressSession,
    Delegation,
    Deputy,
    HandlingUnit,
    Meeting,
    Office,
    Term,
    User,
)
from congress.roles import Role

factory.Faker._DEFAULT_LOCALE = "zh_CN"
PASSWORD = "Pass@12345"


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("number",)

    number = 17
    name = "第十七届"
    start_date = dt.date(2022, 1, 10)
    is_current = True


class CongressSessionFactory(DjangoModelFactory):
    class Meta:
        model = CongressSession

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"江州市第十七届人民代表大会第{o.number}次会议")
    start_date = dt.date(2026, 1, 18)
    end_date = dt.date(2026, 1, 22)


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"第{n}工作委员会")
    short_name = factory.Sequence(lambda n: f"工委{n}")
    kind = Office.Kind.WORKING_BODY


class HandlingUnitFactory(DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"江州市第{n}局")
    group = HandlingUnit.Group.GOVERNMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"第{n}代表团")


class DeputyFactory(DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Faker("name")
    term = factory.SubFactory(TermFactory)
    delegation = factory.SubFactory(DelegationFactory)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.STANDING
    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = dt.date(2026, 12, 17)
    status = Meeting.Status.PLANNED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"关于第{n}项工作情况的报告")
    kind = AgendaItem.Kind.SPECIAL_REPORT
