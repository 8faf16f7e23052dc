"""A multipart body past what any upload may be is refused before it is read, not spooled to disk.

Django caps the form fields of a body (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its files: a file past
``EXITENTRY_UPLOAD_MAX_BYTES`` was written whole to a temporary file before the service refused it. The
first upload handler (``FILE_UPLOAD_HANDLERS``) refuses a body whose length is past the largest file plus
the fields' cap with Django's ``RequestDataTooBig``: a page answers 400, the API 413. (Django reads no
more of a body than its declared length, and nothing of one that declares none.) The service still
refuses a file past the limit that fits within this margin, with its own message."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class BodyCap(FileUploadHandler):
    """Refuses a body longer than one file at the limit and the form's fields; else passes it on."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.EXITENTRY_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig("The upload is larger than any material may be.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
