"""How a document falls on its pages (documents.pdf): one A4 page where the content allows, and the QR code
with its caption and address never alone on a page, whatever the length of what comes before it."""

from __future__ import annotations

import pytest

from documents.test_pdf import (
    decision,
    line,
    pages,
    pdf_change_report,
    pdf_decision,
    pdf_receipt,
    pdf_unit_report,
    receipt,
)
from exitentry.documents.data import Line
from exitentry.law.text import Text

VERIFY = "Scan the code, or open the address below"


def verification_page(texts: list[str]) -> str:
    """The one page that carries the QR code's caption and address."""
    found = [t for t in texts if VERIFY in " ".join(t.split())]
    assert len(found) == 1
    return " ".join(found[0].split())


@pytest.mark.parametrize("render", [pdf_receipt, pdf_decision, pdf_unit_report, pdf_change_report])
def test_an_ordinary_document_fits_on_one_page(render) -> None:
    assert len(pages(render())) == 1


def test_however_many_materials_a_receipt_lists_its_code_shares_a_page_with_the_last_one_and_the_basis():
    spilled = 0
    for n in range(1, 31):
        texts = pages(pdf_receipt(receipt(materials_received=tuple(line(k) for k in range(1, n + 1)))))
        spilled += len(texts) > 1
        page = verification_page(texts)
        assert f"Passport original, copy {n}" in page and "Legal basis" in page, n
    assert spilled, "no list long enough to run onto a second page: the test proves nothing"


def step(n: int) -> Line:
    return Line(
        Text(
            f"Collection step {n}: bring this notice and the passport.", f"领证步骤{n}：携带本决定书和护照。"
        ),
        None,
        (),
    )


def test_however_long_a_decision_runs_its_code_shares_a_page_with_its_last_step_and_the_basis():
    spilled = 0
    for n in range(1, 31):
        texts = pages(pdf_decision(decision(next_steps=tuple(step(k) for k in range(1, n + 1)))))
        spilled += len(texts) > 1
        page = verification_page(texts)
        assert f"Collection step {n}:" in page and "Legal basis" in page, n
    assert spilled, "no decision long enough to run onto a second page: the test proves nothing"
