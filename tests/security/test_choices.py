"""Choice lists and related ids are reads: scoped by visible_to(user), and an id the
user may not see answers exactly like an id that does not exist."""

import importlib

import pytest
from django.apps import apps
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient

from congress.api.fields import ScopedRelatedFieldMixin
from congress.filtersets import FilterSet

pytestmark = pytest.mark.django_db


def _secret(world, marker):
    return next(s.obj for s in world.secrets if s.marker == marker)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_every_writable_related_field_of_the_api_is_scoped():
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    unscoped, seen = [], set()
    for path, path_regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        view.schema.path, view.schema.path_regex, view.schema.method = path, path_regex, method
        for serializer in (view.schema._get_serializer(), view.schema.get_request_serializer()):
            if serializer is None or not isinstance(serializer, serializers.BaseSerializer):
                continue
            cls = type(serializer)
            if cls in seen:
                continue
            seen.add(cls)
            for name, field in serializer.fields.items():
                child = field.child_relation if isinstance(field, ManyRelatedField) else field
                if isinstance(child, RelatedField) and not field.read_only and not isinstance(child, ScopedRelatedFieldMixin):
                    unscoped.append(f"{cls.__module__}.{cls.__name__}.{name} ({path})")
    assert len(seen) > 40
    assert not unscoped, unscoped


def test_every_filterset_scopes_its_choices_and_years():
    import django_filters

    for config in apps.get_app_configs():
        for module in ("filtersets", "api.filtersets"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                continue

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(django_filters.FilterSet) if c.__module__.split(".")[0] in
            {"congress", "plans", "deputies", "supervision", "dashboards"}]
    assert len(ours) > 15
    assert [c.__name__ for c in ours if not issubclass(c, FilterSet)] == []


def test_filtersets_generated_from_filterset_fields_scope_their_choices_too():
    from rest_framework.settings import api_settings

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    checked = 0
    for _path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        if not getattr(view, "filterset_fields", None):
            continue
        for backend in api_settings.DEFAULT_FILTER_BACKENDS:
            if hasattr(backend, "get_filterset_class"):
                queryset = view.base_queryset if getattr(view, "base_queryset", None) is not None else view.queryset
                assert issubclass(backend().get_filterset_class(view, queryset), FilterSet), view
                checked += 1
    assert checked > 5


def test_filtering_by_an_unseen_id_answers_like_a_missing_id(world):
    unit1_clerk = world.users["unit1_clerk"]
    hidden = _secret(world, "SCOPEMARK-SUPERVISION")
    client = _api(unit1_clerk)
    unseen = client.get("/api/v1/supervision/steps/", {"item": hidden.pk})
    missing = client.get("/api/v1/supervision/steps/", {"item": 99999999})
    assert unseen.status_code == missing.status_code == 400
    assert unseen.json() == missing.json()
    # Staff, who may see it, filter by it.
    assert _api(world.users["staff"]).get("/api/v1/supervision/steps/", {"item": hidden.pk}).status_code == 200


def test_a_related_id_outside_the_scope_is_refused_like_a_missing_one(world):
    from supervision.api.serializers import VoteSerializer

    request = RequestFactory().post("/")
    request.user = world.users["unit1_clerk"]
    hidden = _secret(world, "SCOPEMARK-SUPERVISION")

    def error(pk):
        s = VoteSerializer(data={"item": pk}, context={"request": request})
        assert not s.is_valid()
        return [(str(e), e.code) for e in s.errors["item"]]

    assert error(hidden.pk) == [(m.replace("99999999", str(hidden.pk)), c) for m, c in error(99999999)]
    assert error(hidden.pk)[0][1] == "does_not_exist"
    request.user = world.users["staff"]
    s = VoteSerializer(data={"item": hidden.pk}, context={"request": request})
    s.is_valid()
    assert "item" not in s.errors


def test_filter_forms_on_pages_list_only_visible_choices(world, client):
    _secret(world, "SCOPEMARK-PLANITEM")
    hidden_meeting = _secret(world, "SCOPEMARK-MEETING")
    client.force_login(world.users["deputy1"])
    page = client.get("/supervision/").content.decode()
    # The hidden records' options carry their markers (a bare key could be another list's option).
    assert "SCOPEMARK-PLANITEM" not in page and "SCOPEMARK-MEETING" not in page
    client.force_login(world.users["staff"])
    page = client.get("/supervision/").content.decode()
    assert "SCOPEMARK-PLANITEM" in page  # the same list shows it to those who may see it
    assert hidden_meeting.kind == "chairpersons"


def test_the_browsable_api_is_for_administrators_only(world):
    for who in ["staff", "deputy1", "unit1_clerk", "director"]:
        resp = _api(world.users[who]).get("/api/v1/plans/items/", HTTP_ACCEPT="text/html")
        assert resp.status_code == 200
        assert resp["Content-Type"].startswith("application/json"), who
    resp = _api(world.users["admin"]).get("/api/v1/plans/items/", HTTP_ACCEPT="text/html")
    assert resp["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_schema_and_docs_need_a_signed_in_user(db, client, path):
    assert client.get(path).status_code in (401, 403, 302)


def test_the_admin_site_and_its_lists_are_for_administrators_only(world, client):
    # The admin has no autocompletes; its lists and choices are unscoped by design, so
    # nobody but a system administrator (is_staff) may open it.
    for who in ["staff", "assign", "director", "deputy1", "unit1_clerk", "unit1_head"]:
        client.force_login(world.users[who])
        resp = client.get("/admin/deputies/suggestion/")
        assert resp.status_code == 302 and "/admin/login/" in resp["Location"], who
    client.force_login(world.users["admin"])
    assert client.get("/admin/deputies/suggestion/").status_code == 200
