"""Queries by one key whose SQL the ORM compiles once per process, for the reads every request makes;
``insert``, a row's insert written once; and ``insert_new`` (``insert_new_each``, of many rows at once),
an insert that yields to an existing row without an ``IntegrityError``.

Django compiles a queryset's SQL afresh each time it runs. For the small reads by one key that every
request repeats (its session, its user, an officer's halls, a case's lists, a status check's document
and permits) that compiling costs more than the database's answer. A ``KeyedQuery`` has the ORM compile
its queryset once per database, with a marker standing for the key, and keeps what the ORM's own
iterator works out from that compiling: the columns each model is built from (``select_related``
included), the annotations, and each column's converters. Each call then runs that SQL with the key and
builds the objects as ``QuerySet`` iteration does, without compiling again or, as ``raw`` would, mapping
the columns again. The query's other values (``kind__in=...``) are fixed when it is built, once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# No row has it as a key; within a 32-bit column's range (django-otp's ids), where the ORM would write no SQL
# for a value out of range.
INT_MARKER = -777_777_777
STR_MARKER = "\x00key\x00"


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A query's SQL and how its rows become objects, as ``ModelIterable`` works it out."""

    sql: str
    params: tuple  # the query's own values, the marker where the key goes
    key_at: tuple[int, ...]  # where the marker is in them
    model: type[Model]
    init_list: tuple[str, ...]  # the model's attributes, in the order of its columns
    fields: slice  # its columns in a row
    related: tuple  # ``select_related``'s populators
    annotations: tuple[tuple[str, int], ...]
    # (column, converters, expression): the backend's and the fields' own, found once per database (as
    # for the SQL, the backend's operations read only the database's settings); each call passes its
    # own connection to them, as the ORM does
    converters: tuple[tuple[int, list, object], ...]

    def params_for(self, key: object) -> tuple:
        if len(self.params) == 1:
            return (key,)
        params = list(self.params)
        for at in self.key_at:
            params[at] = key
        return tuple(params)

    def objects(self, alias: str, rows: list[tuple]) -> list[Model]:
        connection = connections[alias]
        built = []
        for values in rows:
            if self.converters:
                values = list(values)
                for pos, convs, expression in self.converters:
                    value = values[pos]
                    for convert in convs:
                        value = convert(value, expression, connection)
                    values[pos] = value
            obj = self.model.from_db(alias, self.init_list, values[self.fields])
            for populator in self.related:
                populator.populate(values, obj)
            for name, pos in self.annotations:
                setattr(obj, name, values[pos])
            built.append(obj)
        return built


class KeyedQuery:
    """``KeyedQuery(lambda key: Model.objects.filter(field=key)...)``; call it with a key for the rows."""

    def __init__(self, build: Callable[[object], QuerySet], marker: object = INT_MARKER) -> None:
        self.queryset = build(marker)
        self.marker = marker
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, key: object) -> list[Model]:
        alias = self.queryset.db
        connection = connections[alias]
        compiled = self._compiled.get((alias, connection.vendor)) or self._compile(alias, connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params_for(key))
            rows = cursor.fetchall()
        return compiled.objects(alias, rows)

    def _compile(self, alias: str, vendor: str) -> _Compiled:
        qs = self.queryset
        name = qs.model.__name__
        if (
            qs._iterable_class is not ModelIterable
            or qs._prefetch_related_lookups
            or qs._known_related_objects
        ):
            raise ValueError(f"{name}: a keyed query reads model objects, with no prefetching")
        compiler = qs.query.get_compiler(alias)
        sql, params = compiler.as_sql()  # also fills compiler.select, klass_info, annotation_col_map
        key_at = tuple(at for at, value in enumerate(params) if value == self.marker)
        if not key_at:
            raise ValueError(f"{name}: the query must use its key")
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError(f"{name}: a keyed query reads no composite fields")
        select, info = compiler.select, compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        compiled = self._compiled[(alias, vendor)] = _Compiled(
            sql=sql,
            params=tuple(params),
            key_at=key_at,
            model=info["model"],
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            fields=slice(start, end),
            related=tuple(get_related_populators(info, select, alias)),
            annotations=tuple(compiler.annotation_col_map.items()),
            converters=tuple((pos, convs, e) for pos, (convs, e) in compiler.get_converters(columns).items()),
        )
        return compiled


def insert(obj: Model) -> None:
    """Insert ``obj`` as ``save()`` would a new row, in one statement whose SQL is written once per model
    and database (``INSERT ... RETURNING`` the key), each value prepared by its field as ``save()`` does;
    for a hot path's row, whose ``save()`` would compile its insert afresh. No ``pre_save`` or
    ``post_save`` signal is sent (nor by ``insert_new``): for models without receivers."""
    _insert(obj, ())


def insert_new(obj: Model, unique: tuple[str, ...]) -> bool:
    """Insert ``obj`` unless a row with its values of the ``unique`` fields exists (then False, and
    ``obj`` stays unsaved). One statement and no savepoint, where catching an ``IntegrityError`` needs
    both: ``INSERT ... ON CONFLICT (...) DO NOTHING RETURNING`` the key (PostgreSQL and SQLite), written
    once per model and database as ``insert``'s. On PostgreSQL a conflicting insert still in flight is
    waited for."""
    return _insert(obj, unique)


def insert_new_each(objs: Sequence[Model], unique: tuple[str, ...]) -> list[Model]:
    """``insert_new`` of many new rows of one model in one statement (or one per as many rows as the
    database takes parameters for: SQLite's 999): those inserted, their keys set; the others, whose
    ``unique`` values a row has, stay unsaved. ``unique`` names fields stored as given (text, numbers)."""
    if not objs:
        return []
    model = type(objs[0])
    alias = router.db_for_write(model, instance=objs[0])
    connection = connections[alias]
    prefix, row, suffix, fields = _insert_sql(model, unique, alias)
    keys = [model._meta.get_field(name).attname for name in unique]
    by_key = {tuple(getattr(obj, key) for key in keys): obj for obj in objs}
    per = max(1, (connection.features.max_query_params or len(objs) * len(fields)) // len(fields))
    inserted = []
    for start in range(0, len(objs), per):
        chunk = objs[start : start + per]
        values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in chunk for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(f"{prefix} {', '.join([row] * len(chunk))} {suffix}", values)
            stored = cursor.fetchall()
        for pk, *key in stored:
            obj = by_key[tuple(key)]
            obj.pk = pk
            obj._state.adding, obj._state.db = False, alias
            inserted.append(obj)
    return inserted


def _insert(obj: Model, unique: tuple[str, ...]) -> bool:
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    prefix, row, suffix, fields = _insert_sql(model, unique, alias)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {row} {suffix}", values)
        stored = cursor.fetchone()
    if stored is None:
        return False
    obj.pk = stored[0]
    obj._state.adding, obj._state.db = False, alias
    return True


@cache
def _insert_sql(model: type[Model], unique: tuple[str, ...], alias: str) -> tuple[str, str, str, list]:
    """``INSERT INTO ... VALUES``, one row's placeholders, and what follows the rows (``ON CONFLICT
    (unique) DO NOTHING``, ``RETURNING`` the key and the ``unique`` columns); the fields, in order."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    uniques = [quote(meta.get_field(name).column) for name in unique]
    conflict = f"ON CONFLICT ({', '.join(uniques)}) DO NOTHING " if unique else ""
    returning = ", ".join([quote(meta.pk.column), *uniques])
    row = f"({', '.join(['%s'] * len(fields))})"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES",
        row,
        f"{conflict}RETURNING {returning}",
        fields,
    )
