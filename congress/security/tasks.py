import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import ApiToken, AuditEvent


def retention_days() -> int:
    # Never less than 180 days (six months), whatever the setting says.
    return max(int(settings.AUDIT_RETENTION_DAYS), 180)


@shared_task
def purge_audit_log() -> int:
    """Drop audit rows older than the retention period and tokens long dead."""
    now = timezone.now()
    deleted, _ = AuditEvent.objects.filter(at__lt=now - dt.timedelta(days=retention_days())).delete()
    ApiToken.objects.filter(expires_at__lt=now - dt.timedelta(days=30)).delete()
    return deleted
