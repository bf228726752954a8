"""Periodic and on-demand tasks of the shared core. Thin: they call services."""

from celery import shared_task


@shared_task(name="congress.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox() -> int:
    from congress.notifications import deliver_pending

    return deliver_pending()


@shared_task(name="congress.tasks.scan_reminders", ignore_result=True)
def scan_reminders() -> int:
    """Every registered deadline rule, for today's Beijing date. Idempotent: the dispatch
    log's unique key makes a rerun or a second beat process send nothing twice."""
    from congress import reminder_engine

    return reminder_engine.run()


@shared_task(name="congress.tasks.send_daily_digests", ignore_result=True)
def send_daily_digests() -> int:
    from congress.notifications import send_daily_digests as send

    return send()
