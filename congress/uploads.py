"""Uploaded files: checked by content, size-limited per kind, and served only as downloads.

One validator serves every upload point (model fields, HTML forms, API serializers):
the file's bytes decide what it is, not its name. A file whose content is not one of the
kind's allowed types, or does not match its extension (an .exe renamed .docx), is refused
with a message naming the file. Sizes come from settings.UPLOAD_MAX_MB.

Downloads go through `download_response`: always `Content-Disposition: attachment`, a
content type from a short safe list (anything else is application/octet-stream), nosniff,
and a sandboxing Content-Security-Policy, so nothing uploaded is ever rendered as a page
on the site's origin.
"""

import codecs
import mimetypes
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Content families (what the bytes are) and the extensions each may carry.
FAMILY_EXTENSIONS = {
    "pdf": {"pdf"},
    "ole": {"doc", "xls", "wps", "et"},  # legacy Office / WPS compound documents
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "ofd": {"ofd"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
    "txt": {"txt"},
}
KIND_FAMILIES = {
    "document": {"pdf", "ole", "docx", "xlsx", "ofd", "jpg", "png", "txt"},
    "image": {"jpg", "png"},
    "import": {"docx", "txt", "xlsx"},
}
KIND_DEFAULT_MB = {"document": 20, "image": 10, "import": 10}
# Types a download may be labelled with; everything else goes out as octet-stream.
SAFE_DOWNLOAD_TYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/jpeg",
    "image/png",
    "text/plain",
}
HEAD_BYTES = 8192

FAMILY_LABELS = {
    "pdf": "PDF", "ole": "DOC/XLS", "docx": "DOCX", "xlsx": "XLSX", "ofd": "OFD",
    "jpg": "JPG", "png": "PNG", "txt": "TXT",
}


class UnsafeArchive(ValueError):
    """A zip whose declared content is too large or too compressed to open safely."""


def check_zip(zf: zipfile.ZipFile, *, max_bytes: int | None = None, max_ratio: int | None = None) -> None:
    """Refuse a zip bomb before anything is decompressed: total size and compression ratio.

    Uses the sizes in the central directory; readers (python-docx, openpyxl) check each
    member's CRC and length while reading, so a lying directory fails there, bounded."""
    max_bytes = max_bytes or settings.IMPORT_DOCX_MAX_UNCOMPRESSED_MB * 1024 * 1024
    max_ratio = max_ratio or settings.IMPORT_DOCX_MAX_RATIO
    total = compressed = 0
    for info in zf.infolist():
        total += info.file_size
        compressed += info.compress_size
        if total > max_bytes:
            raise UnsafeArchive(_("文件解压后超过 %(mb)d MB，无法处理。") % {"mb": max_bytes // (1024 * 1024)})
    if total > 1024 * 1024 and total > max_ratio * max(compressed, 1):
        raise UnsafeArchive(_("文件压缩比异常（可能是恶意构造的文件），无法处理。"))


def _zip_family(fileobj) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as zf:
            check_zip(zf)
            names = set(zf.namelist())
    except UnsafeArchive:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return None


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff_family(fileobj) -> str | None:
    """What the bytes are (a key of FAMILY_EXTENSIONS), or None for anything else."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    if isinstance(head, str):  # a text-mode file object
        head = head.encode("utf-8")
    if head.startswith(b"PK\x03\x04"):
        family = _zip_family(fileobj)
        fileobj.seek(0)
        return family
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    kind = filetype.guess(head)
    if kind is not None:
        return {"pdf": "pdf", "jpg": "jpg", "png": "png"}.get(kind.extension)
    if head.lstrip().startswith(b"%PDF-"):
        return None  # a PDF header not at offset 0: not accepted
    return "txt" if _is_text(head) else None


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@deconstructible
class UploadValidator:
    """Validate an uploaded file of a kind ("document", "image", "import").

    `extensions` narrows the kind (an Excel import takes only xlsx)."""

    def __init__(self, kind: str, extensions: tuple[str, ...] | None = None):
        self.kind = kind
        self.extensions = tuple(extensions) if extensions else None

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kind, self.extensions) == (other.kind, other.extensions)

    def allowed_extensions(self) -> set[str]:
        allowed = set().union(*(FAMILY_EXTENSIONS[f] for f in KIND_FAMILIES[self.kind]))
        return allowed & set(self.extensions) if self.extensions else allowed

    def max_bytes(self) -> int:
        limits = getattr(settings, "UPLOAD_MAX_MB", {}) or {}
        return int(limits.get(self.kind, KIND_DEFAULT_MB[self.kind])) * 1024 * 1024

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, FieldFile):
            if getattr(value, "_committed", True):
                return  # already stored: it was checked when it came in
            value = value.file
        name = getattr(value, "name", "") or ""
        short = name.rsplit("/", 1)[-1]
        allowed = self.allowed_extensions()
        allowed_text = "、".join(sorted(allowed))
        size = getattr(value, "size", None)
        if size is not None and size > self.max_bytes():
            raise ValidationError(
                _("文件“%(name)s”超过 %(mb)d MB 的上限。") % {"name": short, "mb": self.max_bytes() // (1024 * 1024)},
                code="file_too_large",
            )
        ext = _extension(short)
        if ext not in allowed:
            raise ValidationError(
                _("文件“%(name)s”的类型不允许上传（允许：%(allowed)s）。") % {"name": short, "allowed": allowed_text},
                code="file_type",
            )
        try:
            family = sniff_family(value)
        except UnsafeArchive as exc:
            raise ValidationError(str(exc), code="file_unsafe") from exc
        if family is None or ext not in FAMILY_EXTENSIONS.get(family, ()):
            raise ValidationError(
                _("文件“%(name)s”的内容与其扩展名不符或不是允许的类型（允许：%(allowed)s），请上传真实的文件。")
                % {"name": short, "allowed": allowed_text},
                code="file_content",
            )


validate_document = UploadValidator("document")
validate_image = UploadValidator("image")
validate_import = UploadValidator("import")
validate_plan_import = UploadValidator("import", ("docx", "txt"))
validate_excel_import = UploadValidator("import", ("xlsx",))



def validate_files(files, validator=validate_document) -> list:
    """Validate a list of uploads (API views that take request.FILES directly); raises
    django ValidationError with one message per bad file."""
    errors = []
    for f in files or []:
        try:
            validator(f)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return list(files or [])


def safe_filename(name: str) -> str:
    """The name a download carries: no path, no control characters, never empty."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    return name or "download"


def download_response(fileobj, filename: str) -> FileResponse:
    """A stored file as a download, never rendered inline on the site's origin."""
    filename = safe_filename(filename)
    guessed, _encoding = mimetypes.guess_type(filename)
    content_type = guessed if guessed in SAFE_DOWNLOAD_TYPES else "application/octet-stream"
    response = FileResponse(fileobj, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were to render it, the document has no origin and runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
