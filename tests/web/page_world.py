"""Shared by the case page tests: a fixed day, uploads in a temporary folder, signed-in clients, and the
people of every role with a case of their own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from case_helpers import client_for, pdf, submitted  # noqa: F401 - the page tests import them from here
from exitentry.accounts.models import Role
from factories import TODAY, PersonFactory, UnitFactory, UserFactory, applicant, officer

ROLES = ("applicant", "proxy", "unit", "officer", "supervisor", "institution", "administrator", "anonymous")
APPLICANT_SIDE = ("applicant", "proxy", "unit")
HALL_SIDE = ("officer", "supervisor")


@pytest.fixture(autouse=True)
def pages_today(monkeypatch):
    """The pages apply the rules on ``TODAY`` (a Monday with no holiday near), as the case helpers do."""
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: TODAY)
    return TODAY


def html(response) -> str:
    return response.content.decode()


@dataclass
class World:
    """A user of every role; each applicant-side user with a case of its own at the reception hall, and a
    stranger's case at another hall."""

    users: dict
    own: dict
    other: object

    def user(self, role: str):
        return self.users.get(role)

    def client(self, role: str) -> Client:
        return client_for(self.users.get(role))


def make_world() -> World:
    owner = applicant()
    agent = UserFactory(role=Role.PROXY)
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    applicant_case = submitted(owner, "rp-work")
    other = submitted(applicant(), "rp-work")
    other.hall_id = "zhongguancun"
    other.save(update_fields=["hall_id"])
    users = {
        "applicant": owner,
        "proxy": agent,
        "unit": handler,
        "officer": officer(applicant_case.hall_id),
        "supervisor": officer(applicant_case.hall_id, role=Role.SUPERVISOR),
        "institution": UserFactory(role=Role.INSTITUTION),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        "anonymous": None,
    }
    own = {
        "applicant": applicant_case,
        "proxy": submitted(agent, "rp-work", person=PersonFactory()),
        "unit": submitted(handler, "rp-work", person=PersonFactory()),
    }
    for role in ("officer", "supervisor", "institution", "administrator", "anonymous"):
        own[role] = applicant_case  # at the hall of the officer and the supervisor
    return World(users, own, other)
