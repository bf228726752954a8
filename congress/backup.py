"""Backup and restore of the whole installation: database rows and uploaded files in one
tar.gz, with a manifest and a SHA-256 for every member.

Portable across database vendors: rows are written with Django's serializers (JSON
Lines, one file per model, in dependency order, streamed in chunks), so an archive made
on PostgreSQL restores on SQLite and back, provided both run the same migrations. Every
table is included by primary key, content types and permissions too, so foreign keys and
generic relations (history, dispatch log) come back exactly; the restore empties the
database first (without the post-migrate hooks that would re-create reference rows) and
loads everything in one transaction, in batches.

A restore verifies every checksum before touching anything, then holds every message
that was not sent at backup time (and what the next reminder scans produce) for an
administrator's decision: see notifications.hold_after_restore."""

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 2000
# Not business data: sessions (a restored system asks everyone to sign in again) and the
# operational markers (heartbeats of the old processes, the hold this restore sets).
EXCLUDED = {"sessions.session", "congress.opsstate"}


class BackupError(Exception):
    """An archive that must not be restored (damaged, other schema, other format)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def app_version() -> str:
    try:
        return metadata.version("congress-tracker")
    except metadata.PackageNotFoundError:
        return "unknown"


def models_in_order() -> list:
    """Every concrete, managed model, parents before children (natural order)."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        m for m in ordered
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in EXCLUDED
    ]


def migration_state() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


@dataclass
class Summary:
    path: Path
    rows: dict = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _media_files(root: Path):
    if not root.exists():
        return
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            full = Path(dirpath) / name
            if full.is_file():
                yield full, full.relative_to(root).as_posix()


def create_backup(output: Path | None = None, *, media: bool = True) -> Summary:
    now = timezone.now()
    if output is None:
        settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True)
        output = settings.BACKUP_DIR / f"congress-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
    output = Path(output)
    summary = Summary(path=output)
    entries = []
    with tempfile.TemporaryDirectory(prefix="congress-backup-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "db").mkdir()
        # One consistent snapshot of every table (PostgreSQL: a repeatable-read snapshot,
        # unless a caller's transaction is already open; SQLite: the transaction's lock).
        outer = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            state = migration_state()
            for model in models_in_order():
                label = model._meta.label
                name = f"db/{label}.jsonl"
                target = tmp_path / name
                count = 0

                def rows(model=model):
                    nonlocal count
                    for obj in model._base_manager.order_by("pk").iterator(chunk_size=CHUNK):
                        count += 1
                        yield obj

                with open(target, "w", encoding="utf-8") as fh:
                    serializers.serialize("jsonl", rows(), stream=fh)
                summary.rows[label] = count
                entries.append({"path": name, "sha256": _sha256(target), "size": target.stat().st_size})
        media_root = Path(settings.MEDIA_ROOT)
        media_files = list(_media_files(media_root)) if media else []
        for full, rel in media_files:
            entries.append({"path": f"media/{rel}", "sha256": _sha256(full), "size": full.stat().st_size})
        summary.files = len(media_files)
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "created_at": now.isoformat(),
            "database_vendor": connection.vendor,
            "migrations": state,
            "row_counts": summary.rows,
            "media_included": media,
            "files": entries,
        }
        (tmp_path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmp_path / MANIFEST, arcname=MANIFEST)
            for entry in entries:
                path = entry["path"]
                source = tmp_path / path if path.startswith("db/") else media_root / path.removeprefix("media/")
                tar.add(source, arcname=path)
        partial.replace(output)  # a half-written archive never carries the final name
    return summary


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.next()
        if member is None or member.name != MANIFEST:
            raise BackupError("manifest.json missing: not a backup of this application")
        return json.load(tar.extractfile(member))


def extract_verified(archive: Path, into: Path) -> dict:
    """Unpack into a scratch folder, checking every member against the manifest."""
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    expected = {e["path"]: e["sha256"] for e in manifest["files"]}
    seen = set()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                raise BackupError(f"unexpected member {member.name}")
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as src, open(target, "wb") as dst:
                for block in iter(lambda src=src: src.read(1 << 20), b""):
                    digest.update(block)
                    dst.write(block)
            if digest.hexdigest() != expected[member.name]:
                raise BackupError(f"checksum mismatch: {member.name}")
            seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"{len(missing)} files missing from the archive, e.g. {sorted(missing)[0]}")
    return manifest


def _load(path: Path):
    """Insert one model's rows in batches (the tables are empty: no update-or-insert per
    row as loaddata does), then its many-to-many links. Foreign keys are checked at
    commit (Django creates them deferrable on PostgreSQL and SQLite). No signals run."""
    model = None
    batch, links = [], {}

    def flush_batch():
        if not batch:
            return
        # Keep the stored times: bulk_create would stamp auto_now(_add) fields with now.
        stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
        try:
            for f in stamped:
                f.auto_now = f.auto_now_add = False
            model._base_manager.bulk_create(batch, batch_size=CHUNK)
        finally:
            for f, now, add in saved:
                f.auto_now, f.auto_now_add = now, add
        batch.clear()

    with open(path, encoding="utf-8") as fh:
        for item in serializers.deserialize("jsonl", fh):
            obj = item.object
            model = type(obj)
            batch.append(obj)
            for name, pks in (item.m2m_data or {}).items():
                links.setdefault(name, []).extend((obj.pk, pk) for pk in pks)
            if len(batch) >= CHUNK:
                flush_batch()
    flush_batch()
    for name, pairs in links.items():
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through
        source, target = m2m.m2m_column_name(), m2m.m2m_reverse_name()
        through._base_manager.bulk_create(
            [through(**{source: a, target: b}) for a, b in pairs], batch_size=CHUNK
        )
    return model


def empty_database() -> None:
    """Empty every table, without the post-migrate hooks that would re-create content
    types and reference rows the archive brings back with their own keys."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
            # transaction: run them now, and defer again for the load that follows.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore_backup(archive: Path, *, hold: bool = True) -> Summary:
    from congress.notifications import hold_after_restore

    archive = Path(archive)
    summary = Summary(path=archive)
    with tempfile.TemporaryDirectory(prefix="congress-restore-") as tmp:
        tmp_path = Path(tmp)
        manifest = extract_verified(archive, tmp_path)
        if manifest["migrations"] != migration_state():
            raise BackupError(
                "the database's migrations differ from the archive's: run the application version "
                f"{manifest['app_version']} (or migrate to the same state) before restoring"
            )
        fixtures = [tmp_path / f"db/{label}.jsonl" for label, count in manifest["row_counts"].items() if count]
        with transaction.atomic():
            empty_database()
            loaded = [_load(path) for path in fixtures]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                    cursor.execute(sql)
            if hold:
                hold_after_restore(note=f"{archive.name} ({manifest['created_at']})")
        ContentType.objects.clear_cache()
        if manifest.get("media_included", True):
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.exists():
                shutil.rmtree(media_root)
            media_root.mkdir(parents=True, exist_ok=True)
            if (tmp_path / "media").exists():
                shutil.copytree(tmp_path / "media", media_root, dirs_exist_ok=True)
    # Check what is now in place against the manifest.
    for model in models_in_order():
        label = model._meta.label
        if label in manifest["row_counts"]:
            summary.rows[label] = model._base_manager.count()
    wrong = {k: (v, summary.rows.get(k)) for k, v in manifest["row_counts"].items() if summary.rows.get(k) != v}
    if wrong:
        raise BackupError(f"row counts differ after the restore: {wrong}")
    if manifest.get("media_included", True):
        media_root = Path(settings.MEDIA_ROOT)
        for entry in manifest["files"]:
            if entry["path"].startswith("media/"):
                if _sha256(media_root / entry["path"].removeprefix("media/")) != entry["sha256"]:
                    raise BackupError(f"file differs after the restore: {entry['path']}")
                summary.files += 1
    # Stored dashboard figures are a cache of the records: whatever came back with the
    # archive is counted again from the restored records.
    from dashboards.figure_store import figures_changed

    figures_changed()
    return summary


def describe(manifest: dict) -> str:
    created = dt.datetime.fromisoformat(manifest["created_at"])
    return (
        f"version {manifest['app_version']}, {manifest['database_vendor']}, "
        f"created {timezone.localtime(created):%Y-%m-%d %H:%M:%S %Z}, "
        f"{sum(manifest['row_counts'].values())} rows, "
        f"{sum(1 for e in manifest['files'] if e['path'].startswith('media/'))} files"
    )
