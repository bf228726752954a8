"""Query counts stay the same as plans grow: 3 projects and 30 cost the same on every
list, detail, API list and figure."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.figures import collect
from legislation import services_projects as services
from legislation.choices import Category, ProjectKind, Step

from .conftest import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(plan, legal_staff, office, vice_director, unit):
    state = {"n": 0, "first": None}

    def make(n):
        for _i in range(n):
            state["n"] += 1
            p = services.project_add(actor=legal_staff, plan=plan, title=f"法规{state['n']}",
                                     category=Category.FIRST if state["n"] % 2 else Category.PREPARATORY, kind=list(ProjectKind)[state["n"] % 4],
                                     lead_office=office, drafting_unit=unit, vice_chair=vice_director)
            walk(p, legal_staff, Step.VOTE if state["n"] % 2 else Step.DRAFTING)
            state["first"] = state["first"] or p

    make.state = state
    return make


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def assert_constant(grow, fn):
    grow(3)
    fn()
    small = count(fn)
    grow(27)
    large = count(fn)
    assert small == large, f"{small} queries for 3 projects, {large} for 30"


def test_plan_list(client_as, legal_staff, grow):
    client = client_as(legal_staff)
    assert_constant(grow, lambda: client.get(reverse("legislation:plan-list")))


def test_plan_detail(client_as, legal_staff, plan, grow):
    client = client_as(legal_staff)
    assert_constant(grow, lambda: client.get(reverse("legislation:plan-detail", args=[plan.pk])))


def test_project_list(client_as, deputy_user, grow):
    client = client_as(deputy_user)
    assert_constant(grow, lambda: client.get(reverse("legislation:project-list")))


def test_project_detail(client_as, legal_staff, grow):
    client = client_as(legal_staff)

    def fn():
        first = grow.state["first"]
        client.get(reverse("legislation:project-detail", args=[first.pk]))

    grow(1)
    first = grow.state["first"]
    fn()
    small = count(fn)
    for i in range(5):
        services.project_upload_document(actor=legal_staff, project=first, kind="draft",
                                         file=SimpleUploadedFile(f"{i}.txt", "草案".encode()))
    large = count(fn)
    assert small == large


def test_api_lists_and_detail(api_client, legal_staff, grow):
    client = api_client(legal_staff)
    assert_constant(grow, lambda: client.get("/api/v1/legislation/projects/"))
    assert_constant(grow, lambda: client.get("/api/v1/legislation/plans/"))
    assert_constant(grow, lambda: client.get(f"/api/v1/legislation/projects/{grow.state['first'].pk}/"))


def test_figures(director, grow):
    assert_constant(grow, lambda: collect(2026, director))
