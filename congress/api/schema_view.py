"""The OpenAPI schema, generated once per process, language and API version.

Generating it walks every endpoint and serializer (seconds for ~400 KB); the result only
changes with the code, and a deploy starts new processes, so an in-process cache keyed by
language, version and URLconf is enough."""

import threading

from django.conf import settings
from django.utils import translation
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_cache: dict[tuple, dict] = {}
_lock = threading.Lock()


def clear_schema_cache() -> None:
    _cache.clear()


class CachedSpectacularAPIView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, spectacular_settings.VERSION, settings.ROOT_URLCONF,
               str(self.urlconf))
        schema = _cache.get(key)
        if schema is None:
            with _lock:
                schema = _cache.get(key)
                if schema is None:
                    generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
                    schema = generator.get_schema(request=request, public=self.serve_public)
                    _cache[key] = schema
        return Response(
            data=schema,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
