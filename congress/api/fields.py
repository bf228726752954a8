"""Related fields that only accept, and only list, what the requesting user may see."""

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


class ScopedModelSerializer(serializers.ModelSerializer):
    """The project's ModelSerializer: relations generated from the model are scoped like
    declared ones."""

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops allow_blank from fields listed read-only, so the schema would promise a
        # choice where the API returns "" for a blank one; keep what the model says.
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs
