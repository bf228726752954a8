"""Reads beyond a filter: the plan tree, the item page's links, home-page lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from congress.models import AgendaItem, Office
from congress.workdays import today

from .choices import CLOSED_STATUSES, ItemStatus
from .models import Plan, PlanItem, ProgressEntry


def plans_for_list(user):
    """Plans with their counts (leaf items, done, overdue) in one query."""
    on = today()
    leaf = Q(items__children__isnull=True)
    return (
        Plan.objects.visible_to(user)
        .select_related("owner_office")
        .annotate(
            item_count=Count("items", filter=leaf, distinct=True),
            done_count=Count("items", filter=leaf & Q(items__status=ItemStatus.DONE), distinct=True),
            overdue_count=Count(
                "items",
                filter=leaf & Q(items__due_date__lt=on) & ~Q(items__status__in=list(CLOSED_STATUSES)),
                distinct=True,
            ),
        )
        .order_by("-year", "kind", "id")
    )


def items_for_list(user):
    """The item list's base queryset: scoped, with everything a row shows."""
    return (
        PlanItem.objects.visible_to(user)
        .select_related("plan", "lead_office", "vice_chair", "parent")
        .prefetch_related("cooperating_offices", "cooperating_units")
        .annotate(child_count=Count("children", distinct=True))
        .order_by("-plan__year", "plan_id", "path")
    )


def plan_items(plan: Plan):
    """A plan's items in document order, ready for the tree (one query, two prefetches)."""
    return (
        plan.items.select_related("lead_office", "vice_chair", "meeting")
        .prefetch_related("cooperating_offices", "cooperating_units")
        .order_by("path")
    )


def build_tree(items) -> list[PlanItem]:
    """Nest items in memory: each gets `tree_children`; roots are returned."""
    by_id = {}
    roots = []
    for item in items:
        item.tree_children = []
        by_id[item.pk] = item
    for item in by_id.values():
        parent = by_id.get(item.parent_id)
        (parent.tree_children if parent else roots).append(item)
    return roots


def flatten_tree(roots) -> list[PlanItem]:
    out = []

    def walk(nodes):
        for n in nodes:
            out.append(n)
            walk(n.tree_children)

    walk(roots)
    return out


def _scoped(manager, user):
    qs = manager.all()
    if hasattr(qs, "visible_to"):
        qs = qs.visible_to(user)
    return qs


def item_links(item: PlanItem, user) -> dict:
    """What an item spawned or is heard at: agenda items, and (when those apps provide
    them) supervision items and deputies' suggestions, each within the reader's scope."""
    links = {
        "agenda_items": list(
            AgendaItem.objects.visible_to(user)
            .filter(plan_items=item)
            .select_related("meeting", "meeting__term")
            .order_by("meeting__start_date", "order")
        ),
        "supervision_items": [],
        "suggestions": [],
    }
    for name in ("supervision_items", "suggestions"):
        manager = getattr(item, name, None)
        if manager is not None and hasattr(manager, "all"):
            try:
                links[name] = list(_scoped(manager, user)[:50])
            except Exception:  # the other app's scope may need fields we cannot guess
                links[name] = []
    return links


def progress_entries(item: PlanItem):
    return (
        ProgressEntry.objects.filter(item=item)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def month_start(on: dt.date) -> dt.date:
    return on.replace(day=1)


def awaiting_progress(queryset, on: dt.date | None = None):
    """Open leaf items with no progress reported since the start of this month."""
    on = on or today()
    return (
        queryset.leaves()
        .exclude(status__in=list(CLOSED_STATUSES))
        .filter(Q(last_progress_on__isnull=True) | Q(last_progress_on__lt=month_start(on)))
    )


def offices_supervised_by(user):
    """Offices whose work a leader follows: the director sees all, a vice-chair his own."""
    if user.is_superuser or user.role in {"director", "secretary_general"}:
        return Office.objects.all()
    return Office.objects.filter(vice_chair=user)
