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
    from congress.notifications import holding_if_restored

    with holding_if_restored():
        return reminder_engine.run()


@shared_task(name="congress.tasks.send_daily_digests", ignore_result=True)
def send_daily_digests() -> int:
    from congress.notifications import holding_if_restored
    from congress.notifications import send_daily_digests as send

    with holding_if_restored():
        return send()


@shared_task(name="congress.tasks.heartbeat", bind=True, ignore_result=True)
def heartbeat(self) -> None:
    """Sent by the beat every minute (expiring, so a backlog is not mistaken for life);
    the worker that runs it records that it is alive."""
    from congress.ops import record_heartbeat

    record_heartbeat("worker", note=self.request.hostname or "")


@shared_task(name="congress.tasks.run_export", ignore_result=True)
def run_export(job_id: int) -> None:
    """Write one export job's workbook (a job already claimed or gone is left alone)."""
    from congress.export_jobs import export_job_run

    export_job_run(job_id)


@shared_task(name="congress.tasks.sweep_export_jobs", ignore_result=True)
def sweep_export_jobs() -> dict:
    """Delete expired export files, fail jobs whose worker died, resend jobs left queued."""
    from congress.export_jobs import export_jobs_sweep

    return export_jobs_sweep()
