"""Thin scheduled tasks of the year figures."""

from celery import shared_task


@shared_task(name="dashboards.tasks.refresh_year_figures", ignore_result=True)
def refresh_year_figures() -> list[int]:
    """Recompute the stored year figures that a write made stale (every minute from the
    beat: writes in between are taken together, and no request waits on the broker)."""
    from dashboards.figure_store import refresh_stale

    return refresh_stale()
