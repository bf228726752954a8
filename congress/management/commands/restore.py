from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congress.backup import BackupError, describe, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace every row and uploaded file with those of a backup archive, after checking its "
        "checksums. Messages not sent at backup time are held for an administrator (系统状态)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--check", action="store_true", help="only verify the archive and show its manifest")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            manifest = read_manifest(archive)
            self.stdout.write(describe(manifest))
            if options["check"]:
                import tempfile

                from congress.backup import extract_verified

                with tempfile.TemporaryDirectory() as tmp:
                    extract_verified(archive, Path(tmp))
                self.stdout.write(self.style.SUCCESS("archive intact: every checksum matches"))
                return
            if not options["yes"]:
                answer = input("This replaces ALL data and uploaded files. Type 'yes' to continue: ")
                if answer.strip().lower() != "yes":
                    raise CommandError("restore cancelled")
            summary = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {summary.total_rows} rows and {summary.files} files; messages not yet sent are held "
                "until an administrator releases or discards them on the system status page"
            )
        )
