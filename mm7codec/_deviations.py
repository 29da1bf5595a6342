"""Records of what lenient decoding tolerated, and the policy that decides what to do with them.

One code path, two policies: the decoder reports every deviation from the standard to a
``DeviationLog``. In lenient mode the records end up on the decoded message; in strict mode the
same records, all of them, are raised together as one ``DeviationError`` when decoding ends.
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
    """Collects deviations; ``check()`` raises them all at the end when ``strict``."""

    __slots__ = ("strict", "records")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.records: list[Deviation] = []

    def report(self, code: str, detail: str, where: str = "", status_code: int = 2007) -> None:
        self.records.append(Deviation(code, detail, where, status_code))

    def check(self) -> None:
        """In strict mode, refuse the message if anything was tolerated."""
        if self.strict and self.records:
            raise DeviationError(tuple(self.records))
