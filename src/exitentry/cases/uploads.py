"""What an uploaded material really is: its type read from its first bytes, then opened by a PDF parser
or decoded by an image library, so a file is stored only if it is what it claims (an HTML page that starts
with ``%PDF`` is not a PDF)."""

from __future__ import annotations

import mimetypes
import warnings

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from exitentry.law.text import Text

SNIFF = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_IMAGE_PIXELS = 100_000_000  # a scan at 600 dpi of an A3 page is about 70 million

_UNREADABLE = Text(
    "The file starts like a {kind} file but cannot be opened as one; upload the document itself.",
    "该文件开头类似{kind}文件，但无法作为{kind}打开；请上传文件原件。",
)
_ENCRYPTED = Text(
    "The PDF is protected with a password; upload it without the protection.",
    "该PDF文件设有密码保护，请上传未加密的文件。",
)
_NO_PAGES = Text("The PDF has no pages.", "该PDF文件没有页面。")
EMPTY = Text(
    "The file is empty.", "文件为空。"
)  # also a unit's CSV of reports (``compliance.report_uploads``)
_NOT_READABLE = {
    "application/pdf": Text("The file is not a readable PDF.", "该文件不是可读取的PDF文件。"),
    "image/jpeg": Text("The file is not a readable image.", "该文件不是可读取的图片。"),
    "image/png": Text("The file is not a readable image.", "该文件不是可读取的图片。"),
}
_NOT_A_DOCUMENT = Text("Upload only PDF, JPEG and PNG files.", "仅接受PDF、JPEG和PNG文件。")
_TOO_MANY_PIXELS = Text(
    "The image is too large ({pixels} pixels); at most {max} pixels are taken.",
    "图片过大（{pixels}像素）；最多接受{max}像素。",
)


def sniffed(upload: UploadedFile) -> str | None:
    """The type the file's first bytes say it is (PDF, JPEG or PNG), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for magic, kind in SNIFF.items() if head.startswith(magic)), None)


def not_a_document(upload: UploadedFile) -> Text:
    """Why a file whose first bytes are no PDF, JPEG or PNG is refused: it is empty, or it is not the PDF
    or image its type or name says it is, or it is another kind of file."""
    if upload.size == 0:
        return EMPTY
    claimed = upload.content_type if upload.content_type in _NOT_READABLE else None
    claimed = claimed or mimetypes.guess_type(upload.name or "")[0]
    return _NOT_READABLE.get(claimed or "", _NOT_A_DOCUMENT)


def unreadable(upload: UploadedFile, kind: str) -> Text | None:
    """Why the file does not open as ``kind``, or None when it does (the file is left at its start)."""
    try:
        return _pdf(upload) if kind == "application/pdf" else _image(upload, _IMAGE_FORMATS[kind])
    finally:
        upload.seek(0)


def _pdf(upload: UploadedFile) -> Text | None:
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return _ENCRYPTED
        if len(reader.pages) == 0:
            return _NO_PAGES
        reader.pages[0].mediabox  # noqa: B018 - reading the first page's box parses its dictionary
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        return _UNREADABLE.format(kind="PDF")
    return None


def _image(upload: UploadedFile, image_format: str) -> Text | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=[image_format]) as image:
                pixels = image.width * image.height
                if pixels > MAX_IMAGE_PIXELS:
                    return _TOO_MANY_PIXELS.format(pixels=pixels, max=MAX_IMAGE_PIXELS)
                image.load()  # decodes every pixel: a truncated or forged image fails here
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return _TOO_MANY_PIXELS.format(pixels="?", max=MAX_IMAGE_PIXELS)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return _UNREADABLE.format(kind=image_format)
    return None
