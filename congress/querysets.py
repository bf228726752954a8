"""Scopes of the shared reference records."""

from django.db.models import Q

from congress.scoping import ScopedQuerySet


class MeetingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self
        # Councils of chairpersons are internal; standing-committee sessions are not.
        return self.filter(kind="standing")


class AgendaItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self
        return self.filter(meeting__kind="standing")


class MeetingRecordQuerySet(ScopedQuerySet):
    """Decisions and appointments: public acts of the standing committee. Anything
    recorded on a council of chairpersons stays internal, like the meeting itself."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self
        return self.filter(meeting__kind="standing")


class DeputyQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_internal or user.is_deputy:
            return self
        if user.is_unit_user:
            return self.filter(is_active=True)
        return self.none()


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class ReferenceQuerySet(ScopedQuerySet):
    """Offices, units, terms, sessions, delegations: visible to every signed-in user."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self

    def active(self):
        if "is_active" in {f.name for f in self.model._meta.fields}:
            return self.filter(is_active=True)
        return self


def text_q(fields: list[str], text: str) -> Q:
    """OR of icontains over fields, for free-text filters."""
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": text})
    return q
