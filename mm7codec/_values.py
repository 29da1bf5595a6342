"""Value types shared by several messages: addresses, recipients, dates and durations,
reply charging and user-agent capabilities, plus ``normalize_number``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from ._enums import AddressCoding, UnknownValue
from ._errors import AddressError
from ._repr import MAX_REPR_ITEMS, call_repr, fields_repr

__all__ = [
    "Address",
    "AddressKind",
    "Duration",
    "Number",
    "RFC2822Address",
    "ShortCode",
    "Recipients",
    "RecipientGroup",
    "RecipientKind",
    "RelativeDate",
    "ReplyCharging",
    "UACapabilities",
    "is_ncname",
    "normalize_number",
]

AddressKind = Literal["Number", "ShortCode", "RFC2822Address"]
ADDRESS_KINDS: tuple[AddressKind, ...] = ("Number", "ShortCode", "RFC2822Address")


@dataclass(frozen=True, slots=True)
class Address:
    """One MM7 address: a ``Number`` (MSISDN), a ``ShortCode`` or an ``RFC2822Address``.

    ``Address("15553199144")`` is a number; use ``kind=`` for the others, or build each kind by
    its element name: ``Number(...)``, ``ShortCode(...)``, ``RFC2822Address(...)``. The attributes
    ``display_only``, ``address_coding`` (Release 6: "encrypted" or "obfuscated") and ``id``
    (Release 6, an ``xs:ID``: an NCName unique within the message) are kept as sent; the
    encoder refuses an ``id`` that is not an NCName or that another address already uses.
    """

    value: str
    kind: AddressKind = "Number"
    display_only: bool | None = None
    address_coding: AddressCoding | UnknownValue | None = None
    id: str | None = None

    def __repr__(self) -> str:
        """``Number('15553199144')``, ``ShortCode('12345', display_only=True)``: the
        constructor of its kind, which rebuilds it, with the attributes that are set."""
        attributes = {
            name: value
            for name in ("display_only", "address_coding", "id")
            if (value := getattr(self, name)) is not None
        }
        if self.kind in ADDRESS_KINDS:
            return call_repr(self.kind, self.value, **attributes)
        return call_repr("Address", self.value, self.kind, **attributes)

    def __str__(self) -> str:
        """The address as written on the wire: ``15553199144``, ``12345``, ``a@example.com``."""
        return self.value


# One constructor per address element, named as the element is (as the message classes are),
# so that an address reads and rebuilds as ``Number('15553199144')``.


def Number(  # noqa: N802 - the element name
    value: str,
    *,
    display_only: bool | None = None,
    address_coding: AddressCoding | UnknownValue | None = None,
    id: str | None = None,
) -> Address:
    """An MSISDN, exactly as given: ``Address(value, "Number", ...)``. ``normalize_number``
    checks and normalises one first (``Number(normalize_number("+1 555 319 9144"))``)."""
    return Address(value, "Number", display_only, address_coding, id)


def ShortCode(  # noqa: N802 - the element name
    value: str,
    *,
    display_only: bool | None = None,
    address_coding: AddressCoding | UnknownValue | None = None,
    id: str | None = None,
) -> Address:
    """A short code (``ShortCode("12345")``): ``Address(value, "ShortCode", ...)``."""
    return Address(value, "ShortCode", display_only, address_coding, id)


def RFC2822Address(  # noqa: N802 - the element name
    value: str,
    *,
    display_only: bool | None = None,
    address_coding: AddressCoding | UnknownValue | None = None,
    id: str | None = None,
) -> Address:
    """An e-mail address (``RFC2822Address("a@example.com")``): ``Address(value,
    "RFC2822Address", ...)``."""
    return Address(value, "RFC2822Address", display_only, address_coding, id)


def _addresses(items: Iterable[Address | str]) -> tuple[Address, ...]:
    """Addresses as given; a plain string must be an international number and is kept in
    the form ``normalize_number`` gives (``AddressError`` otherwise)."""
    if isinstance(items, str):  # one address given as a plain string, not its characters
        items = (items,)
    addresses = []
    for item in items:
        if isinstance(item, Address):
            addresses.append(item)
        elif isinstance(item, str):
            addresses.append(Address(normalize_number(item)))
        else:
            raise TypeError(
                f"a recipient is an Address or a number as a string, not {type(item).__name__}"
            )
    return tuple(addresses)


RecipientKind = Literal["To", "Cc", "Bcc"]
RECIPIENT_KINDS: tuple[RecipientKind, ...] = ("To", "Cc", "Bcc")
#: One ``To``, ``Cc`` or ``Bcc`` element and the addresses it holds, in order.
RecipientGroup = tuple[RecipientKind, tuple[Address, ...]]


@dataclass(frozen=True, slots=True, init=False)
class Recipients:
    """The recipients of a message: To, Cc and Bcc.

    A plain string is taken as a phone number and checked and normalised by
    ``normalize_number`` (``"+1 555 319 9144"`` becomes ``Address("15553199144")``; anything
    that is no international number is an ``AddressError``). Give an ``Address`` for a short
    code or an e-mail address, or to send a number exactly as typed.

    On the wire, Recipients is a repeated choice: any number of ``To``, ``Cc`` and ``Bcc``
    elements in any order, each holding one or more addresses. ``groups`` keeps exactly that,
    one ``(kind, addresses)`` pair per element in wire order, so a decoded message re-encodes
    as it came. ``Recipients(to=..., cc=..., bcc=...)`` makes at most one group of each kind,
    in the order To, Cc, Bcc; ``Recipients.of_groups(...)`` builds any other arrangement.
    ``to``, ``cc`` and ``bcc`` give all the addresses of one kind, whatever their groups.
    """

    groups: tuple[RecipientGroup, ...]

    # Written out so type checkers accept what callers pass (lists, strings), while the
    # groups always hold tuples of Address.
    def __init__(
        self,
        to: Iterable[Address | str] = (),
        cc: Iterable[Address | str] = (),
        bcc: Iterable[Address | str] = (),
    ) -> None:
        groups = (
            (kind, _addresses(items))
            for kind, items in zip(RECIPIENT_KINDS, (to, cc, bcc), strict=True)
        )
        object.__setattr__(self, "groups", tuple(group for group in groups if group[1]))

    @classmethod
    def of_groups(
        cls, groups: Iterable[tuple[RecipientKind, Iterable[Address | str]]]
    ) -> Recipients:
        """Recipients made of these ``(kind, addresses)`` groups, in this order: the shape
        of ``<Cc>...</Cc><To>...</To><To>...</To>``. Each group needs one address or more."""
        built: list[RecipientGroup] = []
        for kind, items in groups:
            if kind not in RECIPIENT_KINDS:
                raise ValueError(f"a recipient group is To, Cc or Bcc, not {kind!r}")
            addresses = _addresses(items)
            if not addresses:
                raise ValueError(f"a {kind} group needs at least one address")
            built.append((kind, addresses))
        recipients = cls()
        object.__setattr__(recipients, "groups", tuple(built))
        return recipients

    def _of_kind(self, kind: RecipientKind) -> tuple[Address, ...]:
        return tuple(address for k, group in self.groups if k == kind for address in group)

    @property
    def to(self) -> tuple[Address, ...]:
        """Every To address, across all To groups."""
        return self._of_kind("To")

    @property
    def cc(self) -> tuple[Address, ...]:
        """Every Cc address, across all Cc groups."""
        return self._of_kind("Cc")

    @property
    def bcc(self) -> tuple[Address, ...]:
        """Every Bcc address, across all Bcc groups."""
        return self._of_kind("Bcc")

    def __bool__(self) -> bool:
        return bool(self.groups)

    def __iter__(self) -> Iterator[Address]:
        """Every recipient address, To first, then Cc, then Bcc."""
        yield from self.to
        yield from self.cc
        yield from self.bcc

    @property
    def as_three_lists(self) -> bool:
        """Whether ``to``, ``cc`` and ``bcc`` say all the groups do: at most one group of each
        kind, in the order To, Cc, Bcc (otherwise only ``groups`` keeps the arrangement)."""
        kinds = [kind for kind, _ in self.groups]
        return kinds == sorted(set(kinds), key=RECIPIENT_KINDS.index)

    def __repr__(self) -> str:
        """``Recipients(to=[Number('15553199144')])``, or ``Recipients.of_groups([...])`` when
        the groups are not one of each kind in the order To, Cc, Bcc; bounded like every
        repr here (the first few addresses of a long list, then ``...``)."""
        # Only what the repr can show is copied, so a list of 10 000 costs as much as one of 6.
        shown = MAX_REPR_ITEMS + 1
        if self.as_three_lists:
            lists = {kind.lower(): list(addresses[:shown]) for kind, addresses in self.groups}
            return call_repr("Recipients", **lists)
        groups = [(kind, list(addresses[:shown])) for kind, addresses in self.groups[:shown]]
        return call_repr("Recipients.of_groups", groups)


# XML 1.0 (fifth edition) NameStartChar and NameChar, without the colon: an NCName.
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f\u2040]*")


def is_ncname(text: str) -> bool:
    """Whether ``text`` is an XML NCName, the lexical form of an ``xs:ID`` such as an
    address ``id``: a letter or ``_`` first, then letters, digits, ``-``, ``.``, ``_``."""
    return _NCNAME.fullmatch(text) is not None


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

    __repr__ = fields_repr  # only the fields that are set

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

    @classmethod
    def from_timedelta(cls, delta: timedelta) -> Duration:
        """``delta`` as days, hours, minutes and seconds (``timedelta(hours=36)`` is
        ``P1DT12H``); microseconds are kept as decimal places of the seconds."""
        negative = delta < timedelta(0)
        delta = abs(delta)
        minutes, seconds = divmod(delta.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return cls(
            days=delta.days,
            hours=hours,
            minutes=minutes,
            seconds=Decimal(seconds) + Decimal(delta.microseconds).scaleb(-6),
            negative=negative,
        )

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


#: EarliestDeliveryTime, ExpiryDate and replyDeadline: an absolute time or a duration. A
#: ``timedelta`` is accepted wherever one is set, and kept as the equal ``Duration``.
RelativeDate = datetime | Duration


def _relative(value: RelativeDate | timedelta | None) -> RelativeDate | None:
    return Duration.from_timedelta(value) if isinstance(value, timedelta) else value


@dataclass(frozen=True, slots=True)
class ReplyCharging:
    """The ReplyCharging element: the sender pays for a reply up to ``size`` bytes, sent
    before ``deadline``."""

    size: int | None = None
    deadline: RelativeDate | None = None

    __repr__ = fields_repr  # only the fields that are set

    def __post_init__(self) -> None:
        object.__setattr__(self, "deadline", _relative(self.deadline))


@dataclass(frozen=True, slots=True)
class UACapabilities:
    """Release 6: the recipient's user-agent profile URL and when it was captured (a date
    and time, or a duration: the schema types it relative-or-absolute)."""

    ua_prof: str | None = None
    time_stamp: RelativeDate | None = None

    __repr__ = fields_repr  # only the fields that are set

    def __post_init__(self) -> None:
        object.__setattr__(self, "time_stamp", _relative(self.time_stamp))


_NUMBER_PUNCTUATION = re.compile(r"[\s\-().\u00a0]")
_PLMN_SUFFIX = "/TYPE=PLMN"


def is_number_text(text: str) -> bool:
    """Whether ``text`` can be sent as a ``Number`` element: ASCII digits with an optional
    leading ``+`` (national, ``+E.164`` and short service numbers all are)."""
    digits = text[1:] if text[:1] == "+" else text
    return digits.isascii() and digits.isdigit()


def normalize_number(text: str, *, plus: bool = False) -> str:
    """An MSISDN in the form MM7 providers require: international, digits only, no ``+``,
    ``00`` or punctuation (``"+1 (555) 319-9144"`` gives ``"15553199144"``); with
    ``plus=True``, the ``+E.164`` form some peers want instead (``"+15553199144"``).

    Raises ``AddressError`` for input that cannot be an international number: empty, letters,
    fewer than 7 or more than 15 digits (the E.164 maximum), or a first digit 0 (no E.164
    country code starts with 0, so ``"07700 900123"`` is a national number and ``"+0123..."``
    a typo: either needs its country code).
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize_number takes a str, not {type(text).__name__}")
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
    if value.startswith("0"):
        raise AddressError(
            f"not an international number: {text!r} starts with 0 after any + or 00, and no "
            "country code does (a national number? give its country code)"
        )
    return f"+{value}" if plus else value
