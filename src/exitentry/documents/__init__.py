"""Printed documents of a case: the acceptance receipt, the one-time notice of missing or defective
materials and the decision, as bilingual PDFs built from plain dataclasses (no database, ``data`` and
``pdf``), each carrying a QR code with a signed token that the office's verification page can check
(``tokens``, which the apps load when Django readies them, so this package loads no PDF library then)."""
