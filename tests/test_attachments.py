import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.attachments import ORIGINAL_NAME_MAX, check_upload, original_name, stored_name

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("指标说明.pdf", PDF),
        ("scan.PNG", PNG),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("方案.docx", _office("word/")),
        ("budget.xlsx", _office("xl/")),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20),
    ],
)
def test_documents_and_images_are_accepted(name, content):
    upload = SimpleUploadedFile(name, content)
    check_upload(upload)
    assert upload.read() == content  # left at the start for whoever stores it


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("run.exe", b"MZ\x90\x00", "attachment_kind"),
        ("notes.txt", b"hello", "attachment_kind"),
        ("no-extension", PDF, "attachment_kind"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "attachment_content"),
        ("renamed.png", PDF, "attachment_content"),
        ("fake.docx", b"PK\x03\x04 truncated zip", "attachment_content"),
        ("sheet-as-doc.docx", _office("xl/"), "attachment_content"),
    ],
)
def test_anything_else_is_refused_with_its_name(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code
    assert name in refused.value.messages[0]


def test_the_size_limit_comes_from_the_settings(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
    assert refused.value.code == "attachment_size"
    assert "1.0" in refused.value.messages[0]  # the limit, readable: "1.0 KB"


def test_stored_names_cannot_be_guessed():
    first, second = stored_name("needs", "方案.PDF"), stored_name("needs", "方案.PDF")
    assert first != second
    assert first.startswith("needs/") and first.endswith(".pdf")
    assert "方案" not in first


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("技术规格书.pdf", "技术规格书.pdf"),
        ("C/Users/chen/技术规格书.pdf", "技术规格书.pdf"),
        ("", "attachment"),
        (None, "attachment"),
        ("方" * 300 + ".docx", "方" * (ORIGINAL_NAME_MAX - 5) + ".docx"),
    ],
)
def test_the_uploaders_name_is_its_last_part_cut_to_the_column_with_its_extension(name, kept):
    assert original_name(SimpleNamespace(name=name)) == kept
