"""The largest upload, stated once (``EXITENTRY_UPLOAD_MAX_BYTES`` in the settings) and said the same way
on the upload form, in the service's refusal, on the page that answers a body past it and in the API.

Django caps the form fields of a body (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its files: a file past
``EXITENTRY_UPLOAD_MAX_BYTES`` was written whole to a temporary file before the service refused it. The
first upload handler (``FILE_UPLOAD_HANDLERS``) refuses a body whose length is past the largest file plus
the fields' cap with ``UploadTooLarge`` (Django's ``RequestDataTooBig``): the API answers 413 naming the
largest file; a page answers 413 with its upload form again and the reason beside the file field
(``web.too_large.TooLargeAnswers``, before Django's CSRF check reads the body, with DEBUG on or off). (Django reads no
more of a body than its declared length, and nothing of one that declares none.) The service still
refuses a file past the limit that fits within this margin, with the same words and the file's size."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse

from exitentry.law.text import Text


class UploadTooLarge(RequestDataTooBig):
    """A multipart body longer than one file at the limit and the form's fields."""


class BodyCap(FileUploadHandler):
    """Refuses a body longer than one file at the limit and the form's fields; else passes it on."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.EXITENTRY_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise UploadTooLarge("The upload is larger than any material may be.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def size_text(size: int) -> Text:
    """A size as people read it: "10 MB", "1.5 MB", "100 KB", "900 bytes" / "900字节"."""
    for unit, name in ((2**20, "MB"), (2**10, "KB")):
        if size >= unit:
            number = f"{size / unit:.1f}".removesuffix(".0")
            return Text(f"{number} {name}", f"{number} {name}")
    return Text(f"{size} bytes", f"{size}字节")


def largest() -> Text:
    """The largest file an upload may be."""
    return size_text(settings.EXITENTRY_UPLOAD_MAX_BYTES)


_LARGEST = Text("The largest file allowed is {largest}.", "允许上传的文件最大为{largest}。")
_TOO_LARGE = Text(
    "The file is too large: the largest file allowed is {largest}.",
    "文件过大：允许上传的文件最大为{largest}。",
)
_TOO_LARGE_SIZED = Text(
    "The file is too large ({size}); the largest file allowed is {largest}.",
    "文件过大（{size}）；允许上传的文件最大为{largest}。",
)


def largest_hint() -> Text:
    """What the upload form says before any upload."""
    return _LARGEST.format(largest=largest())


def too_large(size: int | None = None) -> Text:
    """The refusal of a file past the limit (its size when known)."""
    if size is None:
        return _TOO_LARGE.format(largest=largest())
    return _TOO_LARGE_SIZED.format(size=size_text(size), largest=largest())


def answered_by(too_large_view: Callable[..., HttpResponse]) -> Callable:
    """Marks a page that takes a file with the view that answers a body past the cap (its form again with
    the reason beside the file field, 413): ``web.too_large.TooLargeAnswers`` calls it with the page's arguments."""

    def mark(view: Callable) -> Callable:
        view.too_large = too_large_view
        return view

    return mark
