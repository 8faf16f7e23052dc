"""Bad input gets a clear refusal naming the field, and stores nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from case_helpers import pdf, started
from exitentry.cases import services
from exitentry.cases.models import Case, Material
from exitentry.registry.models import Permit, TravelDocument
from factories import TODAY, PersonFactory, actor, applicant

pytestmark = pytest.mark.django_db


def test_an_upload_over_the_size_limit_is_refused_and_not_stored(settings) -> None:
    settings.EXITENTRY_UPLOAD_MAX_BYTES = 1000
    user = applicant()
    case = started(user, "rp-work")
    big = pdf("big", 5000)
    with pytest.raises(services.Refused, match="the largest file allowed is 1000 bytes") as refused:
        services.upload_material(actor(user), case, "passport", big, on=TODAY)
    assert refused.value.field == "file"
    assert not Material.objects.exists()


def test_a_file_whose_content_is_not_what_its_label_says_is_refused() -> None:
    user = applicant()
    case = started(user, "rp-work")
    fake = SimpleUploadedFile("scan.png", b"%PDF-1.4\n...", content_type="image/png")
    with pytest.raises(services.Refused, match="says it is image/png but its content is application/pdf"):
        services.upload_material(actor(user), case, "passport", fake, on=TODAY)
    exe = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(services.Refused, match="not a readable PDF"):
        services.upload_material(actor(user), case, "passport", exe, on=TODAY)
    assert not Material.objects.exists()


def test_a_material_the_procedure_does_not_ask_for_is_refused() -> None:
    user = applicant()
    case = started(user, "rp-work")
    with pytest.raises(services.Refused, match="not a material of rp-work"):
        services.upload_material(actor(user), case, "property-ownership", pdf("x"), on=TODAY)


def test_the_same_file_twice_is_refused() -> None:
    user = applicant()
    case = started(user, "rp-work")
    services.upload_material(actor(user), case, "passport", pdf("same"), on=TODAY)
    with pytest.raises(services.Refused, match="already received"):
        services.upload_material(actor(user), case, "passport", pdf("same"), on=TODAY)
    assert Material.objects.count() == 1


def test_a_fact_that_does_not_parse_is_refused_before_anything_is_stored() -> None:
    user = applicant()
    with pytest.raises(services.Refused) as refused:
        services.start_case(
            actor(user),
            procedure_id="rp-work",
            person=user.person,
            facts={"birth_date": "1985-02-30"},
            on=TODAY,
        )
    assert refused.value.field == "facts.birth_date"
    assert not Case.objects.exists()


def test_an_unknown_procedure_is_refused() -> None:
    user = applicant()
    with pytest.raises(services.Refused, match="no procedure 'rp-holiday'"):
        services.start_case(actor(user), procedure_id="rp-holiday", person=user.person, facts={}, on=TODAY)


def test_submitting_to_a_hall_that_does_not_take_the_procedure_is_refused() -> None:
    user = applicant()
    case = started(user, "rp-journalist")
    with pytest.raises(
        services.Refused, match="Journalist .* cannot be submitted to .* of Shunyi Sub-bureau"
    ) as refused:
        services.submit(actor(user), case, "shunyi", on=TODAY)
    assert refused.value.field == "hall_id"
    case.refresh_from_db()
    assert case.state == "draft" and case.reference is None


def test_submitting_with_facts_missing_names_the_first_fact_needed() -> None:
    user = applicant()
    case = services.start_case(actor(user), procedure_id="rp-work", person=user.person, facts={}, on=TODAY)
    with pytest.raises(services.Refused, match="the rules still need") as refused:
        services.submit(actor(user), case, "reception-hall", on=TODAY)
    assert refused.value.field.startswith("facts.")


def test_an_expiry_before_issue_and_a_malformed_passport_number_are_refused_by_the_registry() -> None:
    person = PersonFactory()
    doc = TravelDocument(
        person=person,
        number="ab-12",
        issuing_country="DEU",
        issued_on=date(2026, 1, 1),
        expires_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as invalid:
        doc.full_clean()
    assert {"number"} <= set(invalid.value.message_dict)
    assert "cannot expire before it is issued" in str(invalid.value)
    permit = Permit(
        person=person,
        kind="residence-permit",
        number="X1",
        issued_on=date(2026, 1, 2),
        valid_until=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot expire before it is issued"):
        permit.full_clean()


def _png(width: int = 4, height: int = 4) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "says"),
    [
        (
            "page.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script></html>",
            "application/pdf",
            "cannot be opened as one",
        ),
        ("scan.png", b"\x89PNG\r\n\x1a\n<html>not an image</html>", "image/png", "cannot be opened as one"),
        ("scan.jpg", b"\xff\xd8\xff\xe0 not a jpeg at all", "image/jpeg", "cannot be opened as one"),
        ("cut.png", _png()[:-30], "image/png", "cannot be opened as one"),
    ],
    ids=[
        "html that starts with %PDF",
        "html behind a PNG signature",
        "text behind a JPEG signature",
        "a truncated PNG",
    ],
)
def test_a_file_that_only_starts_like_a_document_is_refused_and_not_stored(name, content, kind, says) -> None:
    user = applicant()
    case = started(user, "rp-work")
    with pytest.raises(services.Refused, match=says) as refused:
        services.upload_material(
            actor(user), case, "passport", SimpleUploadedFile(name, content, kind), on=TODAY
        )
    assert refused.value.field == "file" and refused.value.message.zh
    assert not Material.objects.exists()


def test_a_real_pdf_and_a_real_png_are_taken() -> None:
    user = applicant()
    case = started(user, "rp-work")
    services.upload_material(actor(user), case, "passport", pdf("passport"), on=TODAY)
    photo = SimpleUploadedFile("photo.png", _png(), "image/png")
    services.upload_material(actor(user), case, "photos", photo, on=TODAY)
    assert sorted(Material.objects.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
