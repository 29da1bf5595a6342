"""MM7 status codes (Status/StatusCode) and their classes.

The table mirrors ``specs/mm7.toml`` (a test holds the two together). Vendors send codes outside
it (25xx is common), so decoded statuses keep any number and classify it by its thousands digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ._repr import call_repr
from ._spec import SPEC

__all__ = ["Status", "StatusClass", "StatusCode", "as_status_code", "status_class", "status_text"]


class StatusCode(IntEnum):
    """The status codes of TS 23.140 (and Mbuni's 3005), with their standard texts."""

    SUCCESS = 1000
    PARTIAL_SUCCESS = 1100
    CLIENT_ERROR = 2000
    OPERATION_RESTRICTED = 2001
    ADDRESS_ERROR = 2002
    ADDRESS_NOT_FOUND = 2003
    MULTIMEDIA_CONTENT_REFUSED = 2004
    MESSAGE_ID_NOT_FOUND = 2005
    LINKED_ID_NOT_FOUND = 2006
    MESSAGE_FORMAT_CORRUPT = 2007
    APPLICATION_ID_NOT_FOUND = 2008
    REPLY_APPLICATION_ID_NOT_FOUND = 2009
    SERVER_ERROR = 3000
    NOT_POSSIBLE = 3001
    MESSAGE_REJECTED = 3002
    MULTIPLE_ADDRESSES_NOT_SUPPORTED = 3003
    APPLICATION_ADDRESSING_NOT_SUPPORTED = 3004
    COMMAND_REJECTED = 3005
    GENERAL_SERVICE_ERROR = 4000
    IMPROPER_IDENTIFICATION = 4001
    UNSUPPORTED_VERSION = 4002
    UNSUPPORTED_OPERATION = 4003
    VALIDATION_ERROR = 4004
    SERVICE_ERROR = 4005
    SERVICE_UNAVAILABLE = 4006
    SERVICE_DENIED = 4007
    APPLICATION_DENIED = 4008

    @property
    def text(self) -> str:
        return _TEXTS[self]


# Texts come from the spec; the member names and numbers above are checked against it in tests.
_TEXTS = {StatusCode(code): text for code, _name, text in SPEC.status_codes}


class StatusClass(IntEnum):
    """The thousands digit of a status code."""

    SUCCESS = 1
    CLIENT_ERROR = 2
    SERVER_ERROR = 3
    SERVICE_ERROR = 4
    UNKNOWN = 0


def status_class(code: int) -> StatusClass:
    digit = code // 1000
    return StatusClass(digit) if 1 <= digit <= 4 else StatusClass.UNKNOWN


#: Each known code's member: a look-up, where ``StatusCode(code)`` is a call through the enum
#: machinery (a response's Status is read on every response a client gets).
_MEMBERS: dict[int, StatusCode] = {member.value: member for member in StatusCode}


def as_status_code(code: int) -> int:
    """The ``StatusCode`` member for a known code, the plain number otherwise."""
    return _MEMBERS.get(code, code)


def status_text(code: int) -> str:
    """The standard text of a code, or of its class for codes outside the table."""
    known = as_status_code(code)
    if isinstance(known, StatusCode):
        return known.text
    fallback = {1: 1000, 2: 2000, 3: 3000, 4: 4000}.get(code // 1000)
    return StatusCode(fallback).text if fallback else "Unknown status"


@dataclass(frozen=True, slots=True)
class Status:
    """The Status element of every response: a code, its text and optional details."""

    code: int
    text: str | None = None
    details: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", as_status_code(int(self.code)))

    @classmethod
    def of(cls, code: int = 1000, text: str | None = None, details: str | None = None) -> Status:
        """A status with the standard text filled in when none is given."""
        return cls(code, status_text(code) if text is None else text, details)

    @property
    def status_class(self) -> StatusClass:
        return status_class(self.code)

    @property
    def is_success(self) -> bool:
        return self.status_class is StatusClass.SUCCESS

    def __repr__(self) -> str:
        """``Status(1000, 'Success')``: the arguments that rebuild it, positionally."""
        arguments: tuple[object, ...] = (int(self.code), self.text, self.details)
        while len(arguments) > 1 and arguments[-1] is None:
            arguments = arguments[:-1]
        return call_repr("Status", *arguments)

    def __str__(self) -> str:
        """``1000 Success``, ``2002 Address Error (no such subscriber)``: code, text and
        details, as logs and the command line show a status."""
        text = f"{int(self.code)} {self.text or ''}".rstrip()
        return f"{text} ({self.details})" if self.details else text
