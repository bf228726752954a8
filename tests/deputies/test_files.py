"""Files: uploads are checked by their content and size; stored files go out only as
downloads, through views that check the owning record, never from /media/."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from deputies import services as svc
from deputies.choices import SuggestionStatus as S
from deputies.models import Suggestion

pytestmark = pytest.mark.django_db

API = "/api/v1/deputies"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."
HTML = "<html><body><script>alert(document.cookie)</script>答复函</body></html>".encode()


def _docx_bytes():
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("关于加快城区学校建设的答复")
    document.save(buf)
    return buf.getvalue()


def test_a_program_renamed_docx_is_refused_next_to_the_field_on_the_page(world, users, client):
    client.force_login(users["lead"])
    resp = client.post(reverse("deputies:suggestion-create"), {
        "title": "关于修缮乡村道路的建议", "situation": "路面破损", "proposal": "尽快修缮",
        "files": [SimpleUploadedFile("现场照片.docx", EXE)],
    })
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-field-error="files"' in html
    assert "现场照片.docx" in html and "内容与其扩展名不符" in html
    assert not Suggestion.objects.filter(title="关于修缮乡村道路的建议").exists()
    # A real Word file with the same name goes through.
    resp = client.post(reverse("deputies:suggestion-create"), {
        "title": "关于修缮乡村道路的建议", "situation": "路面破损", "proposal": "尽快修缮",
        "files": [SimpleUploadedFile("现场照片.docx", _docx_bytes())],
    })
    assert resp.status_code == 302
    assert Suggestion.objects.get(title="关于修缮乡村道路的建议").pk


def test_api_answers_400_with_the_field_for_a_disguised_or_oversized_file(world, users, api_client, settings):
    s = world.suggestion(S.ASSIGNED)
    clerk = api_client(users["unit_clerk"])
    assert clerk.post(f"{API}/suggestions/{s.pk}/sign/", {}, format="json").status_code == 200
    resp = clerk.post(f"{API}/suggestions/{s.pk}/draft-reply/",
                      {"text": "逐条答复如下", "category": world.category("A").pk,
                       "letter": SimpleUploadedFile("答复函.pdf", EXE)}, format="multipart")
    assert resp.status_code == 400 and "letter" in resp.json(), resp.content
    assert "答复函.pdf" in resp.json()["letter"][0]
    # An HTML page is not a document, whatever it is called.
    resp = api_client(users["lead"]).post(f"{API}/suggestions/", {
        "title": "关于增设公交站点的建议", "situation": "站点少", "proposal": "增设站点",
        "files": [SimpleUploadedFile("说明.html", HTML)],
    }, format="multipart")
    assert resp.status_code == 400 and "files" in resp.json(), resp.content
    # Size limit per kind comes from the settings.
    settings.UPLOAD_MAX_MB = {"document": 1, "image": 1, "import": 1}
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    resp = api_client(users["lead"]).post(f"{API}/suggestions/", {
        "title": "关于增设公交站点的建议", "situation": "站点少", "proposal": "增设站点",
        "files": [SimpleUploadedFile("材料.pdf", big)],
    }, format="multipart")
    assert resp.status_code == 400 and "1 MB" in resp.json()["files"][0]
    assert not Suggestion.objects.filter(title="关于增设公交站点的建议").exists()


def _html_letter(world, users, s):
    """A reply letter stored as .html (as uploads could be before content checks)."""
    a = s.assignments.get(unit=world.unit)
    r = world.sent_reply(s, a)
    return svc._attach(obj=r, actor=users["unit_clerk"], file=ContentFile(HTML, name="答复函.html"), kind=svc.LETTER_KIND)


def test_a_public_html_letter_is_a_download_never_a_page(world, users, client):
    s = world.suggestion(S.ASSIGNED)
    att = _html_letter(world, users, s)
    s.refresh_from_db()
    assert Suggestion.objects.published().filter(pk=s.pk).exists()
    resp = client.get(reverse("deputies:public-letter", args=[att.pk]))
    assert resp.status_code == 200
    assert not resp["Content-Type"].startswith("text/html")
    assert resp["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in resp["Content-Disposition"].lower()
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in resp["Content-Security-Policy"]
    # Signed in, through the scoped download: the same.
    client.force_login(users["lead"])
    resp = client.get(reverse("deputies:attachment", args=[att.pk]))
    assert resp.status_code == 200 and not resp["Content-Type"].startswith("text/html")
    assert resp["Content-Disposition"].startswith("attachment;")


def test_unpublished_letters_and_raw_media_paths_are_not_served(world, users, client):
    s = world.suggestion(S.ASSIGNED, is_public=False)
    att = _html_letter(world, users, s)
    assert client.get(reverse("deputies:public-letter", args=[att.pk])).status_code == 404
    # Nothing under /media/ is routed to a file server: the stored file is not reachable raw.
    for path in ("/media/" + att.file.name, "/media/public/" + att.file.name.rsplit("/", 1)[-1]):
        with pytest.raises(Resolver404):
            resolve(path)
        resp = client.get(path)
        assert resp.status_code == 404
        assert HTML not in b"".join(resp.streaming_content if resp.streaming else [resp.content])
    # Out of scope for a signed-in deputy who did not lead it: 404 as well.
    client.force_login(users["other_deputy"])
    assert client.get(reverse("deputies:attachment", args=[att.pk])).status_code == 404
