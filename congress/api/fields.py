"""Related fields that only accept, and only list, what the requesting user may see; the
label of a choice."""

import functools

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language
from rest_framework import serializers

from congress.scoping import scoped


class ScopedRelatedFieldMixin:
    """Narrows a related field's queryset by `visible_to(request.user)`: the browsable
    API's dropdowns list only visible objects, and an id outside the user's scope is
    refused with the very error of an id that does not exist (no existence oracle)."""

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        return scoped(qs, getattr(request, "user", None))


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    pass


_BUILT: dict = {}


class ScopedModelSerializer(serializers.ModelSerializer):
    """The project's ModelSerializer: relations generated from the model are scoped like
    declared ones."""

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def build_field(self, field_name, info, model_class, nested_depth):
        # What a model field becomes depends on the class alone: work it out once per class
        # (DRF reads the model's metadata again on every request, for every field of a list),
        # and hand out a copy, which get_fields goes on to change.
        key = (type(self), field_name, model_class, nested_depth)
        built = _BUILT.get(key)
        if built is None:
            built = _BUILT[key] = super().build_field(field_name, info, model_class, nested_depth)
        field_class, kwargs = built
        return field_class, {k: list(v) if isinstance(v, list) else v for k, v in kwargs.items()}

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops allow_blank from fields listed read-only, so the schema would promise a
        # choice where the API returns "" for a blank one; keep what the model says.
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


@functools.cache
def _labels(model, name: str, language: str | None) -> dict | None:
    # Built once per model field and language (lists show a label on every row: Django's
    # get_FOO_display rebuilds and translates the whole choice list on each call). None
    # where `name` is not a field with choices (a property with its own get_FOO_display).
    try:
        field = model._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return None
    if not getattr(field, "flatchoices", None):
        return None
    return {value: str(label) for value, label in field.flatchoices}


class LabelField(serializers.CharField):
    """The label of a choice in the request's language, as `get_FOO_display` gives it:
    `status_display = LabelField("status")`; the value itself where it has no label."""

    def __init__(self, field_name: str, **kwargs):
        self.choice_field = field_name
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        # __class__, not type(): request.user is a lazy wrapper that passes __class__ through.
        labels = _labels(instance.__class__, self.choice_field, get_language())
        if labels is None:
            return getattr(instance, f"get_{self.choice_field}_display")()
        value = getattr(instance, self.choice_field)
        return labels.get(value, value)

    def to_representation(self, value):
        return value
