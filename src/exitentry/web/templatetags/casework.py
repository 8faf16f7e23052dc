"""Template filters and tags for the case pages: labels in the page's language, and the signed-in nav.

The nav asks which side the user is on; the filters only name codes (actions by ``cases.lifecycle``, the
rest by ``web.case_labels``).
"""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import get_language

from exitentry.accounts import policy
from exitentry.cases import lifecycle, services
from exitentry.cases.access import grants
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Payment
from exitentry.law import districts
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration
from exitentry.law.rules import holding, travel_documents
from exitentry.law.rules.residence import receipt_validity
from exitentry.law.text import day_text
from exitentry.registry import countries, ports
from exitentry.verification.sharecodes import may_share
from exitentry.web import case_labels
from exitentry.web.account_views import home_of
from exitentry.web.advisor import show_answer
from exitentry.web.case_pages import today
from exitentry.web.templatetags.lawtext import duration, tr

register = template.Library()


@register.simple_tag
def work_start(user) -> str:
    """Where the work of a staff account starts (``account_views.home_of``: the work queue, the admin), in
    the active language; empty for anyone else, whom the public guide serves."""
    if policy.is_hall_side(user) or policy.is_administrator(user):
        return home_of(user)
    return ""


@register.simple_tag(takes_context=True)
def signed_in_nav(context: template.Context) -> dict[str, bool]:
    """Which pages of the signed-in user's side to link from the header."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"signed_in": False}
    if policy.second_factor_pending(user):  # nothing to link to before the second step
        return {"signed_in": True, "pending": True}
    return {
        "signed_in": True,
        "backup_codes": policy.needs_second_factor(user),
        "applicant_side": policy.may_start_case(user),
        "hall_side": policy.is_hall_side(user),
        "queue_health": grants(user, "queue_health"),
        "hall_days": policy.keeps_hall_days(user),
        "unit": policy.is_unit_handler(user),
        "unit_reports": policy.files_unit_reports(user),
        "institution": policy.is_institution(user),
        "api_keys": policy.keeps_api_keys(user),
        "share_codes": may_share(user),
        "administrator": policy.is_administrator(user),
    }


@register.filter
def expired(expires_on) -> bool:
    """Whether a travel document valid through ``expires_on`` has expired on the pages' today."""
    return travel_documents.expired(expires_on, today())


@register.filter
def country(code: str) -> str:
    """A nationality or issuing country by its name in the page's language (the registry keeps the code)."""
    return countries.name(code, get_language() or "en")


@register.filter
def port(value: str) -> str:
    """A movement's port by its name in the page's language (the registry keeps the code)."""
    return ports.name(value, get_language() or "en")


@register.simple_tag
def port_names() -> list[str]:
    """The catalogue's ports by their names in the page's language, for a form's suggestions."""
    return [name for _, name in ports.choices(get_language() or "en")]


@register.filter
def country_both(code: str) -> str:
    """A country by its name in Chinese and English, for a page read in both at once (a QR check)."""
    name = countries.text(code)
    return name.zh if name.zh == name.en else f"{name.zh} {name.en}"


@register.filter
def birthday(value) -> str:
    """A date of birth, without the weekday a deadline carries."""
    return day_text(value).get(get_language() or "en") if value else ""


@register.filter
def from_registry(case) -> list[tuple[str, str]]:
    """The case's facts taken from the registry record (``cases.registry_facts``): question and answer."""
    facts, language = catalog().facts_on(beijing_today()), get_language() or "en"
    return [
        (facts[name].question.get(language), show_answer(facts[name], case.facts[name]))
        for name in case.facts_from_registry
        if name in case.facts and name in facts
    ]


@register.filter
def state_label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state


@register.filter
def action_label(action: str) -> str:
    return lifecycle.label(action).get(get_language() or "en")


@register.filter
def event_label(action: str) -> str:
    return lifecycle.done_label(action).get(get_language() or "en")


@register.filter
def clock_status(status: str) -> str:
    return str(case_labels.CLOCK_STATUS.get(status, status))


@register.filter
def receipt_basis(clock, procedure_id: str) -> tuple:
    """Why a receipt stands in for the passport while it serves, for its clock's case (``receipt_validity``:
    Regulations Art. 18 para. 3 or Art. 13 para. 3, or by analogy): what an expired one no longer does."""
    return receipt_validity(clock.deadline.due, catalog().procedure(procedure_id)).cite


@register.filter
def deficiency_kind(kind: str) -> str:
    return str(case_labels.DEFICIENCY.get(kind, kind))


@register.filter
def acting_as(code: str) -> str:
    return str(case_labels.ACTING_AS.get(code, code))


@register.filter
def payment_method(code: str) -> str:
    return str(dict(Payment.Method.choices).get(code, code))


@register.filter
def area_name(code: str) -> str:
    """A restricted area by name ("Chaoyang District"; ``law.districts``), another code as it is."""
    return districts.area_name(code).get(get_language() or "en")


@register.filter
def hall_name(hall_id: str) -> str:
    return services.hall_label(hall_id).get(get_language() or "en") if hall_id else ""


@register.filter
def permit_name(permit) -> str:
    """A permit's kind and type in words in the page's language (``law.rules.holding``), as the holder's
    pages name it: "Residence permit · Work"."""
    kind, kind_type = holding.kind_name(permit.kind), holding.type_name(permit.permit_type)
    return " · ".join(tr(t) for t in (kind, kind_type) if t is not None)


@register.filter
def get(mapping: dict, key: str):
    """``{{ errors|get:"file" }}``: a value by a key held in a variable or with a dot in it."""
    return mapping.get(key) if mapping else None


@register.filter
def minutes(value: timedelta | None) -> int:
    """A time span in whole minutes (rounded up): the lockout's cool-off."""
    return -(-int(value.total_seconds()) // 60) if value else 0


@register.filter
def iso_duration(value: str) -> str:
    """An ISO 8601 validity ("P2Y") in words in the page's language; as given when it does not parse."""
    try:
        return duration(Duration.parse(value))
    except ValueError:
        return value


@register.filter
def visas_recorded(cards, visas: bool = True) -> list:
    """The permit cards of visas recorded as permits (``visas``), or of every other permit: My permits
    lists the first under "Visas"."""
    return [c for c in cards if (c.permit.kind == "visa") == visas]
