"""Value types shared by several messages: addresses, recipients, dates and durations,
reply charging and user-agent capabilities, plus ``normalize_number``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from ._errors import AddressError

__all__ = [
    "Address",
    "AddressKind",
    "Duration",
    "Recipients",
    "RelativeDate",
    "ReplyCharging",
    "UACapabilities",
    "normalize_number",
]

AddressKind = Literal["Number", "ShortCode", "RFC2822Address"]
ADDRESS_KINDS: tuple[AddressKind, ...] = ("Number", "ShortCode", "RFC2822Address")


@dataclass(frozen=True, slots=True)
class Address:
    """One MM7 address: a ``Number`` (MSISDN), a ``ShortCode`` or an ``RFC2822Address``.

    ``Address("15553199144")`` is a number; use ``kind=`` for the others. The attributes
    ``display_only``, ``address_coding`` (Release 6: "encrypted" or "obfuscated") and ``id``
    (Release 6) are kept as sent.
    """

    value: str
    kind: AddressKind = "Number"
    display_only: bool | None = None
    address_coding: str | None = None
    id: str | None = None


def _addresses(items: Iterable[Address | str]) -> tuple[Address, ...]:
    return tuple(item if isinstance(item, Address) else Address(item) for item in items)


@dataclass(frozen=True, slots=True, init=False)
class Recipients:
    """The To, Cc and Bcc lists of a message. Plain strings are taken as numbers."""

    to: tuple[Address, ...] = field(default=())
    cc: tuple[Address, ...] = field(default=())
    bcc: tuple[Address, ...] = field(default=())

    # Written out so type checkers accept what callers pass (lists, strings), while the
    # attributes are always tuples of Address.
    def __init__(
        self,
        to: Iterable[Address | str] = (),
        cc: Iterable[Address | str] = (),
        bcc: Iterable[Address | str] = (),
    ) -> None:
        object.__setattr__(self, "to", _addresses(to))
        object.__setattr__(self, "cc", _addresses(cc))
        object.__setattr__(self, "bcc", _addresses(bcc))

    def __bool__(self) -> bool:
        return bool(self.to or self.cc or self.bcc)

    def __iter__(self) -> Iterator[Address]:
        """Every recipient address, To first, then Cc, then Bcc."""
        yield from self.to
        yield from self.cc
        yield from self.bcc


_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)


@dataclass(frozen=True, slots=True)
class Duration:
    """An ``xs:duration`` such as ``P1D`` or ``PT2H30M``: the relative form of MM7's
    "relative or absolute date" (EarliestDeliveryTime, ExpiryDate, replyDeadline).

    Kept as its components, because months and years have no fixed length in seconds.
    """

    years: int = 0
    months: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: Decimal = Decimal(0)
    negative: bool = False

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.fullmatch(text.strip())
        if match is None or text.strip().endswith(("P", "T")):
            raise ValueError(f"not an xs:duration: {text!r}")
        parts = match.groupdict()
        return cls(
            years=int(parts["years"] or 0),
            months=int(parts["months"] or 0),
            days=int(parts["days"] or 0),
            hours=int(parts["hours"] or 0),
            minutes=int(parts["minutes"] or 0),
            seconds=Decimal(parts["seconds"] or 0),
            negative=parts["sign"] == "-",
        )

    def __str__(self) -> str:
        date = "".join(
            f"{n}{unit}"
            for n, unit in ((self.years, "Y"), (self.months, "M"), (self.days, "D"))
            if n
        )
        time = "".join(f"{n}{unit}" for n, unit in ((self.hours, "H"), (self.minutes, "M")) if n)
        if self.seconds:
            time += f"{self.seconds:f}S"
        if not date and not time:
            time = "0S"
        return f"{'-' if self.negative else ''}P{date}{'T' + time if time else ''}"

    def to_timedelta(self) -> timedelta:
        """The duration as a timedelta; only possible without years and months."""
        if self.years or self.months:
            raise ValueError("a duration with years or months has no fixed length")
        delta = timedelta(
            days=self.days, hours=self.hours, minutes=self.minutes, seconds=float(self.seconds)
        )
        return -delta if self.negative else delta


_MAX_COMPONENT = 10**18 - 1
_MAX_SECONDS_PLACES = 18


def duration_problem(duration: Duration) -> str | None:
    """Why ``duration`` has no ``xs:duration`` text that reads back as it is, or None.

    The sign is the whole duration's (``negative``), so every component is a non-negative
    int (seconds: an int or a finite Decimal) of at most 18 digits before the point, and
    seconds have at most 18 decimal places. A float is refused: its text would not read
    back as the same number. ``Duration`` itself accepts anything, as dataclasses do; the
    encoder asks this before writing one.
    """
    for name in ("years", "months", "days", "hours", "minutes"):
        value = getattr(duration, name)
        if isinstance(value, bool) or not isinstance(value, int):
            return f"Duration.{name} must be an int, not {type(value).__name__}"
        if not 0 <= value <= _MAX_COMPONENT:
            return f"Duration.{name} must be from 0 to {_MAX_COMPONENT} (the sign is negative=)"
    seconds = duration.seconds
    if isinstance(seconds, bool) or not isinstance(seconds, (int, Decimal)):
        return f"Duration.seconds must be a Decimal or an int, not {type(seconds).__name__}"
    if isinstance(seconds, Decimal):
        if not seconds.is_finite():
            return f"Duration.seconds must be a finite number, not {seconds}"
        if seconds and seconds.as_tuple().exponent < -_MAX_SECONDS_PLACES:  # type: ignore[operator]
            return f"Duration.seconds has more than {_MAX_SECONDS_PLACES} decimal places"
    if not 0 <= seconds <= _MAX_COMPONENT:
        return f"Duration.seconds must be from 0 to {_MAX_COMPONENT} (the sign is negative=)"
    if not isinstance(duration.negative, bool):
        return f"Duration.negative must be a bool, not {type(duration.negative).__name__}"
    return None


#: EarliestDeliveryTime, ExpiryDate and replyDeadline: an absolute time or a duration.
RelativeDate = datetime | Duration


@dataclass(frozen=True, slots=True)
class ReplyCharging:
    """The ReplyCharging element: the sender pays for a reply up to ``size`` bytes, sent
    before ``deadline``."""

    size: int | None = None
    deadline: RelativeDate | None = None


@dataclass(frozen=True, slots=True)
class UACapabilities:
    """Release 6: the recipient's user-agent profile URL and when it was captured."""

    ua_prof: str | None = None
    time_stamp: datetime | None = None


_NUMBER_PUNCTUATION = re.compile(r"[\s\-().\u00a0]")
_PLMN_SUFFIX = "/TYPE=PLMN"


def normalize_number(text: str) -> str:
    """An MSISDN in the form MM7 providers require: international, digits only, no ``+``,
    ``00`` or punctuation (``"+1 (555) 319-9144"`` gives ``"15553199144"``).

    Raises ``AddressError`` for input that cannot be an international number: empty, letters,
    fewer than 7 or more than 15 digits (the E.164 maximum).
    """
    value = text.strip()
    if value.upper().endswith(_PLMN_SUFFIX):
        value = value[: -len(_PLMN_SUFFIX)]
    value = _NUMBER_PUNCTUATION.sub("", value)
    if value.startswith("+"):
        value = value[1:]
    elif value.startswith("00"):
        value = value[2:]
    if not value:
        raise AddressError(f"not a phone number: {text!r} is empty")
    if not value.isascii() or not value.isdigit():
        raise AddressError(f"not a phone number: {text!r} has characters other than digits")
    if len(value) > 15:
        raise AddressError(f"not an international number: {text!r} has more than 15 digits")
    if len(value) < 7:
        raise AddressError(
            f"not an international number: {text!r} has fewer than 7 digits (a short code?)"
        )
    return value
