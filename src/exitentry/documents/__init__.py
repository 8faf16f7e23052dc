"""Printed documents of a case: the acceptance receipt, the one-time notice of missing or defective
materials and the decision, as bilingual PDFs built from plain dataclasses (no database), each carrying
a QR code with a signed token that the office's verification page can check."""

from exitentry.documents.pdf import render_decision, render_deficiency_notice, render_receipt
from exitentry.documents.tokens import BadToken, make_token, read_token, verification_url

__all__ = [
    "BadToken",
    "make_token",
    "read_token",
    "render_decision",
    "render_deficiency_notice",
    "render_receipt",
    "verification_url",
]
