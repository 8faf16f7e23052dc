"""``LatestMovement`` is each person's last movement (by day, then by record) after any mix of inserts,
updates and deletes of ``EntryExit`` rows, through the ORM and bulk writes alike: the database triggers keep
it (``registry.latest``)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from exitentry.registry.models import EntryExit, LatestMovement, Person
from factories import TravelDocumentFactory

day = st.integers(0, 20).map(lambda n: date(2026, 1, 1) + timedelta(days=n))
step = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 2), day, st.sampled_from(["entry", "exit"])),
    st.tuples(st.just("bulk"), st.integers(0, 2), day, st.sampled_from(["entry", "exit"])),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 2), day),
    st.tuples(st.just("delete"), st.integers(0, 30)),
)


def expected() -> dict[int, tuple[int, str, date, int]]:
    last: dict[int, EntryExit] = {}
    for m in EntryExit.objects.all():
        if m.person_id not in last or (m.on, m.pk) > (last[m.person_id].on, last[m.person_id].pk):
            last[m.person_id] = m
    return {p: (m.pk, m.direction, m.on, m.travel_document_id) for p, m in last.items()}


class LatestMovementIsKeptByTheDatabase(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(step, min_size=1, max_size=12))
    def test_it_is_the_last_movement_after_any_writes(self, steps) -> None:
        people, documents = [], []
        for _ in range(3):
            p = Person.objects.create(surname="Test", sex="F", birth_date=date(1990, 1, 1), nationality="DEU")
            people.append(p)
            documents.append(TravelDocumentFactory(person=p))
        for kind, *args in steps:
            movements = list(EntryExit.objects.order_by("pk"))
            if kind in ("add", "bulk"):
                who, on, direction = args
                row = EntryExit(
                    person=people[who], direction=direction, on=on, port="PEK", travel_document=documents[who]
                )
                row.save() if kind == "add" else EntryExit.objects.bulk_create([row])
            elif kind == "move" and movements:
                index, who, on = args
                EntryExit.objects.filter(pk=movements[index % len(movements)].pk).update(
                    person=people[who], on=on, travel_document=documents[who]
                )
            elif kind == "delete" and movements:
                movements[args[0] % len(movements)].delete()
            held = {
                m.person_id: (m.movement_id, m.direction, m.on, m.travel_document_id)
                for m in LatestMovement.objects.all()
            }
            assert held == expected()
