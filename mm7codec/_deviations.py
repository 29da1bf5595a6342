"""Records of what lenient decoding tolerated, and the policy that decides what to do with them.

One code path, two policies: the decoder reports every deviation from the standard to a
``DeviationLog``. In lenient mode the records end up on the decoded message; in strict mode the
same records are raised together as one ``DeviationError`` when decoding ends.

What a log holds is bounded, whatever the input: each record's text is cut to
``MAX_DEVIATION_TEXT`` characters (the cut is said at the end of the text), and past
``Limits.max_deviations`` records the log only counts; one last record then says how many more
there were, so nothing vanishes unannounced. A call site whose text is costly to build (an
element path under a long element name) may pass a callable instead of a string: it is only
called for a record that is kept, so past the bound reporting costs no more than a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._errors import DeviationError
from ._limits import DEFAULT_LIMITS
from ._repr import call_repr, terminal_safe

__all__ = [
    "MAX_DEVIATION_TEXT",
    "MAX_PATH_NAME",
    "MORE_DEVIATIONS",
    "Deviation",
    "DeviationLog",
    "LazyText",
    "child_path",
    "cut_text",
]

#: Characters kept of a deviation's ``detail`` and of its ``where``.
MAX_DEVIATION_TEXT = 1_000
#: Characters kept of one element name inside a path (paths nest up to ``max_xml_depth``).
MAX_PATH_NAME = 100
#: The code of the last record of a log that reached ``Limits.max_deviations``.
MORE_DEVIATIONS = "more-deviations"

#: A record's text, or a function that builds it when the record is kept.
LazyText = str | Callable[[], str]


def cut_text(text: str, length: int = MAX_DEVIATION_TEXT) -> str:
    """``text`` if it is at most ``length`` characters, else its start and how much was cut."""
    if len(text) <= length:
        return text
    return f"{text[:length]}... ({len(text) - length} more characters)"


def child_path(parent: str, name: str) -> str:
    """The path of element ``name`` under ``parent``, with the name cut to ``MAX_PATH_NAME``.

    Only the kept characters of the name are copied, so a path costs at most the bound per
    level however long the name on the wire.
    """
    return f"{parent}/{cut_text(name, MAX_PATH_NAME)}"


@dataclass(frozen=True, slots=True)
class Deviation:
    """One tolerated departure from the standard: a stable ``code``, a human ``detail`` and
    ``where`` it was seen (element path or MIME location). Text recorded by the decoder is at
    most ``MAX_DEVIATION_TEXT`` characters, with the cut said."""

    code: str
    detail: str
    where: str = ""
    status_code: int = 2007

    def __repr__(self) -> str:
        """``Deviation('padded-transaction-id', 'TransactionID ...', where='...')``: the
        detail and place cut as every repr here, the status code only when not 2007."""
        keywords: dict[str, object] = {"where": self.where} if self.where else {}
        if self.status_code != 2007:
            keywords["status_code"] = self.status_code
        return call_repr("Deviation", self.code, self.detail, **keywords)

    def __str__(self) -> str:
        """One line for a log: ``code at place: detail`` (``code: detail`` when the place is
        unknown), with line breaks and other control characters escaped."""
        place = f" at {self.where}" if self.where else ""
        return terminal_safe(f"{self.code}{place}: {self.detail}")


class DeviationLog:
    """Collects up to ``limit`` deviations and counts the rest; ``check()`` raises them at the
    end when ``strict``."""

    __slots__ = ("strict", "limit", "_kept", "_more")

    def __init__(self, strict: bool, limit: int = DEFAULT_LIMITS.max_deviations) -> None:
        self.strict = strict
        self.limit = limit
        self._kept: list[Deviation] = []
        self._more = 0

    def report(
        self, code: str, detail: LazyText, where: LazyText = "", status_code: int = 2007
    ) -> None:
        if len(self._kept) >= self.limit:
            self._more += 1  # past the bound: neither text is built
            return
        if not isinstance(detail, str):
            detail = detail()
        if not isinstance(where, str):
            where = where()
        self._kept.append(Deviation(code, cut_text(detail), cut_text(where), status_code))

    @property
    def records(self) -> tuple[Deviation, ...]:
        """The kept records, in the order met; if some were only counted, one last record
        says how many."""
        if not self._more:
            return tuple(self._kept)
        more = Deviation(
            MORE_DEVIATIONS,
            f"{self._more} more deviation(s) not recorded (max_deviations={self.limit})",
        )
        return (*self._kept, more)

    def check(self) -> None:
        """In strict mode, refuse the message if anything was tolerated."""
        if self.strict and (self._kept or self._more):
            raise DeviationError(self.records)
