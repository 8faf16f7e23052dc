"""The form a proxy or unit handler fills in for a person the registry does not hold yet, with a passport.

It asks what ``POST /cases`` takes as ``person`` (and ``person.passport``); nationality and issuing country
are chosen by name in the page's language and stored as the ISO 3166 alpha-3 code. The registry's own checks
(``Person.clean``, the passport number's pattern) run here, so every error is shown beside its field and
nothing is stored until the whole form is right.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exitentry.cases.services import passports
from exitentry.law.rules.travel_documents import procedure_lines, refused_as_expired
from exitentry.registry import countries, names
from exitentry.registry.models import PASSPORT_NUMBER, Person, TravelDocument
from exitentry.typed_text import normal
from exitentry.web.case_pages import today

PREFIX = "person"  # keeps the fields apart from the advisor's answers (``birth_date`` is a fact too)
PASSPORT_FIELDS = ("passport_number", "passport_country", "passport_issued_on", "passport_expires_on")


class DateInput(forms.DateInput):
    input_type = "date"


# a date typed where the browser shows no date picker: the form it is read in
_AS_ISO = {"invalid": _("Enter a real date as YYYY-MM-DD, for example 1990-05-05.")}


class NewPersonForm(forms.Form):
    # what a name may hold and its length are the registry's (``registry.names``), checked in ``clean``
    surname = forms.CharField(label=_("Surname (as in the passport)"))
    given_names = forms.CharField(label=_("Given names"), required=False)
    chinese_name = forms.CharField(label=_("Chinese name (if any)"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Choose one")), *Person.Sex.choices])
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput, error_messages=_AS_ISO)
    nationality = forms.ChoiceField(label=_("Nationality"))
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    passport_country = forms.ChoiceField(label=_("Issuing country"), required=False)
    passport_issued_on = forms.DateField(
        label=_("Date of issue"), widget=DateInput, required=False, error_messages=_AS_ISO
    )
    passport_expires_on = forms.DateField(
        label=_("Date of expiry"), widget=DateInput, required=False, error_messages=_AS_ISO
    )

    def __init__(self, *args, actor=None, procedure=None, **kwargs):
        """``actor``: who enters the person (a passport the registry holds is refused as it says, and an
        account past its refusals enters no one: ``services.passports``, then ``spent`` holds why);
        ``procedure``: the one applied for, whose travel-document line an expired passport is refused by."""
        self.actor, self.spent = actor, None
        self.procedure = procedure
        self.materials = procedure_lines(procedure) if procedure is not None else None
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        named = list(countries.choices(get_language() or "en"))
        self.fields["nationality"].choices = [("", _("Choose a country")), *named]
        self.fields["passport_country"].choices = [("", _("Choose a country")), *named]

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in PASSPORT_FIELDS]

    def passport_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PASSPORT_FIELDS]

    def clean_surname(self) -> str:
        return self._as_in_passport("surname")

    def clean_given_names(self) -> str:
        return self._as_in_passport("given_names")

    def _as_in_passport(self, name: str) -> str:
        value = self.cleaned_data[name]
        if (why := names.not_as_in_passport(value)) is not None:
            raise ValidationError(why.get(get_language() or "en"))
        return value

    def clean_passport_number(self) -> str:
        number = self.cleaned_data["passport_number"].replace(" ", "").upper()
        if number:
            PASSPORT_NUMBER(number)
        return number

    def clean(self) -> dict:
        data = super().clean()
        given = [name for name in PASSPORT_FIELDS if data.get(name)]
        if given and len(given) < len(PASSPORT_FIELDS):
            for name in PASSPORT_FIELDS:
                if name not in given and name not in self.errors:
                    self.add_error(name, _("Fill in every detail of the passport, or none."))
        issued, expires = data.get("passport_issued_on"), data.get("passport_expires_on")
        if issued and expires and expires < issued:
            self.add_error("passport_expires_on", _("A passport cannot expire before it is issued."))
        elif (
            expires
            and (old := refused_as_expired(expires, today(), self.materials, self.procedure)) is not None
        ):
            self.add_error("passport_expires_on", old.text.get(get_language() or "en"))
        if self.actor is not None:
            self._passport_free(data.get("passport_country") or "", data.get("passport_number") or "")
        if "birth_date" in data:
            try:  # the registry's own checks: typed text in NFC, no control characters, the date of birth
                self.person().full_clean(exclude=[f for f in ("sex", "nationality") if f not in data])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data

    def _passport_free(self, country: str, number: str) -> None:
        language = get_language() or "en"
        try:
            taken = passports.new_person_refused(self.actor, country, number)
        except passports.RefusalsSpent as spent:
            self.spent = spent
            self.add_error(None, spent.text.get(language))
            return
        if taken is not None:
            self.add_error("passport_number", taken.get(language))

    def person(self) -> Person:
        d = self.cleaned_data
        return Person(
            surname=normal(d.get("surname", "")),
            given_names=normal(d.get("given_names", "")),
            chinese_name=normal(d.get("chinese_name", "")),
            sex=d.get("sex", ""),
            birth_date=d["birth_date"],
            nationality=d.get("nationality", ""),
        )

    def save(self) -> Person:
        """The person and the passport, in the caller's transaction (the form must be valid)."""
        person = self.person()
        person.save()
        d = self.cleaned_data
        if d.get("passport_number"):
            TravelDocument.objects.create(
                person=person,
                number=d["passport_number"],
                issuing_country=d["passport_country"],
                issued_on=d["passport_issued_on"],
                expires_on=d["passport_expires_on"],
                claim=True,  # entered by the applicant's side: the hall checks it at intake
            )
        return person
