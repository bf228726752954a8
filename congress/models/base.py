"""Abstract bases shared by every business record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and modification times, and a version counter for edit conflicts.

    `version` increases on every change made through a service; a form or API client
    sends back the version it read, and a service refuses the write when it is stale,
    so two people editing one record never silently overwrite each other.
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True
