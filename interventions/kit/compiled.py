"""Queries whose SQL is built once and run many times.

Some queries cost more to build than to run: the inbox's, whose rules (who may update what,
delegations, the improvement team) are subqueries several levels deep, and which Django
compiles again on every page (the header's count is on every signed-in page). Their SQL
depends only on who asks and on which day, because every rule that reads the database is a
subquery in them, not a value read beforehand. So the SQL is compiled once for each such key
and kept; each page still runs it, and so reads what is true now.

`tests/test_inbox.py` checks that building these querysets reads nothing from the database: a
rule that read a value first (a list of ids, say) would be frozen into the kept SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Compiled:
    """A query's SQL and parameters, and the model its rows are of."""

    # None for a query that can match nothing (`.none()`, an empty `__in`): nothing to run.
    sql: str | None
    params: tuple[Any, ...]
    model: type[Model]

    def rows(self) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Its columns' names (as the database gives them) and its rows."""
        if self.sql is None:
            return [], []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return [column[0] for column in cursor.description], list(cursor.fetchall())


class CompiledQueries:
    """SQL compiled once per key, the most recent `kept` keys kept (the oldest dropped first).
    The key must hold everything the SQL depends on other than the database's contents."""

    def __init__(self, kept: int = 4096) -> None:
        self.kept = kept
        self._by_key: dict[Hashable, Compiled] = {}
        self._lock = threading.Lock()  # a worker's threads share it

    def get(self, key: Hashable, build: Callable[[], QuerySet[Any]]) -> Compiled:
        found = self._by_key.get(key)
        if found is None:
            found = compile_values(build())
            with self._lock:
                if len(self._by_key) >= self.kept:
                    self._by_key.pop(next(iter(self._by_key)))
                self._by_key[key] = found
        return found


def compile_values(queryset: QuerySet[Any]) -> Compiled:
    """A `values()` or `values_list()` queryset's SQL and parameters."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return Compiled(None, (), queryset.model)
    return Compiled(sql, tuple(params), queryset.model)
