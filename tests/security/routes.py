"""Every route of the site, read from the URLconf, with what fills its arguments."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Parts of the site walked elsewhere or not at all: the admin (administrators only),
# language switch, sign-in/out, static files and the API's format-suffix twins.
SKIP_PREFIXES = ("admin/", "i18n/", "accounts/", "static/", "media/")

# Routes that are not plain viewsets: which model the integer argument of each names. A new route with an
# argument and no entry here fails the walk, so nobody adds a page the walk skips.
PAGE_MODELS = {
    "congress:export-detail": "congress.ExportJob",
    "congress:export-download": "congress.ExportJob",
    "congress:notification-open": "congress.Notification",
    "congress:meeting-detail": "congress.Meeting",
    "supervision:meeting-agenda": "congress.Meeting",
    "plans:plan-detail": "plans.Plan",
    "plans:plan-edit": "plans.Plan",
    "plans:plan-import": "plans.Plan",
    "plans:plan-export-docx": "plans.Plan",
    "plans:item-create": "plans.Plan",
    "plans:draft-preview": "plans.ImportDraft",
    "plans:item-detail": "plans.PlanItem",
    "plans:item-edit": "plans.PlanItem",
    "plans:item-progress": "plans.PlanItem",
    "plans:item-status": "plans.PlanItem",
    "plans:attachment": "congress.Attachment",
    "deputies:suggestion-detail": "deputies.Suggestion",
    "deputies:suggestion-edit": "deputies.Suggestion",
    "deputies:suggestion-notice": "deputies.Suggestion",
    "deputies:suggestion-action": "deputies.Suggestion",
    "deputies:public-detail": "deputies.Suggestion",
    "deputies:bill-detail": "deputies.Bill",
    "deputies:bill-edit": "deputies.Bill",
    "deputies:bill-action": "deputies.Bill",
    "deputies:attachment": "congress.Attachment",
    "deputies:public-letter": "congress.Attachment",
    "deputies:deputy-record": "congress.Deputy",
    "deputies:deputy-poster": "congress.Deputy",
    "deputies:deputy-code-rotate": "congress.Deputy",
    "deputies:activity-detail": "deputies.Activity",
    "deputies:activity-edit": "deputies.Activity",
    "deputies:opinion-detail": "deputies.CitizenOpinion",
    "deputies:opinion-action": "deputies.CitizenOpinion",
    "deputies:followup-complete": "deputies.FollowUp",
    "supervision:item-detail": "supervision.SupervisionItem",
    "supervision:item-edit": "supervision.SupervisionItem",
    "supervision:item-action": "supervision.SupervisionItem",
    "supervision:attachment": "supervision.SupervisionItem",
    "supervision:reminder-letter": "supervision.SupervisionItem",
    "dashboards:manual-edit": "dashboards.ManualFigure",
    "dashboards:manual-delete": "dashboards.ManualFigure",
    "deputies-api:duty-record": "congress.Deputy",
    "supervision-api:meeting-due": "congress.Meeting",
    # Legislation: plans and regulation projects
    "legislation:plan-detail": "legislation.LegislativePlan",
    "legislation:plan-edit": "legislation.LegislativePlan",
    "legislation:plan-import": "legislation.LegislativePlan",
    "legislation:project-create": "legislation.LegislativePlan",
    "legislation:project-detail": "legislation.RegulationProject",
    "legislation:project-edit": "legislation.RegulationProject",
    "legislation:project-advance": "legislation.RegulationProject",
    "legislation:project-approve": "legislation.RegulationProject",
    "legislation:project-file": "legislation.RegulationProject",
    "legislation:project-shelve": "legislation.RegulationProject",
    "legislation:project-carry": "legislation.RegulationProject",
    "legislation:project-upload": "legislation.RegulationProject",
    "legislation:project-link": "legislation.RegulationProject",
    "legislation:document": "congress.Attachment",
    # Public comment on drafts: staff pages, then the public (no sign-in) pages.
    "legislation:consultation-detail": "legislation.Consultation",
    "legislation:consultation-edit": "legislation.Consultation",
    "legislation:consultation-open": "legislation.Consultation",
    "legislation:consultation-close": "legislation.Consultation",
    "legislation:consultation-reopen": "legislation.Consultation",
    "legislation:consultation-collation": "legislation.Consultation",
    "legislation:comment-decide": "legislation.PublicComment",
    "public-drafts:detail": "legislation.Consultation",
    "public-drafts:received": "legislation.Consultation",
}

# Pages anyone may open without signing in (the public's pages); every other page sends an
# anonymous visitor to the login page. 代表码: the deputy's code page, the page after
# submitting, and tracking an opinion by its code.
ANONYMOUS_ROUTES = {
    "deputies:public-list",
    "deputies:public-detail",
    "deputies:public-letter",
    "deputy-code:page",
    "deputy-code:done",
    "deputy-code:track",
    # Public comment on drafts: the open drafts, a draft article by article, the page after commenting.
    "public-drafts:list",
    "public-drafts:detail",
    "public-drafts:received",
}
# Values for routes whose argument is not a record's id (a secret token: the walk tries a wrong one).
TOKEN_VALUES = {
    "deputy-code:page": ["not-a-token"],
    "deputy-code:done": ["not-a-token"],
}


@dataclass
class Route:
    name: str
    route: str
    callback: object
    args: tuple  # names of the URL arguments

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def viewset(self):
        return getattr(self.callback, "cls", None)

    def methods(self) -> set[str]:
        actions = getattr(self.callback, "actions", None)
        if actions:
            return {m.upper() for m in actions}
        cls = self.viewset
        if cls is not None:
            return {m.upper() for m in cls.http_method_names if hasattr(cls, m) and m not in ("options", "head")}
        return {"GET", "POST"}

    def model_label(self) -> str | None:
        if self.name in PAGE_MODELS:
            return PAGE_MODELS[self.name]
        cls = self.viewset
        if cls is not None:
            qs = getattr(cls, "base_queryset", None)
            if qs is None:
                qs = getattr(cls, "queryset", None)
            if qs is not None:
                return qs.model._meta.label
            serializer = getattr(cls, "serializer_class", None)
            meta = getattr(serializer, "Meta", None)
            return meta.model._meta.label if meta is not None and hasattr(meta, "model") else None
        return None


def _walk(patterns, prefix="", ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield Route(ns + (p.name or ""), prefix + str(p.pattern), p.callback, tuple(p.pattern.regex.groupindex))


def all_routes() -> list[Route]:
    routes, seen = [], set()
    for r in _walk(get_resolver().url_patterns):
        if r.route.startswith(SKIP_PREFIXES) or "format" in r.args or r.name.endswith("api-root") or not r.name:
            continue
        key = (r.name, r.args)
        if key in seen:
            continue
        seen.add(key)
        routes.append(r)
    return routes
