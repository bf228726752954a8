from pathlib import Path

from django.core.management.base import BaseCommand

from congress.backup import create_backup


class Command(BaseCommand):
    help = "Write the database and uploaded files into one tar.gz with a manifest and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="archive path (default: BACKUP_DIR/congress-<time>.tar.gz)")
        parser.add_argument("--no-media", action="store_true", help="database only")

    def handle(self, *args, **options):
        output = Path(options["output"]) if options["output"] else None
        summary = create_backup(output, media=not options["no_media"])
        self.stdout.write(
            self.style.SUCCESS(f"{summary.path}: {summary.total_rows} rows, {summary.files} files")
        )
