"""``cases.reads``: a case's lists, from SQL the ORM compiles once."""

from __future__ import annotations

import pytest

from exitentry.cases.models import Material
from exitentry.cases.reads import _ByCase


@pytest.mark.django_db
def test_a_list_whose_query_has_another_parameter_is_refused_not_run_with_the_wrong_one() -> None:
    with pytest.raises(ValueError, match="the case id must be the only parameter"):
        _ByCase(Material.objects.filter(size__gt=5))(1)


@pytest.mark.django_db
def test_the_sql_is_compiled_once_and_serves_every_case() -> None:
    by_case = _ByCase(Material.objects.order_by("pk"))
    assert by_case(1) == [] and by_case(2) == []
    assert len(by_case._compiled) == 1
