"""The backup drill: data and files in, backup, wipe, restore, every row and file back,
nothing sent again. Runs on the suite's database: SQLite by default, PostgreSQL when
DATABASE_URL points at one (CI runs both)."""

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail, serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from congress import backup, notifications
from congress.models import Attachment, OpsState, OutboxMessage, ReminderDispatch
from congress.tasks import scan_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
SCAN_DAY = dt.datetime(2026, 10, 8, 9, 0, tzinfo=BEIJING)


def fingerprint(skip=("congress.OutboxMessage",)) -> dict[str, str]:
    """Per model: a SHA-256 of all its rows, serialised in primary-key order."""
    out = {}
    for model in backup.models_in_order():
        if model._meta.label in skip:
            continue
        text = serializers.serialize("jsonl", model._base_manager.order_by("pk"))
        out[model._meta.label] = hashlib.sha256(text.encode()).hexdigest()
    return out


def media_checksums(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def installation(staff_user, unit_clerk, unit_head, office, unit, settings):
    """A session whose agenda item's draft report is due (reminders dispatched and sent), an
    attachment on disk, and messages sent and still pending at backup time."""
    meeting = f.MeetingFactory(start_date=dt.date(2026, 10, 28), lead_office=office)
    done = dt.date(2026, 1, 1)
    item = f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit, proposal_received_on=done,
                               final_report_received_on=done, notice_sent_on=done)
    with time_machine.travel(SCAN_DAY, tick=False):
        assert scan_reminders() == 3
        assert notifications.deliver_pending() == 3
        notifications.notify(recipients=[staff_user, unit_clerk], title="备份时尚未发送")
    Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, name="报告.pdf",
        file=ContentFile("%PDF-1.4 汇报材料".encode(), name="report.pdf"), uploaded_by=staff_user,
    )
    (Path(settings.MEDIA_ROOT) / "public").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "public" / "决定.txt").write_text("公开文件", encoding="utf-8")
    return item


def test_backup_wipe_restore_brings_back_every_row_and_file_and_sends_nothing_again(installation, tmp_path, settings):
    media = Path(settings.MEDIA_ROOT)
    before_rows, before_files = fingerprint(), media_checksums(media)
    pending = set(OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list("message_id", flat=True))
    assert len(pending) == 2 and len(before_files) == 2
    sent_before = len(mail.outbox)
    archive = tmp_path / "drill.tar.gz"

    # Backup: one archive with a manifest describing it
    call_command("backup", output=str(archive), stdout=io.StringIO())
    manifest = backup.read_manifest(archive)
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["row_counts"]["congress.ReminderDispatch"] == 3
    assert {e["path"] for e in manifest["files"] if e["path"].startswith("media/")} == {f"media/{p}" for p in before_files}

    # Wipe: the database emptied and the files gone
    backup.empty_database()
    shutil.rmtree(media)
    assert not ReminderDispatch.objects.exists()

    # Restore
    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "restored" in out.getvalue()
    # Every row and every file is back, byte for byte
    assert fingerprint() == before_rows
    assert media_checksums(media) == before_files
    # The messages pending at backup time are held, with their ids, for an administrator
    held = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
    assert set(held.values_list("message_id", flat=True)) == pending
    assert OpsState.objects.filter(key=OpsState.RESTORE_HOLD).exists()

    # Nothing goes out again: not the held messages, not the reminders already dispatched
    with time_machine.travel(SCAN_DAY + dt.timedelta(minutes=15), tick=False):
        assert notifications.deliver_pending() == 0
        assert scan_reminders() == 0
    assert ReminderDispatch.objects.count() == 3
    assert len(mail.outbox) == sent_before
    # A reminder that falls due while the hold lasts waits as well
    with time_machine.travel(dt.datetime(2026, 10, 21, 9, 0, tzinfo=BEIJING), tick=False):
        assert scan_reminders() > 0
        assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
        assert notifications.deliver_pending() == 0
    assert len(mail.outbox) == sent_before


def test_the_administrator_releases_or_discards_held_messages(installation, admin_user, client, tmp_path):
    archive = tmp_path / "b.tar.gz"
    backup.create_backup(archive)
    backup.restore_backup(archive)
    held = list(OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).order_by("pk"))
    assert len(held) == 2
    client.force_login(admin_user)
    page = client.get(reverse("ops:status"))
    assert "恢复后暂停的消息" in page.content.decode()
    # Discard one from the admin's list of messages, release the rest from the status page
    notifications.discard_held(ids=[held[0].pk])
    response = client.post(reverse("ops:held-decision"), {"decision": "release"})
    assert response.status_code == 302
    assert notifications.deliver_pending() == 1
    assert [m.extra_headers["X-Message-Id"] for m in mail.outbox[-1:]] == [str(held[1].message_id)]
    held[0].refresh_from_db()
    assert held[0].status == OutboxMessage.Status.DISCARDED
    # Once nothing is held the hold ends: new reminders go out as usual
    assert not OpsState.objects.filter(key=OpsState.RESTORE_HOLD).exists()


def _tamper(archive: Path, target: Path, member_prefix: str) -> None:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name.startswith(member_prefix):
                data = data.replace(b"\xe6\xb1\x87", b"\xe6\xb1\x88", 1) + b"\n"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("member", ["media/attachments", "db/congress.User"])
def test_a_damaged_archive_is_refused_before_anything_changes(installation, tmp_path, member):
    archive, damaged = tmp_path / "b.tar.gz", tmp_path / "damaged.tar.gz"
    backup.create_backup(archive)
    _tamper(archive, damaged, member)
    rows = fingerprint(skip=())
    with pytest.raises(Exception, match="checksum mismatch"):
        call_command("restore", str(damaged), yes=True, stdout=io.StringIO())
    assert fingerprint(skip=()) == rows


def test_an_archive_of_other_migrations_is_refused(installation, tmp_path):
    archive, other = tmp_path / "b.tar.gz", tmp_path / "other.tar.gz"
    backup.create_backup(archive)
    with tarfile.open(archive, "r:gz") as src, tarfile.open(other, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                manifest["migrations"].append(["congress", "9999_from_the_future"])
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(Exception, match="migrations differ"):
        call_command("restore", str(other), yes=True, stdout=io.StringIO())
