"""A refusal a person must act on carries its words in English and in Simplified Chinese from where it is
raised, so no page has to translate it back from the English."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from case_helpers import hall_accepts, hall_receives, started, submitted, upload_everything
from exitentry.cases import lifecycle, services
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.law.catalog import catalog
from exitentry.law.text import Text
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def refusal(step: Callable[[], object]) -> Text:
    """The words of the refusal ``step`` meets."""
    with pytest.raises((services.Refused, IllegalTransition)) as raised:
        step()
    refused = raised.value
    return refused.message if isinstance(refused, services.Refused) else refused.text


def assert_bilingual(text: Text) -> None:
    assert text.en.strip()
    assert CJK.search(text.zh), text.zh
    assert text.en not in text.zh


def accepted(procedure_id: str):
    user = applicant()
    case = submitted(user, procedure_id)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    hall_accepts(clerk, case, on=TODAY)
    return case, clerk


def test_an_oversize_upload_is_refused_in_both_languages(settings) -> None:
    settings.EXITENTRY_UPLOAD_MAX_BYTES = 100
    user = applicant()
    case = started(user, "rp-work")
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"x" * 200, content_type="application/pdf")
    text = refusal(lambda: services.upload_material(actor(user), case, "passport", big, on=TODAY))
    assert_bilingual(text)
    assert "100" in text.zh


def test_a_mislabelled_file_is_refused_in_both_languages() -> None:
    user = applicant()
    case = started(user, "rp-work")
    fake = SimpleUploadedFile("scan.png", b"%PDF-1.4\n...", content_type="image/png")
    text = refusal(lambda: services.upload_material(actor(user), case, "passport", fake, on=TODAY))
    assert_bilingual(text)
    assert "image/png" in text.zh and "application/pdf" in text.zh


def test_a_hall_that_does_not_take_the_procedure_is_refused_in_both_languages() -> None:
    user = applicant()
    case = started(user, "rp-journalist")
    assert_bilingual(refusal(lambda: services.submit(actor(user), case, "shunyi", on=TODAY)))


def test_facts_missing_at_submission_are_asked_for_in_both_languages() -> None:
    user = applicant()
    case = services.start_case(actor(user), procedure_id="rp-work", person=user.person, facts={}, on=TODAY)
    with pytest.raises(services.Refused) as raised:
        services.submit(actor(user), case, "reception-hall", on=TODAY)
    assert_bilingual(raised.value.message)
    first = catalog().facts[raised.value.field.removeprefix("facts.")]
    assert first.question.zh in raised.value.message.zh


def test_accepting_with_items_missing_is_refused_in_both_languages() -> None:
    case = submitted(applicant(), "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    assert_bilingual(refusal(lambda: hall_accepts(clerk, case, on=TODAY)))


def test_a_validity_out_of_range_is_refused_in_both_languages() -> None:
    case, clerk = accepted("rp-study")
    text = refusal(lambda: services.decide(clerk, case, "approved", validity="P90D", on=TODAY))
    assert_bilingual(text)
    assert text.zh == "有效期不得少于180日；填写的是90日。"
    assert text.en == "The validity must be at least 180 days; 90 days was given."


def test_a_refusal_ground_of_the_wrong_kind_is_refused_in_both_languages() -> None:
    case, clerk = accepted("rp-extension")
    ground_id = "void-damaged-lost-stolen-robbed"
    text = refusal(lambda: services.decide(clerk, case, "refused", ground_id=ground_id, on=TODAY))
    assert_bilingual(text)
    assert "第二十一条" in text.zh


def test_a_fact_that_does_not_fit_is_refused_in_both_languages() -> None:
    user = applicant()
    text = refusal(
        lambda: services.start_case(
            actor(user),
            procedure_id="rp-work",
            person=user.person,
            facts={"birth_date": "1985-02-30"},
            on=TODAY,
        )
    )
    assert_bilingual(text)


def test_an_illegal_transition_is_refused_in_both_languages_with_the_state_label() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    text = refusal(lambda: services.issue(actor(officer(case.hall_id)), case, on=TODAY))
    assert_bilingual(text)
    assert text.en == "cannot issue a case that is Submitted"
    assert "已提交" in text.zh


@pytest.mark.parametrize(
    "action", [a for a, row in lifecycle.TABLE.items() if row.states != lifecycle.ALL_STATES]
)
def test_every_action_is_refused_in_both_languages_from_a_state_it_does_not_leave(action: str) -> None:
    state = next(s for s in lifecycle.State.values if s not in lifecycle.TABLE[action].states)
    with pytest.raises(IllegalTransition) as raised:
        lifecycle.target(catalog().procedure("rp-work"), state, action)
    assert_bilingual(raised.value.text)
    assert str(raised.value) == raised.value.text.en
