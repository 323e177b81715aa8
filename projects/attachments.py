"""What an uploaded attachment may be: a PDF, an Office document or an image, checked by its
name *and* by its first bytes, no larger than ``settings.ATTACHMENT_MAX_BYTES``; the
non-guessable name it is stored under and the uploader's name it is downloaded under; and the
download of one, once its reader is allowed."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_PDF = (b"%PDF-",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls, .ppt
_ZIP = (b"PK\x03\x04",)  # .docx, .xlsx, .pptx
# extension -> (signatures the content starts with, folder an Office Open XML file must hold)
KINDS: dict[str, tuple[tuple[bytes, ...], str | None]] = {
    ".pdf": (_PDF, None),
    ".doc": (_OLE, None),
    ".xls": (_OLE, None),
    ".ppt": (_OLE, None),
    ".docx": (_ZIP, "word/"),
    ".xlsx": (_ZIP, "xl/"),
    ".pptx": (_ZIP, "ppt/"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), None),
    ".jpg": ((b"\xff\xd8\xff",), None),
    ".jpeg": ((b"\xff\xd8\xff",), None),
    ".gif": ((b"GIF87a", b"GIF89a"), None),
}
ACCEPT = ",".join(KINDS)  # for <input type="file" accept="...">
# The longest uploader's file name kept (the shorter of the attachment models' columns).
ORIGINAL_NAME_MAX = 200


def _office_folder_present(file: IO[bytes], folder: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def check_upload(file: Any) -> None:
    """Raise a ``ValidationError`` a person can act on unless ``file`` is an accepted document.

    ``file`` is an uploaded file (anything with ``name``, ``size``, ``seek`` and ``read``);
    its position is put back at the start."""
    name = str(getattr(file, "name", "") or "")
    extension = PurePath(name).suffix.lower()
    kinds = ", ".join(k.lstrip(".") for k in KINDS)
    if extension not in KINDS:
        raise ValidationError(
            _("“%(name)s” is not an accepted kind of file. Accepted: %(kinds)s.")
            % {"name": name, "kinds": kinds},
            code="attachment_kind",
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; an attachment may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="attachment_size",
        )
    signatures, folder = KINDS[extension]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    matches = any(head.startswith(signature) for signature in signatures)
    if matches and folder is not None:
        matches = _office_folder_present(file, folder)
        file.seek(0)
    if not matches:
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (%(kind)s): it cannot be attached.")
            % {"name": name, "kind": extension.lstrip(".")},
            code="attachment_content",
        )


def stored_name(folder: str, filename: str) -> str:
    """Where an attachment is kept: a random name (nothing to guess from the record or from
    the uploader's file name), with the original extension."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def original_name(file: Any) -> str:
    """The uploader's name of ``file``, as kept for its download: its last part only, at most
    ``ORIGINAL_NAME_MAX`` characters with its extension kept, "attachment" when it has none."""
    name = PurePath(str(getattr(file, "name", "") or "")).name or "attachment"
    if len(name) <= ORIGINAL_NAME_MAX:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) >= ORIGINAL_NAME_MAX:
        return name[:ORIGINAL_NAME_MAX]
    return name[: ORIGINAL_NAME_MAX - len(suffix)] + suffix


def download(file: FieldFile, name: str) -> FileResponse:
    """The stored ``file`` as a download named ``name`` (the uploader's own file name), kept
    out of shared caches. Whoever calls it has checked that the reader may see the record; a
    file missing from the storage is a 404 like any record nobody may see."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
