"""The plan importer refuses crafted .docx files quickly and with a clear message: a zip
bomb (declared size and compression ratio, checked before anything is decompressed), too
many paragraphs, and a parse that runs past its time budget."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import importer as im
from plans.models import ImportDraft

from .docx_builder import plain_docx

BASE = "/api/v1/plans"


def bomb_docx(megabytes: int) -> bytes:
    """A valid Word document plus a member of zeros that deflates ~1000:1."""
    src = zipfile.ZipFile(io.BytesIO(plain_docx(["一、立法工作", "（一）制定条例"])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        out.writestr("word/media/image1.bin", b"\0" * (megabytes * 1024 * 1024))
    return buf.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_decompressed(settings):
    settings.IMPORT_DOCX_MAX_UNCOMPRESSED_MB = 3
    data = bomb_docx(4)
    assert len(data) < 64 * 1024
    started = time.monotonic()
    with pytest.raises(im.ImportLimitExceeded, match="解压后超过 3 MB"):
        im.parse_upload("计划.docx", data)
    assert time.monotonic() - started < 2
    # Under the size cap, the compression ratio alone gives it away.
    settings.IMPORT_DOCX_MAX_UNCOMPRESSED_MB = 50
    with pytest.raises(im.ImportLimitExceeded, match="压缩比异常"):
        im.parse_upload("计划.docx", data)


def test_too_many_paragraphs_and_too_long_a_parse_are_refused(settings):
    settings.IMPORT_MAX_PARAGRAPHS = 50
    many = plain_docx([f"{i}. 第{i}项工作" for i in range(1, 61)])
    with pytest.raises(im.ImportLimitExceeded, match="段落过多（60 段，上限 50 段）"):
        im.parse_upload("计划.docx", many)
    with pytest.raises(im.ImportLimitExceeded, match="段落过多"):
        im.parse_upload("计划.txt", "\n".join(f"{i}. 第{i}项工作" for i in range(1, 61)).encode())
    settings.IMPORT_MAX_PARAGRAPHS = 5000
    settings.IMPORT_MAX_SECONDS = 0  # the budget is spent before the first paragraph
    with pytest.raises(im.ImportLimitExceeded, match="超过 0 秒"):
        im.parse_upload("计划.docx", many)
    settings.IMPORT_MAX_SECONDS = 10
    assert len(im.parse_upload("计划.docx", many).nodes) == 60


@pytest.mark.django_db
def test_a_crafted_file_gets_a_field_error_on_the_page_and_in_the_api(settings, api_client, client_as, planner, plan):
    settings.IMPORT_DOCX_MAX_UNCOMPRESSED_MB = 3
    data = bomb_docx(4)
    resp = api_client(planner).post(
        f"{BASE}/plans/{plan.pk}/import/", {"file": SimpleUploadedFile("计划.docx", data)}, format="multipart"
    )
    assert resp.status_code == 400 and "解压后超过 3 MB" in resp.json()["file"][0]
    resp = client_as(planner).post(reverse("plans:plan-import", args=[plan.pk]),
                                   {"file": SimpleUploadedFile("计划.docx", data)})
    assert resp.status_code == 200 and "解压后超过 3 MB" in resp.content.decode()
    # A program named .docx is refused by its content.
    resp = client_as(planner).post(reverse("plans:plan-import", args=[plan.pk]),
                                   {"file": SimpleUploadedFile("计划.docx", b"MZ\x90\x00" + b"\x00" * 200)})
    assert resp.status_code == 200 and "内容与其扩展名不符" in resp.content.decode()
    assert not ImportDraft.objects.exists()
