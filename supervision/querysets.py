"""Who sees which supervision records (one scope per model, used by every read)."""

from django.db.models import Exists, OuterRef, Q

from congress.scoping import ScopedQuerySet
from congress.workdays import today

from .choices import OPEN_STATUSES


class SupervisionItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Committee staff and leaders read everything; a handling body sees the items
        that concern it (it is the target body, one of the departments, or named in a
        child record); deputies see published items."""
        if not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self
        if user.is_unit_user:
            if not user.unit_id:
                return self.none()
            return self.filter(concerns_unit_q(user.unit_id))
        if user.is_deputy:
            return self.filter(is_published=True)
        return self.none()

    def with_overdue(self):
        from .models import SupervisionStep

        late = SupervisionStep.objects.filter(
            item=OuterRef("pk"), done_on__isnull=True, due_date__lt=today(), skipped=False
        )
        return self.annotate(is_overdue=Exists(late))

    def overdue(self):
        return self.with_overdue().filter(is_overdue=True, status__in=OPEN_STATUSES)

    def for_list(self):
        return self.select_related("lead_office", "target_unit", "meeting", "agenda_item").with_overdue()


def concerns_unit_q(unit_id: int) -> Q:
    from .models import AppraisalTarget, AuditProblem, FiledDocument, Interpellation, LivelihoodProject

    child = [
        Exists(AuditProblem.objects.filter(item=OuterRef("pk"), responsible_unit_id=unit_id)),
        Exists(LivelihoodProject.objects.filter(item=OuterRef("pk"), department_id=unit_id)),
        Exists(AppraisalTarget.objects.filter(item=OuterRef("pk"), unit_id=unit_id)),
        Exists(Interpellation.objects.filter(item=OuterRef("pk"), addressed_unit_id=unit_id)),
        Exists(FiledDocument.objects.filter(item=OuterRef("pk"), maker_id=unit_id)),
    ]
    from .models import SupervisionItem

    dept = Exists(SupervisionItem.departments.through.objects.filter(supervisionitem_id=OuterRef("pk"), handlingunit_id=unit_id))
    q = Q(target_unit_id=unit_id) | Q(dept)
    for e in child:
        q |= Q(e)
    return q


class ChildQuerySet(ScopedQuerySet):
    """Steps, opinions, votes and typed records follow their item's scope. A handling
    body sees all of an item's records once the item concerns it."""

    def visible_to(self, user):
        from .models import SupervisionItem

        if user.is_authenticated and user.is_internal:
            return self  # internal users read every item, hence every child record
        return self.filter(Exists(SupervisionItem.objects.visible_to(user).filter(pk=OuterRef("item_id"))))
