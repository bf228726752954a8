from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _ensure_code_tables(sender, apps=None, **kwargs):
    """The reply codes (A/B/C/D) and subject categories exist whenever the tables do: after
    migrate, and after a database flush, which empties the rows the migration created."""
    from django.apps import apps as global_apps

    from deputies.migrations import _codes

    _codes.seed(apps or global_apps)


def _index_for_similarity(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """Keep the bigram index of similar items up to date on every save of a suggestion
    (services, the sheet import, the demo); a save that leaves the text and the sent-in
    state alone costs nothing."""
    if raw or (update_fields is not None and not set(update_fields) & {"term", "status", "title", "situation", "proposal"}):
        return
    if created and instance.status == "draft":
        return
    if getattr(instance, "_similarity_key", None) == instance.similarity_key():
        return
    from deputies.selectors import index_suggestion

    index_suggestion(instance)


def _copy_session_start(sender, instance, raw=False, **kwargs):
    """A session's opening date is copied onto its suggestions (their list order): keep the
    copies equal when it changes."""
    if raw:
        return
    from deputies.models import Suggestion

    Suggestion.objects.filter(session=instance).exclude(session_start=instance.start_date).update(
        session_start=instance.start_date
    )


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("代表议案建议")

    def ready(self):
        post_save.connect(_index_for_similarity, sender="deputies.Suggestion", dispatch_uid="deputies-similarity-index")
        post_save.connect(_copy_session_start, sender="congress.CongressSession", dispatch_uid="deputies-session-start")
        post_migrate.connect(_ensure_code_tables, sender=self, dispatch_uid="deputies-code-tables")
