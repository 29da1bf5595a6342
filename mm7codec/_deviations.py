"""Records of what lenient decoding tolerated, and the policy that decides what to do with them.

One code path, two policies: the decoder reports every deviation from the standard to a
``DeviationLog``; in lenient mode the log keeps it (it ends up on the decoded message), in strict
mode the same record is raised as a ``DeviationError``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import DeviationError

__all__ = ["Deviation", "DeviationLog"]


@dataclass(frozen=True, slots=True)
class Deviation:
    """One tolerated departure from the standard: a stable ``code``, a human ``detail`` and
    ``where`` it was seen (element path or MIME location)."""

    code: str
    detail: str
    where: str = ""
    status_code: int = 2007


class DeviationLog:
    """Collects deviations, or raises the first one when ``strict``."""

    __slots__ = ("strict", "records")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.records: list[Deviation] = []

    def report(self, code: str, detail: str, where: str = "", status_code: int = 2007) -> None:
        record = Deviation(code, detail, where, status_code)
        if self.strict:
            raise DeviationError(record)
        self.records.append(record)
