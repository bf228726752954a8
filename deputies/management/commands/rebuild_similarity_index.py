"""Rebuild the bigram index behind "similar items" (after loading suggestions in bulk or
restoring a dump that did not carry it); saves through the application keep it current."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.selectors import rebuild_similarity_index


class Command(BaseCommand):
    help = gettext_lazy("重建相似建议的字符索引")

    def handle(self, *args, **options):
        with transaction.atomic():
            done = rebuild_similarity_index(out=lambda n: self.stdout.write(f"{n}…"))
        self.stdout.write(self.style.SUCCESS(_("已索引 %(n)s 件建议。") % {"n": done}))
