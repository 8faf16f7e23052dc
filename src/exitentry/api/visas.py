"""``/visa-categories``: the ordinary visa categories in force (Regulations Art. 6), what an application for
each needs (Art. 7) and when the overseas visa authority interviews its applicants (Art. 8)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from ninja import Field

from exitentry.api.language import filled
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut, article
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.visas import (
    Material,
    common_visa_materials,
    interview_required,
    interview_triggers,
    visa_categories,
)

router = Router(tags=["visas"])


class VisaMaterialOut(Out):
    id: str
    text: TextOut
    case: TextOut | None = Field(
        description=_("the case the material is for, where the article distinguishes")
    )
    cite: list[CitationOut]


class InterviewTriggerOut(Out):
    fact: str
    text: TextOut
    cite: list[CitationOut]


class VisaCategoryOut(Out):
    code: str
    description: TextOut
    for_residence: bool | None = Field(
        description=_("whether the category is for entering to reside; null where its article does not say")
    )
    interview_always: bool = Field(
        description=filled(
            _("true where every applicant is interviewed (%(article)s): the category is for residence"),
            article=article("regulations", "Art. 8(1)"),
        )
    )
    materials: list[VisaMaterialOut] = Field(
        description=filled(
            _("the category's own materials (%(article)s)"), article=article("regulations", "Art. 7")
        )
    )
    cite: list[CitationOut]
    in_force_from: date
    in_force_to: date | None


class VisaCategoriesOut(Out):
    __doc__ = _(
        "The ordinary visa categories in force today, the materials every application needs, and the"
        " circumstances in which the applicant is interviewed."
    )

    categories: list[VisaCategoryOut]
    common_materials: list[VisaMaterialOut]
    interview_triggers: list[InterviewTriggerOut]


@router.get(
    "/visa-categories",
    response=VisaCategoriesOut,
    description=described(
        _("anyone."),
        filled(
            _(
                "The ordinary visa categories in force today in Beijing (China Standard Time), in the order of"
                " %(article)s, each with its own materials and whether every applicant is interviewed; the materials"
                " every application needs (%(article2)s), and the circumstances in which the visa authority abroad"
                " interviews (%(article3)s)."
            ),
            article=article("regulations", "Art. 6"),
            article2=article("regulations", "Art. 7"),
            article3=article("regulations", "Art. 8"),
        ),
    ),
    summary=_("The ordinary visa categories"),
)
def list_visa_categories(request):
    today = beijing_today()
    return {
        "categories": [
            {
                "code": c.code,
                "description": c.description.as_dict(),
                "for_residence": c.for_residence,
                "interview_always": interview_required({"visa_category": c.code}, today).required is True,
                "materials": [_material(m) for m in c.materials],
                "cite": [x.as_dict() for x in c.cite],
                "in_force_from": c.in_force_from,
                "in_force_to": c.in_force_to,
            }
            for c in visa_categories(today)
        ],
        "common_materials": [_material(m) for m in common_visa_materials()],
        "interview_triggers": [
            {"fact": t.fact, "text": t.text.as_dict(), "cite": [x.as_dict() for x in t.cite]}
            for t in interview_triggers()
        ],
    }


def _material(material: Material) -> dict[str, object]:
    return {
        "id": material.id,
        "text": material.text.as_dict(),
        "case": material.case.as_dict() if material.case else None,
        "cite": [x.as_dict() for x in material.cite],
    }
