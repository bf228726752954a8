"""Thin scheduled tasks: ids in, reload, call a service."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="deputies.tasks.expire_evaluations", ignore_result=True)
def expire_evaluations() -> int:
    """Close as 未反馈 every replied item whose rating window has passed (domain §2): the
    rating stays out of the satisfaction rate. Each item in its own transaction."""
    from congress.exceptions import ServiceError
    from congress.workdays import today

    from . import services
    from .choices import SuggestionStatus
    from .models import Suggestion

    done = 0
    ids = Suggestion.objects.filter(status=SuggestionStatus.REPLIED, evaluation_due__lt=today()).values_list("pk", flat=True)
    for pk in list(ids):
        s = Suggestion.objects.filter(pk=pk).first()
        if s is None:
            continue
        try:
            services.suggestion_expire_evaluation(actor=None, suggestion=s)
        except ServiceError as exc:  # rated meanwhile, or every reply rated with 不满意 awaiting the office
            logger.info("evaluation of suggestion %s not expired: %s", pk, exc)
            continue
        done += 1
    return done
