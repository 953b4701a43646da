"""Answers kept until the data changes.

An answer that many pages read and that costs far more to work out than to show (an
intervention's deadlines) is kept, in each worker process, with the version of the data it
was worked out from (`interventions.models.data_version`: a new version with every change
saved). A page reads the version (one small query) and uses the kept answer while it is the
same; the first page after a change works the answer out again. The key must hold everything
else the answer depends on (the intervention, the day, settings).

Kept answers are shared between requests and threads: they must be immutable (tuples of
frozen dataclasses), and a caller that wants to change one copies it first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_every: list[Kept] = []


class Kept:
    """Answers by key, each with the data version it was worked out from; the `kept` most
    recently used keys are kept."""

    def __init__(self, kept: int = 256) -> None:
        self.kept = kept
        self._answers: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()  # a worker's threads share it
        _every.append(self)

    def get(self, key: Hashable, version: str, work_out: Callable[[], Any]) -> Any:
        with self._lock:
            found = self._answers.get(key)
            if found is not None and found[0] == version:
                self._answers.move_to_end(key)
                return found[1]
        answer = work_out()
        with self._lock:
            self._answers[key] = (version, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.kept:
                self._answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def forget_all() -> None:
    """Drop every kept answer (the tests start each test with none)."""
    for kept in _every:
        kept.clear()
