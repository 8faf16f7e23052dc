"""A one-page PDF that says what it stands in for: the demo's uploaded materials (and the tests' files)."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def sample_pdf(text: str, size: int = 0) -> bytes:
    """A real PDF (a parser opens it) showing ``text``; padded with a comment to ``size`` bytes if asked."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(text)
    page.drawString(72, A4[1] - 72, text)
    page.save()
    body = buffer.getvalue()
    return body + b"%" + b"0" * max(0, size - len(body) - 2) + b"\n" if size > len(body) else body
