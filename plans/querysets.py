"""Who may see which plans (domain §4, issue 4): everyone working inside the committee
reads every plan; deputies and handling units read published plans only."""

from django.db.models import Exists, OuterRef, Q

from congress.scoping import ScopedQuerySet
from congress.workdays import today

from .choices import CLOSED_STATUSES


def _reads_all(user) -> bool:
    return user.is_authenticated and user.is_internal


class PlanQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _reads_all(user):
            return self
        return self.filter(is_published=True)


class PlanItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _reads_all(user):
            return self
        return self.filter(plan__is_published=True)

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, on=None):
        return self.open().filter(due_date__lt=on or today())

    def leaves(self):
        from .models import PlanItem

        return self.exclude(Exists(PlanItem.objects.filter(parent=OuterRef("pk"))))

    def for_list(self):
        return self.select_related("plan", "parent", "lead_office", "vice_chair", "meeting").prefetch_related(
            "cooperating_offices", "cooperating_units"
        )

    def text(self, text: str):
        return self.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(target__icontains=text))


class ProgressEntryQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _reads_all(user):
            return self
        return self.filter(item__plan__is_published=True)


class ImportDraftQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # Drafts are work in progress of the committee's own staff.
        if not _reads_all(user):
            return self.none()
        return self
