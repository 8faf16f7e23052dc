"""``accounts`` migration 0016: every invitation already there gets a token seed of its own, so no two make
the same link (``accounts.invitations.token``)."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from exitentry import clock
from exitentry.accounts.invitations import token
from exitentry.accounts.models import HandlerInvitation, Role
from factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("exitentry.accounts.migrations.0016_handler_invitation_token_seed")


def test_each_invitation_there_gets_a_seed_of_its_own() -> None:
    unit = UnitFactory()
    admin = UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True)
    for n in range(3):
        HandlerInvitation.objects.create(
            unit=unit,
            email=f"hire{n}@example.org",
            language="en",
            token_hash=f"{n:064x}",
            token_seed="one seed, as adding the column gave them all",
            invited_by=admin,
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(hours=72),
        )
    migration.seed_each(apps, None)
    invitations = list(HandlerInvitation.objects.all())
    assert len({i.token_seed for i in invitations}) == 3
    assert len({token(i) for i in invitations}) == 3
    assert all(len(i.token_seed) >= 40 for i in invitations)
