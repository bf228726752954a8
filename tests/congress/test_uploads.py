"""The one upload validator: content decides, per kind, whatever the file is called."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.uploads import safe_filename, validate_document, validate_excel_import, validate_plan_import
from tests.plans.docx_builder import plain_docx


def xlsx_bytes():
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["问题", "责任单位"])
    wb.save(buf)
    return buf.getvalue()


def plain_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "x")
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


@pytest.mark.parametrize(("validator", "name", "content", "ok"), [
    (validate_document, "报告.pdf", b"%PDF-1.7\n%...", True),
    (validate_document, "报告.docx", plain_docx(["一、总体要求"]), True),
    (validate_document, "清单.xlsx", xlsx_bytes(), True),
    (validate_document, "旧版.doc", OLE, True),
    (validate_document, "照片.PNG", PNG, True),
    (validate_document, "照片.jpeg", JPG, True),
    (validate_document, "说明.txt", "关于加快城区学校建设的说明".encode("gb18030"), True),
    (validate_document, "报告.docx", EXE, False),  # a program renamed
    (validate_document, "报告.pdf", plain_docx(["x"]), False),  # a Word file named .pdf
    (validate_document, "报告.docx", plain_zip(), False),  # a zip that is not a Word file
    (validate_document, "页面.html", b"<html><script>alert(1)</script></html>", False),
    (validate_document, "照片.png", b"<svg onload=alert(1)>", False),
    (validate_document, "无扩展名", b"%PDF-1.7", False),
    (validate_plan_import, "计划.docx", plain_docx(["一、立法工作"]), True),
    (validate_plan_import, "计划.txt", "一、立法工作".encode(), True),
    (validate_plan_import, "计划.xlsx", xlsx_bytes(), False),  # the plan importer reads Word and text only
    (validate_excel_import, "问题清单.xlsx", xlsx_bytes(), True),
    (validate_excel_import, "问题清单.xlsx", EXE, False),
    (validate_excel_import, "问题清单.xls", OLE, False),
])
def test_content_decides(validator, name, content, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        validator(upload)
    else:
        with pytest.raises(ValidationError) as exc:
            validator(upload)
        assert name in exc.value.messages[0]


def test_size_limit_per_kind_is_a_setting(settings):
    settings.UPLOAD_MAX_MB = {"document": 1, "image": 1, "import": 2}
    big = SimpleUploadedFile("报告.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="超过 1 MB"):
        validate_document(big)
    validate_plan_import(SimpleUploadedFile("计划.txt", "一、".encode() + b" " * (1024 * 1024)))


def test_download_names_lose_paths_and_control_characters():
    assert safe_filename("../../etc/答复函\r\n.pdf") == "答复函.pdf"
    assert safe_filename('a"b<c>.pdf') == "abc.pdf"
    assert safe_filename("") == "download"


@pytest.mark.django_db
def test_decision_documents_follow_the_decisions_scope(client_as, deputy_user, staff_user, term):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.test import Client

    from congress.models import Decision, Meeting
    from tests import factories as f

    chair = f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS)
    decision = Decision.objects.create(meeting=chair, title="关于召开常委会第三十四次会议的决定",
                                       adopted_on=dt.date(2026, 12, 1))
    decision.document.save("决定.html", ContentFile(b"<html><script>alert(1)</script></html>"))
    url = decision.document.url
    assert url.startswith("/media/decisions/")
    assert Client().get(url).status_code == 302  # to the login page
    assert client_as(deputy_user).get(url).status_code == 404  # internal meeting: not the deputy's
    resp = client_as(staff_user).get(url)
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment;")
    assert resp["Content-Type"] == "application/octet-stream"
