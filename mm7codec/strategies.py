"""Hypothesis strategies for every MM7 message type in every supported version.

Shipped in the package so that users can property-test their own MM7 code::

    from hypothesis import given
    from mm7codec import DeliverReq
    from mm7codec.strategies import messages

    @given(messages(version="6.8.0", message_type=DeliverReq))
    def test_my_gateway_accepts_any_mo(message: DeliverReq) -> None: ...

The strategies read the same spec tables as the codec, so they produce exactly the elements
each version allows, with the values its schema allows: enumerations per message type and
namespace, positive integers where the schema says positiveInteger, address ids that are
NCNames unique within the message, recipients as any arrangement of To, Cc and Bcc groups.
Every generated message encodes without error and decodes back equal.
Importing this module needs ``hypothesis``; importing ``mm7codec`` does not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Literal, TypeVar, overload

from hypothesis import strategies as st

from ._catalog import schema_of_version
from ._decoder import decode
from ._dialects import DIALECTS, WireMessage
from ._encoder import encode
from ._errors import MM7Error
from ._messages import MESSAGE_TYPES, Fault, Message, Response
from ._parts import Part
from ._soap_decode import fault_version
from ._spec import SPEC
from ._status import Status, StatusCode
from ._values import (
    ADDRESS_KINDS,
    RECIPIENT_KINDS,
    Address,
    Duration,
    Recipients,
    ReplyCharging,
    UACapabilities,
)
from ._versions import SUPPORTED_VERSIONS, MM7Version, namespace_for_version

__all__ = [
    "SentBy",
    "WireMessage",
    "addresses",
    "datetimes",
    "durations",
    "messages",
    "parts",
    "statuses",
    "versions",
    "wire_messages",
    "xml_text",
]

_XML_WHITESPACE = " \t\r\n"
_INVALID_CONTROLS = "".join(chr(c) for c in range(32) if c not in (9, 10, 13))


def xml_text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text XML 1.0 can carry: markup characters, CR, non-BMP characters included."""
    return st.text(
        st.characters(codec="utf-8", exclude_characters=_INVALID_CONTROLS + "\ufffe\uffff"),
        min_size=min_size,
        max_size=max_size,
    )


def _tokens(min_size: int = 0) -> st.SearchStrategy[str]:
    """Text without leading or trailing white space (what ID-like elements carry)."""
    return (
        xml_text(min_size=min_size)
        .map(lambda s: s.strip(_XML_WHITESPACE))
        .filter(lambda s: len(s) >= min_size)
    )


def versions() -> st.SearchStrategy[str]:
    """A supported MM7Version value."""
    return st.sampled_from([str(v) for v in SUPPORTED_VERSIONS])


def _time_zones() -> st.SearchStrategy[timezone]:
    return st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


def datetimes() -> st.SearchStrategy[datetime]:
    """Aware datetimes with whole-minute offsets, as xs:dateTime can carry them."""
    return st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_time_zones()
    )


def durations() -> st.SearchStrategy[Duration]:
    small = st.integers(0, 1000)
    return st.builds(
        Duration,
        years=small,
        months=small,
        days=small,
        hours=small,
        minutes=small,
        seconds=st.decimals(0, 10**6, places=3, allow_nan=False, allow_infinity=False),
        negative=st.booleans(),
    )


def _relative_dates() -> st.SearchStrategy[Any]:
    return st.one_of(datetimes(), durations())


_DIGITS = "0123456789"
_NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"


def _ncnames() -> st.SearchStrategy[str]:
    """NCNames (the lexical space of xs:ID): a letter or ``_`` first, no colon or space."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_NAME_START),
        st.text(_NAME_START + _DIGITS + ".-", max_size=12),
    )


def addresses(schema: int | None = None) -> st.SearchStrategy[Address]:
    """Addresses of every kind; Release 6 attributes only where the schema has them. Ids are
    NCNames; ``messages`` also makes them unique within each message, as xs:ID requires."""
    schema = len(SPEC.namespaces) - 1 if schema is None else schema
    rel6 = SPEC.releases[schema] >= 6
    values = {
        "Number": st.text(_DIGITS, min_size=7, max_size=15),
        "ShortCode": st.text(_DIGITS, min_size=3, max_size=8),
        "RFC2822Address": st.tuples(_tokens(1), _tokens(1)).map(lambda p: f"{p[0]}@{p[1]}"),
    }

    def build(kind: str) -> st.SearchStrategy[Address]:
        return st.builds(
            Address,
            value=values[kind],
            kind=st.just(kind),
            display_only=st.none() | st.booleans(),
            address_coding=st.none() | st.sampled_from(SPEC.enum_values("AddressCoding", schema))
            if rel6
            else st.none(),
            id=st.none() | _ncnames() if rel6 else st.none(),
        )

    return st.one_of([build(kind) for kind in ADDRESS_KINDS])


def _text_addresses() -> st.SearchStrategy[Address]:
    """Addresses a schema writes as plain text (SenderAddress in REL-5-MM7-1-0 and 1-1): no
    attributes, and values whose kind reads back from the text."""
    return st.one_of(
        st.text(_DIGITS, min_size=7, max_size=15).map(lambda v: Address(v, "Number")),
        st.text(_DIGITS, min_size=3, max_size=6).map(lambda v: Address(v, "ShortCode")),
        st.tuples(_tokens(1), _tokens(1)).map(
            lambda p: Address(f"{p[0]}@{p[1]}", "RFC2822Address")
        ),
    )


def _recipients(schema: int) -> st.SearchStrategy[Recipients]:
    """Any arrangement of To, Cc and Bcc groups, each with one address or more."""
    group = st.tuples(
        st.sampled_from(RECIPIENT_KINDS), st.lists(addresses(schema), min_size=1, max_size=3)
    )
    return st.lists(group, min_size=1, max_size=4).map(Recipients.of_groups)


def _status_codes() -> st.SearchStrategy[int]:
    return st.sampled_from(list(StatusCode)) | st.integers(1000, 4999)


def statuses() -> st.SearchStrategy[Status]:
    """Known and vendor status codes, each with a text (the schema requires StatusText), with
    or without details."""
    return st.builds(
        Status,
        code=_status_codes(),
        text=xml_text(),
        details=st.none() | xml_text(),
    )


def _code_only_statuses() -> st.SearchStrategy[Status]:
    """The Status of extendedCancelRsp and extendedReplaceRsp: a StatusCode alone."""
    return st.builds(Status, code=_status_codes())


_LEAF_TYPES = (
    "image/jpeg",
    "image/gif",
    "audio/amr",
    "video/3gpp",
    "text/plain",
    "application/smil",
)
_IDS = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@$", min_size=1, max_size=24
)
_NAMES = st.text(
    st.characters(codec="utf-8", categories=("L", "N"), include_characters="._-"),
    min_size=1,
    max_size=20,
)


def _leaves() -> st.SearchStrategy[Part]:
    def build(media_type: str) -> st.SearchStrategy[Part]:
        textual = media_type.startswith("text/") or media_type == "application/smil"
        body = (
            xml_text(max_size=200).map(lambda s: s.encode("utf-8"))
            if textual
            else st.binary(max_size=600)
        )
        params = (
            st.just({"charset": "utf-8"})
            if textual
            else st.none() | _NAMES.map(lambda name: {"name": name})
        )
        return st.builds(
            Part.from_bytes,
            body,
            st.just(media_type),
            content_id=st.none() | _IDS,
            content_location=st.none() | _NAMES,
            params=params,
        )

    return st.one_of([build(media_type) for media_type in _LEAF_TYPES])


def parts(max_depth: int = 3) -> st.SearchStrategy[Part]:
    """MMS content trees: leaves of common media types, nested multipart/mixed and
    multipart/related up to ``max_depth`` levels."""
    return st.recursive(
        _leaves(),
        lambda children: st.builds(
            Part.multipart,
            st.lists(children, min_size=1, max_size=4),
            st.sampled_from(["mixed", "related"]),
            content_id=st.none() | _IDS,
        ),
        max_leaves=3 ** max(max_depth - 1, 0) + 1,
    )


def _content_part() -> st.SearchStrategy[Part]:
    """A message's content: the top part always has a Content-ID, as senders set one."""
    return st.builds(lambda part, cid: replace(part, content_id=cid), parts(), _IDS)


def _simple_values(schema: int) -> dict[str, Callable[[], st.SearchStrategy[Any]]]:
    """The strategy for each non-enumerated schema type, built on demand."""
    return {
        "token": _tokens,
        "string": xml_text,
        "boolean": st.booleans,
        "positiveInteger": lambda: st.integers(1, 10**12),
        "dateTime": datetimes,
        "relativeDate": _relative_dates,
        "Address": lambda: addresses(schema),
        "AddressText": _text_addresses,
        "Recipients": lambda: _recipients(schema),
        "Status": statuses,
        "StatusCodeOnly": _code_only_statuses,
        "ReplyCharging": lambda: st.builds(
            ReplyCharging,
            size=st.none() | st.integers(1, 10**9),
            deadline=st.none() | _relative_dates(),
        ),
        "UACapabilities": lambda: st.builds(
            UACapabilities,
            ua_prof=st.none() | _tokens(1),
            time_stamp=st.none() | _relative_dates(),
        ),
        "DeliveryCondition": lambda: st.lists(st.integers(1, 10**6), min_size=1, max_size=4).map(
            tuple
        ),
        "UserAgents": lambda: st.lists(addresses(schema), min_size=1, max_size=3).map(tuple),
        "DateTimes": lambda: st.lists(_relative_dates(), min_size=1, max_size=3).map(tuple),
    }


# The strategies below are built once per schema (or version) and message type and then
# reused: building them anew for every example used to cost more than drawing from them.


@functools.cache
def _value(kind: str, schema: int) -> st.SearchStrategy[Any]:
    if kind.startswith("enum:"):
        return st.sampled_from(SPEC.enum_values(kind.removeprefix("enum:"), schema))
    return _simple_values(schema)[kind]()


def _without_orphan_adaptations(values: dict[str, Any]) -> dict[str, Any]:
    """allowAdaptations is an attribute of Content: without content there is none."""
    if values["content"] is None and values["allow_adaptations"] is not None:
        return {**values, "allow_adaptations": None}
    return values


@functools.cache
def _fields(name: str, schema: int, content: bool) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for element in SPEC.messages[name].in_schema(schema):
        for member in element.members:
            if member.field == "version":
                continue
            if member.type == "Content":
                if content:
                    fields["content"] = st.none() | _content_part()
                    fields["allow_adaptations"] = st.none() | st.booleans()
                continue
            value = _value(member.type, schema)
            fields[member.field] = value if member.required else st.none() | value
    if "content" not in fields:
        return st.fixed_dictionaries(fields)
    return st.fixed_dictionaries(fields).map(_without_orphan_adaptations)


def _message_names(schema: int) -> list[str]:
    names = [name for name, spec in SPEC.messages.items() if spec.since <= schema]
    return [*names, "Fault"]


@functools.cache
def _message(version: str, name: str, content: bool) -> st.SearchStrategy[Message]:
    schema = schema_of_version(version)
    if name == "Fault":
        return _fault(version, schema)
    cls = MESSAGE_TYPES[name]

    def build(values: dict[str, Any], transaction_id: str) -> Message:
        return cls(transaction_id=transaction_id, version=version, **_with_unique_ids(values))

    return st.builds(build, _fields(name, schema, content), _tokens(1))


def _with_unique_ids(values: dict[str, Any]) -> dict[str, Any]:
    """The field values with every address id made unique within the message (an xs:ID),
    by giving a repeated id a numbered suffix, which keeps it an NCName."""
    seen: set[str] = set()

    def unique(address: Address) -> Address:
        if address.id is None:
            return address
        identifier, count = address.id, 0
        while identifier in seen:
            count += 1
            identifier = f"{address.id}.{count}"
        seen.add(identifier)
        return address if identifier == address.id else replace(address, id=identifier)

    def fix(value: Any) -> Any:
        if isinstance(value, Address):
            return unique(value)
        if isinstance(value, Recipients):
            return Recipients.of_groups(
                (kind, [unique(a) for a in group]) for kind, group in value.groups
            )
        if isinstance(value, tuple) and value and isinstance(value[0], Address):
            return tuple(unique(a) for a in value)
        return value

    return {key: fix(value) for key, value in values.items()}


def _fault(version: str, schema: int) -> st.SearchStrategy[Message]:
    responses = [
        name
        for name, spec in SPEC.messages.items()
        if spec.since <= schema and issubclass(MESSAGE_TYPES[name], Response)
    ]
    namespace = namespace_for_version(version)

    def build(
        detail: Message | None, transaction_id: str, code: str, text: str, actor: Any
    ) -> Fault:
        assert detail is None or isinstance(detail, Response)
        return Fault(
            transaction_id=transaction_id if detail is None else detail.transaction_id,
            version=fault_version(namespace or "") if detail is None else version,
            namespace=namespace or "",
            faultcode=code,
            faultstring=text,
            faultactor=actor,
            detail=detail,
        )

    details = st.none() | st.one_of([_message(version, name, False) for name in responses])
    return st.builds(
        build,
        details,
        _tokens(1),
        st.sampled_from(["Client", "Server", "Client.Authentication"]),
        xml_text(),
        st.none() | _tokens(1),
    )


#: Who sends a request, as ``messages(sent_by=...)`` takes it: the MMSC (the relay/server,
#: R/S, which ``mm7codec.Side`` calls ``"rs"``) or the VASP.
SentBy = Literal["mmsc", "vasp"]
_DIRECTIONS: dict[str, str] = {"mmsc": "R/S to VASP", "vasp": "VASP to R/S"}
_MessageT = TypeVar("_MessageT", bound=Message)


def _class_of(name: str) -> type[Message]:
    return Fault if name == "Fault" else MESSAGE_TYPES[name]


def _wanted(message_type: str | type[Message] | None, sent_by: str | None) -> Callable[[str], bool]:
    """Which message type names ``messages`` may draw, whatever the version."""
    if message_type is None:
        wanted_class: type[Message] = Message
    elif isinstance(message_type, str):
        if message_type != "Fault" and message_type not in SPEC.messages:
            raise ValueError(f"unknown MM7 message type {message_type!r}")
        wanted_class = _class_of(message_type)
    elif isinstance(message_type, type) and issubclass(message_type, Message):
        wanted_class = message_type
    else:
        raise TypeError(f"message_type is a name or a Message class, not {message_type!r}")
    if sent_by is None:
        return lambda name: issubclass(_class_of(name), wanted_class)
    direction = _DIRECTIONS.get(sent_by)
    if direction is None:
        raise ValueError(f"sent_by is 'mmsc' or 'vasp', not {sent_by!r}")

    def sent_by_side(name: str) -> bool:
        spec = SPEC.messages.get(name)  # None for the Fault, which is no request
        return (
            issubclass(_class_of(name), wanted_class)
            and spec is not None
            and spec.reply is not None
            and spec.direction == direction
        )

    return sent_by_side


@overload
def messages(
    version: str | MM7Version | None = None,
    *,
    message_type: type[_MessageT],
    sent_by: SentBy | None = None,
    content: bool = True,
) -> st.SearchStrategy[_MessageT]: ...
@overload
def messages(
    version: str | MM7Version | None,
    message_type: type[_MessageT],
    *,
    sent_by: SentBy | None = None,
    content: bool = True,
) -> st.SearchStrategy[_MessageT]: ...
@overload
def messages(
    version: str | MM7Version | None = None,
    message_type: str | None = None,
    *,
    sent_by: SentBy | None = None,
    content: bool = True,
) -> st.SearchStrategy[Message]: ...
def messages(
    version: str | MM7Version | None = None,
    message_type: str | type[Message] | None = None,
    *,
    sent_by: SentBy | None = None,
    content: bool = True,
) -> st.SearchStrategy[Message]:
    """Valid MM7 messages.

    ``version``: one MM7Version (``"6.8.0"``) or None for any supported version.
    ``message_type``: a body element name (``"SubmitReq"``, ``"Fault"``), a message class,
    which types the strategy (``messages(message_type=DeliverReq)`` is a
    ``SearchStrategy[DeliverReq]``), a base class for all its kinds (``Request``,
    ``Response``), or None for every type. ``sent_by="mmsc"`` keeps the requests an MMSC
    sends a VASP (DeliverReq, DeliveryReportReq, ReadReplyReq), ``sent_by="vasp"`` those a
    VASP sends an MMSC (SubmitReq, CancelReq, ReplaceReq and, from Release 6, the extended
    ones); the responses each side sends are drawn with ``message_type``. Only versions that
    have a wanted type are drawn (``message_type="extendedCancelReq"`` gives Release 6
    versions); asking for none at all is a ``ValueError`` at once. ``content=False`` leaves
    attachments out.
    """
    wanted = _wanted(message_type, sent_by)
    if version is None:
        chosen = [str(v) for v in SUPPORTED_VERSIONS]
    else:
        schema_of_version(version)  # a malformed or unsupported version: UsageError, a ValueError
        chosen = [str(MM7Version.parse(str(version)))]  # "06.8.0" is written "6.8.0"
    by_version = {
        v: names
        for v in chosen
        if (names := [name for name in _message_names(schema_of_version(v)) if wanted(name)])
    }
    if not by_version:
        what = getattr(message_type, "__name__", message_type or "message")
        side = "" if sent_by is None else f" sent by the {sent_by}"
        where = "any supported version" if version is None else f"MM7Version {version}"
        raise ValueError(f"no {what}{side} exists in {where}")
    strategies = {
        v: st.one_of([_message(v, name, content) for name in names])
        for v, names in by_version.items()
    }
    if len(strategies) == 1:
        [only] = strategies.values()
        return only
    return st.sampled_from(list(strategies)).flatmap(strategies.__getitem__)


# -- wire bytes, clean and in the dialects real peers write ------------------------------------


def _decoded(content_type: str, body: bytes) -> Message | None:
    try:
        return decode(body, content_type)
    except MM7Error:
        return None


def _in_dialects(message: Message, names: list[str]) -> WireMessage:
    """``message`` encoded, then rewritten in each of ``names`` that applies to it and keeps it
    the same message for a lenient reader (a rewrite that would change it, such as bare LF
    inside a 7bit text with CRLF, is left out rather than the example thrown away)."""
    wire = encode(message)
    expected = _decoded(*wire)
    assert expected is not None, "the strategies only generate messages that decode"
    kept: list[str] = []
    for name, rewrite in DIALECTS.items():
        if name in names:
            rewritten = rewrite(*wire)
            if rewritten != wire and _decoded(*rewritten) == expected:
                kept.append(name)
                wire = rewritten
    return WireMessage(*wire, expected, tuple(kept))


def wire_messages(
    version: str | MM7Version | None = None,
    message_type: str | type[Message] | None = None,
    *,
    sent_by: SentBy | None = None,
    dialects: bool | Collection[str] = True,
    content: bool = True,
) -> st.SearchStrategy[WireMessage]:
    """MM7 messages as the bytes a receiver gets: ``WireMessage(content_type, body, message,
    dialects)``, where ``message`` is what the bytes must decode to.

    With ``dialects=True`` (the default), each is written in a random mix of the dialects real
    peers use (``mm7codec.testing.DIALECTS``: prefixes, padded TransactionIDs, bare LF,
    unbracketed Content-IDs, no ``start``, ...), so a receiver can be property-tested against
    what the field sends; ``dialects=False`` gives the clean encoding, and a collection of
    names draws from those only. A dialect that does not apply to a message (bare LF where a
    text part holds CRLF, a legacy address where there is no plain Number) is left out of
    that example's ``dialects``.

    ``version``, ``message_type`` and ``sent_by`` choose as in ``messages``:
    ``wire_messages(sent_by="mmsc")`` is what a VASP receives.
    """
    base = messages(version, message_type, sent_by=sent_by, content=content)
    names = list(DIALECTS) if dialects is True else [] if dialects is False else list(dialects)
    unknown = set(names) - DIALECTS.keys()
    if unknown:
        raise ValueError(f"unknown dialects {sorted(unknown)}; see mm7codec.testing.DIALECTS")
    chosen = st.lists(st.sampled_from(names), unique=True, max_size=5) if names else st.just([])
    return st.tuples(base, chosen).map(lambda pair: _in_dialects(*pair))
