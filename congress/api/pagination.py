from functools import partial

from rest_framework.pagination import PageNumberPagination

from congress.pagination import COUNT_CAP, EXACT_PARAM, CappedPaginator, wants_exact


class StandardPagination(PageNumberPagination):
    """Pages of 50 (up to 500). `count` stops at 10,000 unless `?count=exact` is given;
    `count_is_exact` says which it is."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.django_paginator_class = partial(CappedPaginator, exact=wants_exact(params))
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_exact"] = self.page.paginator.count_is_exact
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            f"Number of results, at most {COUNT_CAP} unless {EXACT_PARAM}=exact is given"
        )
        schema["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": f"False when there are more than {COUNT_CAP} results and only {COUNT_CAP} were counted",
        }
        return schema

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        params.append({
            "name": EXACT_PARAM, "required": False, "in": "query",
            "description": f"'exact' to count every result (otherwise counting stops at {COUNT_CAP})",
            "schema": {"type": "string", "enum": ["exact"]},
        })
        return params
