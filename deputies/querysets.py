"""Who may see what (domain §1): `visible_to(user)` is the single source of truth.

- Deputies see the items they lead, the items they are invited to co-sign or co-sign,
  and the item their own suggestion was merged into; never another deputy's item.
- Handling units see only the items assigned to them (an approved return ends that).
- Committee staff, the assigning office and leaders see everything that was sent in
  (a deputy's unsent draft stays private).
- The public sees only `published()` items, through the public page."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from congress.scoping import ScopedQuerySet

from .choices import AssignmentStatus, CoSignStatus, ReplyStatus, SuggestionStatus

LIVE_COSIGN = [CoSignStatus.INVITED, CoSignStatus.CONFIRMED]


def _leads(user) -> Q:
    from congress.models import Deputy

    return Q(Exists(Deputy.objects.filter(pk=OuterRef("lead_deputy_id"), user=user)))


def _sent_in() -> Q:
    # A returned-for-revision draft was sent in once (submitted_at set): the office keeps seeing it.
    return ~Q(status=SuggestionStatus.DRAFT) | Q(submitted_at__isnull=False)


def _many_items(user, me, cosigned) -> bool:
    """Whether the deputy leads or co-signs more than DEPUTY_SCOPE_WALK_FROM items. It only
    chooses how the scope is asked for (both forms give the same rows), so it is kept in the
    cache for an hour and on the request's user."""
    from .models import Suggestion

    known = getattr(user, "_many_items", None)
    if known is None:
        key = f"deputy-many-items:{user.pk}"
        known = cache.get(key)
        if known is None:
            limit = settings.DEPUTY_SCOPE_WALK_FROM
            led = Suggestion.objects.filter(lead_deputy_id=me).order_by().values("pk")[:limit + 1]
            known = led.count() + cosigned[:limit + 1].count() > limit
            cache.set(key, known, 3600)
        user._many_items = known
    return known


class SuggestionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .models import Assignment, CoSignature, Suggestion

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self.filter(_sent_in())
        if user.is_deputy:
            from congress.models import Deputy

            me = Subquery(Deputy.objects.filter(user=user).values("pk")[:1])
            cosigned = (CoSignature.objects.filter(deputy_id=me, status__in=LIVE_COSIGN, suggestion_id__isnull=False)
                        .order_by().values("suggestion_id"))
            merged = Suggestion.objects.filter(lead_deputy_id=me, merged_into_id__isnull=False).order_by()
            if _many_items(user, me, cosigned):
                # Thousands of items: the lead test is a column of the list's indexes, so a
                # page walks the filter's index in order and stops at its twentieth row.
                return self.filter(Q(lead_deputy_id=me) | Q(pk__in=cosigned) | Q(pk__in=merged.values("merged_into_id")))
            # A few dozen or hundred: the keys of the deputy's items, read from three narrow
            # indexes (led, co-signed, merged into) and joined by key.
            keys = Suggestion.objects.filter(lead_deputy_id=me).order_by().values("pk").union(
                cosigned, merged.values("merged_into_id"), all=True,
            )
            return self.filter(pk__in=keys)
        if user.is_unit_user and user.unit_id:
            assigned = Assignment.objects.filter(unit_id=user.unit_id).exclude(status=AssignmentStatus.RETURNED)
            return self.filter(Exists(assigned.filter(suggestion_id=OuterRef("pk"))))
        return self.none()

    def bulk_create(self, objs, *args, **kwargs):
        # save() is not called here: fill the copied fields (session opening date, year) too.
        from congress.models import CongressSession

        objs = list(objs)
        keys = {o.session_id for o in objs if o.session_id}
        starts = dict(CongressSession.objects.filter(pk__in=keys).values_list("pk", "start_date")) if keys else {}
        for o in objs:
            o.derive(starts)
        return super().bulk_create(objs, *args, **kwargs)

    def published(self):
        """Items whose reply may be shown to the public: replied, public, not confidential."""
        return self.filter(
            status__in=[SuggestionStatus.REPLIED, SuggestionStatus.REHANDLING, SuggestionStatus.CLOSED],
            is_public=True,
            is_confidential=False,
        )

    def for_list(self):
        from .models import Assignment

        # The page's assignments with their units in one statement, in their order within an
        # item (the default order would join every item again to order them by the item's).
        return self.select_related("session", "lead_deputy", "lead_deputy__delegation", "category").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role", "id"))
        )


class BillQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .models import CoSignature

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self.filter(_sent_in())
        if user.is_deputy:
            cosigned = CoSignature.objects.filter(bill_id=OuterRef("pk"), deputy__user=user, status__in=LIVE_COSIGN)
            return self.filter(_leads(user) | Q(Exists(cosigned)))
        return self.none()

    def for_list(self):
        return self.select_related("session", "lead_deputy", "committee")


class CoSignatureQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .models import Bill, Suggestion

        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(Exists(Suggestion.objects.visible_to(user).filter(pk=OuterRef("suggestion_id"))))
            | Q(Exists(Bill.objects.visible_to(user).filter(pk=OuterRef("bill_id"))))
        )

    def inbox_of(self, user):
        """Invitations waiting for this deputy's answer."""
        return self.filter(deputy__user=user, status=CoSignStatus.INVITED)


class _BySuggestion(ScopedQuerySet):
    def visible_to(self, user):
        from .models import Suggestion

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_internal:
            # Assignments, replies, evaluations and follow-ups only ever exist on an item that
            # was sent in, and internal users see every item sent in: no per-row check.
            return self
        return self.filter(Exists(Suggestion.objects.visible_to(user).filter(pk=OuterRef("suggestion_id"))))


class AssignmentQuerySet(_BySuggestion):
    def active(self):
        return self.exclude(status=AssignmentStatus.RETURNED)


class ReplyQuerySet(_BySuggestion):
    def visible_to(self, user):
        qs = super().visible_to(user)
        if user is None or not user.is_authenticated or user.is_internal:
            return qs
        if user.is_unit_user:
            # A unit sees what was sent, and its own drafts; never another unit's drafts.
            return qs.filter(Q(status=ReplyStatus.SENT) | Q(assignment__unit_id=user.unit_id))
        return qs.filter(status=ReplyStatus.SENT)


class EvaluationQuerySet(_BySuggestion):
    pass


class FollowUpQuerySet(_BySuggestion):
    pass


class ActivityQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .models import Activity

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self
        if user.is_deputy:
            mine = Activity.deputies.through.objects.filter(deputy__user=user).values("activity_id")
            return self.filter(pk__in=mine)
        return self.none()


class CitizenOpinionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_internal:
            return self
        if user.is_deputy:
            return self.filter(deputy__user=user)
        if user.is_unit_user and user.unit_id:
            return self.filter(routed_unit_id=user.unit_id)
        return self.none()
