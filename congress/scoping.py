"""One way to ask what a user may see.

Every listable model's QuerySet has `visible_to(user)`; HTML lists, API lists and
details, exports, counts and dashboards all start from it, so an object outside the
user's scope is a 404, never a 403 that confirms it exists."""

from django.db import models
from django.http import Http404


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):  # pragma: no cover - each model defines its own scope
        raise NotImplementedError(f"{self.model.__name__} must define visible_to(user)")


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one object within the user's scope or raise 404."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404


class ScopedObjectMixin:
    """For class-based views: every object and list comes through visible_to(request.user)."""

    model = None

    def get_queryset(self):
        return self.model._default_manager.all().visible_to(self.request.user)


class ScopedViewSetMixin:
    """For DRF viewsets: `base_queryset` narrowed by visible_to(request.user)."""

    base_queryset = None

    def get_queryset(self):
        qs = self.base_queryset.all() if self.base_queryset is not None else self.queryset.all()
        return qs.visible_to(self.request.user)


def scoped(queryset, user):
    """A queryset narrowed to what `user` may see.

    Models with a scope answer through their own `visible_to` (which answers nothing to
    someone signed out); without a user to ask about, nothing. Models without one
    (leaders listed by name, categories) are reference data everybody reads."""
    if not hasattr(queryset, "visible_to"):
        return queryset
    if user is None:
        return queryset.none()
    return queryset.visible_to(user)


def scoped_choices(queryset):
    """For `queryset=` of a django-filter choice filter: a callable of the request that
    returns `queryset` (itself possibly such a callable) narrowed to the request's user.
    A choice list is a read; an id outside the scope is then "not a valid choice",
    exactly like an id that does not exist."""

    def choices(request):
        base = queryset(request) if callable(queryset) else queryset
        if base is None:
            return base
        return scoped(base.all(), getattr(request, "user", None))

    choices.scoped = True
    return choices


def public_choices(queryset):
    """For the choice filters of the public pages: reference lists (sessions, categories)
    that the public reads as a matter of course, left unscoped on purpose."""

    def choices(request):
        return queryset.all()

    choices.scoped = True
    return choices


def scope_choice_fields(form, user) -> None:
    """Narrow every model choice of a form to what `user` may see."""
    for field in form.fields.values():
        qs = getattr(field, "queryset", None)
        if qs is not None and hasattr(qs, "visible_to"):
            field.queryset = scoped(qs, user)
