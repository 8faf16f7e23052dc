"""Answering the advisor in a real browser: one question on screen at a time, swapped in by htmx."""

from __future__ import annotations

# A family visitor on an S1 visa, born 1990, applying for two years. Bool and enum questions are
# answered by their option's value, the date by its ISO text, the duration by its selects.
FAMILY_VISITOR = {
    "household_registration_in_china": "false",
    "ground": "family",
    "family_relation": "spouse",
    "birth_date": "1990-05-17",
    "validity": {"years": "2", "months": "0", "days": "0"},
    "visa_category": "S1",
    "first_application_in_china": "true",
    "limited_mobility": "false",
    "high_level_talent": "false",
    "documents_in_other_language": "false",
    "visa_requires_residence_permit": "true",
}


def answer_every_question(page, answers: dict[str, object], continue_label: str) -> None:
    """Answer each question the advisor asks from ``answers`` (a duration as its parts), until none is asked."""
    for _ in range(len(answers) + 1):
        if page.locator("form.question").count() == 0:
            return
        name = page.locator("form.question input[name=asked]").get_attribute("value")
        value = answers[name]
        if isinstance(value, dict):
            for part, choice in value.items():
                page.select_option(f"select[name={name}__{part}]", choice)
        elif page.locator(f"form.question input[type=radio][name={name}]").count():
            page.check(f"form.question input[name={name}][value='{value}']")
        else:
            page.fill(f"form.question input[name={name}]", value)
        page.get_by_role("button", name=continue_label).click()
        page.wait_for_function(
            "prev => { const q = document.querySelector('form.question input[name=asked]');"
            " return !q || q.value !== prev; }",
            arg=name,
        )
    raise AssertionError("the advisor kept asking")
