"""Text forms of XML Schema simple types, read leniently and written canonically.

The writer side is exact (one canonical form per value, so re-encoding a decoded message gives
the same bytes); the reader side accepts what real peers send and says what it tolerated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from ._values import Duration, RelativeDate

__all__ = [
    "XML_WHITESPACE",
    "escape_attribute",
    "escape_text",
    "format_boolean",
    "format_datetime",
    "format_relative_date",
    "invalid_xml_character",
    "parse_boolean",
    "parse_datetime",
    "parse_relative_date",
]

#: What XML calls white space; Python's str.strip() removes more than this.
XML_WHITESPACE = " \t\r\n"

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def parse_boolean(text: str) -> tuple[bool, bool]:
    """(value, exact): ``exact`` is False when the case was not the schema's (``True``)."""
    value = text.strip(XML_WHITESPACE)
    if value in _TRUE:
        return True, True
    if value in _FALSE:
        return False, True
    lowered = value.lower()
    if lowered in _TRUE:
        return True, False
    if lowered in _FALSE:
        return False, False
    raise ValueError(f"not an xs:boolean: {text!r}")


def format_boolean(value: bool) -> str:
    return "true" if value else "false"


_DATETIME = re.compile(
    r"(?P<date>-?\d{4,}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?"
)

# ASCII digits, a time zone, at most microseconds: what datetime.fromisoformat reads unaided.
_USUAL_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})"
)


def parse_datetime(text: str) -> tuple[datetime, list[str]]:
    """An ``xs:dateTime`` as an aware datetime, and the liberties taken to get it.

    A value without a time zone is taken as UTC (``"naive"``); fractions of a second beyond
    microseconds are cut (``"precision"``).
    """
    stripped = text.strip(XML_WHITESPACE)
    if _USUAL_DATETIME.fullmatch(stripped):
        # The shape peers send: datetime reads it as it is (Z included), no rewriting needed.
        value = datetime.fromisoformat(stripped)
        if value.tzinfo is not UTC and not value.utcoffset():
            value = value.replace(tzinfo=UTC)
        return value, []
    return parse_datetime_in_general(stripped)


def parse_datetime_in_general(text: str) -> tuple[datetime, list[str]]:
    """``parse_datetime`` for every lexical form (the usual one included: tests compare)."""
    match = _DATETIME.fullmatch(text.strip(XML_WHITESPACE))
    if match is None:
        raise ValueError(f"not an xs:dateTime: {text!r}")
    notes: list[str] = []
    fraction = match["fraction"] or ""
    if len(fraction) > 6:
        notes.append("precision")
        fraction = fraction[:6]
    zone = match["zone"]
    if zone is None:
        notes.append("naive")
        zone = "+00:00"
    elif zone == "Z":
        zone = "+00:00"
    iso = f"{match['date']}T{match['time']}{'.' + fraction.ljust(6, '0') if fraction else ''}{zone}"
    value = datetime.fromisoformat(iso)
    if value.utcoffset() == timedelta(0):
        value = value.replace(tzinfo=UTC)
    return value, notes


def format_datetime(value: datetime) -> str:
    """Canonical ``xs:dateTime``: offset kept, ``Z`` for UTC, microseconds when present."""
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"datetime {value!r} has no time zone; MM7 needs an absolute time")
    if offset % timedelta(minutes=1):
        raise ValueError(f"time zone offset {offset} is not a whole number of minutes")
    text = value.replace(tzinfo=None).isoformat()
    if offset == timedelta(0):
        return text + "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_relative_date(text: str) -> tuple[RelativeDate, list[str]]:
    """A "relative or absolute date": a duration (``P1D``) or an ``xs:dateTime``."""
    stripped = text.strip(XML_WHITESPACE)
    if stripped.startswith(("P", "-P")):
        return Duration.parse(stripped), []
    return parse_datetime(stripped)


def format_relative_date(value: RelativeDate) -> str:
    return str(value) if isinstance(value, Duration) else format_datetime(value)


# XML 1.0 allows TAB, LF, CR and everything from U+0020 except surrogates, U+FFFE and U+FFFF.
_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def invalid_xml_character(text: str) -> str | None:
    """The first character XML 1.0 cannot carry, or None."""
    match = _INVALID_XML.search(text)
    return None if match is None else match.group()


def escape_text(text: str) -> str:
    """Character data; CR is written as a reference because parsers turn a raw CR into LF."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(text: str) -> str:
    """A double-quoted attribute value; TAB, LF and CR as references so they survive
    attribute-value normalisation."""
    return escape_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
