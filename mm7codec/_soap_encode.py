"""Typed MM7 message -> SOAP envelope bytes, driven by the spec tables.

The output is one canonical form: the TransactionID under an ``mm7`` prefix, the body element
with a default namespace declaration (the style of the 3GPP examples), elements in schema
order, no indentation. A field the message's schema lacks, a missing required field, an
enumeration value outside the schema or a character XML cannot carry is an ``EncodeError``:
the encoder never writes what a strict peer would refuse. Nor what its own decoder refuses
under the default ``Limits``: integers of more than 18 digits, text longer than
``max_xml_text``, padded values where the decoder strips padding (tokens, addresses, the
TransactionID, faultactor), a number with the MM1 ``/TYPE=PLMN`` suffix (readers cut it).
A ``Number`` address must be ASCII digits with an optional leading ``+``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ._errors import EncodeError
from ._extras import Extra
from ._lexical import (
    XML_WHITESPACE,
    escape_attribute,
    escape_text,
    format_boolean,
    format_datetime,
    format_relative_date,
    invalid_xml_character,
)
from ._limits import DEFAULT_LIMITS
from ._messages import Fault, Message, Response
from ._spec import SPEC, ElementSpec
from ._status import Status, status_text
from ._values import (
    ADDRESS_KINDS,
    RECIPIENT_KINDS,
    Address,
    Duration,
    Recipients,
    ReplyCharging,
    UACapabilities,
    duration_problem,
    is_ncname,
    is_number_text,
)
from ._versions import is_well_formed, namespace_for_version, schema_index

__all__ = ["encode_envelope"]

_ENVELOPE_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<env:Envelope xmlns:env="{SPEC.soap_namespace}"><env:Header>'
)
_ENVELOPE_CLOSE = "</env:Body></env:Envelope>"
# A SOAP 1.1 fault code's local part: Client, Server, or a dotted refinement (Client.Auth).
_FAULT_CODE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
#: The largest integer the decoder reads: 18 digits, which any peer's 64-bit integer holds.
_MAX_INTEGER = 10**18 - 1
_MAX_TEXT = DEFAULT_LIMITS.max_xml_text
# Characters a cid: URL carries as they are (RFC 2392: the rest, "%" first, is %-escaped).
_CID_URL_SAFE = "!$&'()*+,;=:@/?"
_CID_URL_PLAIN = re.compile(r"[A-Za-z0-9_.~!$&'()*+,;=:@/?-]*")
_PLMN_SUFFIX = "/TYPE=PLMN"


class _Writer:
    """Accumulates XML text for one message, validating values as it goes."""

    __slots__ = ("out", "schema", "path", "address_ids")

    def __init__(self, schema: int, path: str) -> None:
        self.out: list[str] = []
        self.schema = schema
        self.path = path
        #: The address ids written so far: an xs:ID is unique within the message.
        self.address_ids: set[str] = set()

    def fail(self, reason: str, where: str = "", field: str | None = None) -> EncodeError:
        return EncodeError(
            reason, where=f"{self.path}/{where}" if where else self.path, field=field
        )

    def checked(self, text: str, where: str) -> str:
        """``text`` if XML can carry it and the decoder's default limits read it back."""
        if not isinstance(text, str):
            raise self.fail(f"expected text, got {type(text).__name__}", where)
        if len(text) > _MAX_TEXT:
            raise self.fail(
                f"{len(text)} characters; the decoder's max_xml_text default is {_MAX_TEXT}",
                where,
            )
        bad = invalid_xml_character(text)
        if bad is not None:
            raise self.fail(f"U+{ord(bad):04X} cannot be carried in XML", where)
        return text

    def text_element(self, name: str, text: str) -> None:
        self.out.append(f"<{name}>{escape_text(self.checked(text, name))}</{name}>")

    def attributes(self, pairs: list[tuple[str, str | None]], where: str) -> str:
        return "".join(
            f' {name}="{escape_attribute(self.checked(value, where))}"'
            for name, value in pairs
            if value is not None
        )


# -- simple types ------------------------------------------------------------------------------


def _token(w: _Writer, name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise w.fail(f"expected text, got {type(value).__name__}", name)
    if value != value.strip(XML_WHITESPACE):
        raise w.fail(f"{value!r} has leading or trailing white space", name)
    w.text_element(name, value)


def _string(w: _Writer, name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise w.fail(f"expected text, got {type(value).__name__}", name)
    w.text_element(name, value)


def _boolean(w: _Writer, name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise w.fail(f"expected a bool, got {value!r}", name)
    w.out.append(f"<{name}>{format_boolean(value)}</{name}>")


def _positive_integer_text(w: _Writer, name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise w.fail(f"expected a non-negative integer, got {type(value).__name__}", name)
    if not 0 <= value <= _MAX_INTEGER:
        shown = value if -_MAX_INTEGER <= value < 0 else "a number of over 18 digits"
        raise w.fail(f"expected a non-negative integer of at most 18 digits, got {shown}", name)
    return str(int(value))


def _positive_integer(w: _Writer, name: str, value: Any) -> None:
    w.out.append(f"<{name}>{_positive_integer_text(w, name, value)}</{name}>")


def _at_least_one_text(w: _Writer, name: str, value: Any) -> str:
    """An xs:positiveInteger where 0 is possible in Python but not in the schema (DC,
    replyChargingSize)."""
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        raise w.fail("0 is not a positive integer", name)
    return _positive_integer_text(w, name, value)


def _datetime_text(w: _Writer, name: str, value: Any) -> str:
    try:
        return format_datetime(value)
    except (ValueError, AttributeError, TypeError) as error:
        raise w.fail(str(error), name) from None


def _datetime(w: _Writer, name: str, value: Any) -> None:
    w.out.append(f"<{name}>{_datetime_text(w, name, value)}</{name}>")


def _relative_date_text(w: _Writer, name: str, value: Any) -> str:
    if isinstance(value, Duration):
        problem = duration_problem(value)
        if problem is not None:
            raise w.fail(problem, name)
    try:
        return format_relative_date(value)
    except (ValueError, AttributeError, TypeError) as error:
        raise w.fail(str(error), name) from None


def _relative_date(w: _Writer, name: str, value: Any) -> None:
    w.out.append(f"<{name}>{_relative_date_text(w, name, value)}</{name}>")


def _enum(enum_name: str) -> Callable[[_Writer, str, Any], None]:
    # Per schema index, the values that schema has: worked out once, not per value written.
    by_schema = tuple(SPEC.enum_values(enum_name, i) for i in range(len(SPEC.namespaces)))

    def write(w: _Writer, name: str, value: Any) -> None:
        allowed = by_schema[w.schema]
        if value not in allowed:
            raise w.fail(f"{value!r} is not a {enum_name} value of this version {allowed}", name)
        w.out.append(f"<{name}>{value}</{name}>")

    return write


# -- structured types --------------------------------------------------------------------------


def _checked_address(w: _Writer, where: str, value: Any) -> Address:
    """``value`` if it is an Address of a known kind with text that reads back as it is,
    however the schema writes it."""
    if not isinstance(value, Address):
        raise w.fail(f"expected an Address, got {type(value).__name__}", where)
    if value.kind not in ADDRESS_KINDS:
        raise w.fail(f"address kind {value.kind!r} is not one of {ADDRESS_KINDS}", where)
    if not value.value or value.value != value.value.strip(XML_WHITESPACE):
        raise w.fail(f"address {value.value!r} is empty or padded", where)
    return value


def _address_body(w: _Writer, where: str, value: Any) -> str:
    value = _checked_address(w, where, value)
    if value.kind == "Number" and value.value.upper().endswith(_PLMN_SUFFIX):
        raise w.fail(f"number {value.value!r}: readers cut the /TYPE=PLMN suffix", where)
    if value.kind == "Number" and value.address_coding is None:
        _check_number(w, where, value.value)
    for field, since in SPEC.address_attributes_since.items():
        if w.schema < since and getattr(value, field) is not None:
            raise w.fail(f"the address attribute {field} is Release 6 only", where)
    codings = SPEC.enum_values("AddressCoding", w.schema)
    if value.address_coding is not None and value.address_coding not in codings:
        raise w.fail(f"addressCoding {value.address_coding!r} is not one of {codings}", where)
    if value.id is not None:
        _check_address_id(w, where, value.id)
    attributes = w.attributes(
        [
            (
                "displayOnly",
                None if value.display_only is None else format_boolean(value.display_only),
            ),
            ("addressCoding", value.address_coding),
            ("id", value.id),
        ],
        where,
    )
    text = escape_text(w.checked(value.value, where))
    return f"<{value.kind}{attributes}>{text}</{value.kind}>"


def _check_number(w: _Writer, where: str, number: str) -> None:
    """A ``Number`` is sent as typed (national, ``+E.164``, a short service number: the peer
    decides what it routes), but only if it is one: ASCII digits with an optional leading
    ``+``. Spaces, dashes and letters are refused rather than left for the peer to misroute
    (``normalize_number`` makes an international number of them). An encrypted or obfuscated
    number (``address_coding``) is opaque text and not checked."""
    if not is_number_text(number):
        raise w.fail(f"number {number!r} is not digits with an optional leading +", where)


def _check_address_id(w: _Writer, where: str, identifier: Any) -> None:
    """The address ``id`` is an xs:ID: an NCName, and no two addresses share one."""
    if not isinstance(identifier, str) or not is_ncname(identifier):
        raise w.fail(f"address id {identifier!r} is not an NCName (an xs:ID)", where)
    if identifier in w.address_ids:
        raise w.fail(f"address id {identifier!r} is used twice in the message", where)
    w.address_ids.add(identifier)


def _address(w: _Writer, name: str, value: Any) -> None:
    w.out.append(f"<{name}>{_address_body(w, name, value)}</{name}>")


def _address_text(w: _Writer, name: str, value: Any) -> None:
    """An address written as plain text (SenderAddress in REL-5-MM7-1-0 and 1-1): the kind
    is read back from the text, and there is nowhere for attributes."""
    value = _checked_address(w, name, value)
    if value.display_only is not None or value.address_coding is not None or value.id is not None:
        raise w.fail("this schema writes the address as plain text, without attributes", name)
    if value.kind == "Number":
        _check_number(w, name, value.value)
    w.text_element(name, value.value)


def _recipients(w: _Writer, name: str, value: Any) -> None:
    if not isinstance(value, Recipients):
        raise w.fail(f"expected Recipients, got {type(value).__name__}", name)
    if not value:
        raise w.fail("no recipient in To, Cc or Bcc", name)
    w.out.append(f"<{name}>")
    for kind, addresses in value.groups:
        where = f"{name}/{kind}"
        if kind not in RECIPIENT_KINDS or not addresses:
            raise w.fail("a recipient group is To, Cc or Bcc with one address or more", where)
        inner = "".join(_address_body(w, where, address) for address in addresses)
        w.out.append(f"<{kind}>{inner}</{kind}>")
    w.out.append(f"</{name}>")


def _status(w: _Writer, name: str, value: Any) -> None:
    """StatusCode, then StatusText (required: the code's standard text when none is given),
    then Details when set."""
    if not isinstance(value, Status):
        raise w.fail(f"expected a Status, got {type(value).__name__}", name)
    w.out.append(f"<{name}>")
    _positive_integer(w, "StatusCode", value.code)
    _string(w, "StatusText", status_text(value.code) if value.text is None else value.text)
    if value.details is not None:
        _string(w, "Details", value.details)
    w.out.append(f"</{name}>")


def _status_code_only(w: _Writer, name: str, value: Any) -> None:
    """The Status of extendedCancelRsp and extendedReplaceRsp: StatusCode alone."""
    if not isinstance(value, Status):
        raise w.fail(f"expected a Status, got {type(value).__name__}", name)
    if value.text is not None or value.details is not None:
        raise w.fail("this Status holds StatusCode only: no text, no details", name)
    w.out.append(f"<{name}>")
    _positive_integer(w, "StatusCode", value.code)
    w.out.append(f"</{name}>")


def _reply_charging(w: _Writer, name: str, value: Any) -> None:
    if not isinstance(value, ReplyCharging):
        raise w.fail(f"expected ReplyCharging, got {type(value).__name__}", name)
    size = None if value.size is None else _at_least_one_text(w, name, value.size)
    deadline = None if value.deadline is None else _relative_date_text(w, name, value.deadline)
    attributes = w.attributes([("replyChargingSize", size), ("replyDeadline", deadline)], name)
    w.out.append(f"<{name}{attributes}/>")


def _ua_capabilities(w: _Writer, name: str, value: Any) -> None:
    if not isinstance(value, UACapabilities):
        raise w.fail(f"expected UACapabilities, got {type(value).__name__}", name)
    stamp = None if value.time_stamp is None else _relative_date_text(w, name, value.time_stamp)
    attributes = w.attributes([("UAProf", value.ua_prof), ("TimeStamp", stamp)], name)
    w.out.append(f"<{name}{attributes}/>")


def _sequence(
    item_name: str, write_item: Callable[[_Writer, str, Any], str]
) -> Callable[[_Writer, str, Any], None]:
    """A list type: the element holds one child per item, numbered by ``sequence`` where
    the spec asks for it."""

    def write(w: _Writer, name: str, value: Any) -> None:
        if not isinstance(value, tuple) or not value:
            raise w.fail("expected a non-empty tuple", name)
        w.out.append(f"<{name}>")
        for index, item in enumerate(value, 1):
            w.out.append(write_item(w, f"{name}/{item_name}", (index, item)))
        w.out.append(f"</{name}>")

    return write


def _dc_item(w: _Writer, where: str, item: tuple[int, Any]) -> str:
    return f"<DC>{_at_least_one_text(w, where, item[1])}</DC>"


def _user_agent_item(w: _Writer, where: str, item: tuple[int, Any]) -> str:
    return f'<UserAgent sequence="{item[0]}">{_address_body(w, where, item[1])}</UserAgent>'


def _datetime_item(w: _Writer, where: str, item: tuple[int, Any]) -> str:
    text = _relative_date_text(w, where, item[1])
    return f'<DateTime sequence="{item[0]}">{text}</DateTime>'


_Write = Callable[[_Writer, str, Any], None]

_WRITERS: dict[str, _Write] = {
    "token": _token,
    "string": _string,
    "boolean": _boolean,
    "positiveInteger": _positive_integer,
    "dateTime": _datetime,
    "relativeDate": _relative_date,
    "Address": _address,
    "AddressText": _address_text,
    "Recipients": _recipients,
    "Status": _status,
    "StatusCodeOnly": _status_code_only,
    "ReplyCharging": _reply_charging,
    "UACapabilities": _ua_capabilities,
    "DeliveryCondition": _sequence("DC", _dc_item),
    "UserAgents": _sequence("UserAgent", _user_agent_item),
    "DateTimes": _sequence("DateTime", _datetime_item),
}
_WRITERS.update({f"enum:{name}": _enum(name) for name in SPEC.enums})


# -- messages ----------------------------------------------------------------------------------


def _every_element(elements: tuple[ElementSpec, ...]) -> list[ElementSpec]:
    found = []
    for element in elements:
        found.append(element)
        found.extend(_every_element(element.children))
    return found


# Each element of the spec as each schema has it (``ElementSpec.resolved``), or None where the
# schema lacks it, worked out once: resolving builds dicts and tuples, and every element of
# every message encoded needs it. Keyed by identity, which is stable: SPEC holds every element
# for the life of the process.
_RESOLVED: dict[int, tuple[ElementSpec | None, ...]] = {
    id(element): tuple(
        element.resolved(schema) if element.exists_in(schema) else None
        for schema in range(len(SPEC.namespaces))
    )
    for message in SPEC.messages.values()
    for element in _every_element(message.elements)
}


def _write_element(
    w: _Writer, message: Message, element: ElementSpec, content_id: str | None
) -> None:
    """Write one element as the writer's schema has it (its name and type there), or refuse
    a value for an element that schema lacks."""
    here = _RESOLVED[id(element)][w.schema]
    if here is None:
        for member in element.members:
            if member.type != "Content":
                _refuse_if_set(w, message, member)
        return
    if element.children:  # a group
        # Each member settles its own presence, so a value for one this schema lacks is refused.
        w.out.append(f"<{here.element}>")
        for member in element.children:
            _write_element(w, message, member, content_id)
        w.out.append(f"</{here.element}>")
        return
    element = here
    if element.type == "Content":
        _write_content(w, message, content_id)
        return
    value = getattr(message, element.field)
    if value is None:  # absent (most elements of most messages)
        if element.required:
            raise w.fail(
                f"{element.field} (<{element.element}>) is required",
                element.element,
                element.field,
            )
        return
    try:
        _WRITERS[element.type](w, element.element, value)
    except EncodeError as error:
        if error.field is None:
            error.field = element.field  # every writer's error is about this one field
        raise


def _refuse_if_set(w: _Writer, message: Message, element: ElementSpec) -> None:
    if getattr(message, element.field) is not None:
        raise w.fail(
            f"{element.field} (<{element.element}>) is not in the schema of "
            f"MM7Version {message.version} / {message.namespace.rsplit('/', 1)[-1]}",
            element.element,
            element.field,
        )


def _write_content(w: _Writer, message: Message, content_id: str | None) -> None:
    allow: bool | None = getattr(message, "allow_adaptations", None)
    if content_id is None:
        if allow is not None:
            raise w.fail(
                "allow_adaptations is set but there is no content", "Content", "allow_adaptations"
            )
        return
    allow_text = None if allow is None else format_boolean(allow)
    attributes = w.attributes(
        [("href", _cid_url(content_id)), ("allowAdaptations", allow_text)], "Content"
    )
    w.out.append(f"<Content{attributes}/>")


def _cid_url(content_id: str) -> str:
    """The RFC 2392 URL of a Content-ID: readers unescape it, so ``%`` must be escaped."""
    if _CID_URL_PLAIN.fullmatch(content_id):  # the usual id: nothing to escape
        return f"cid:{content_id}"
    return "cid:" + quote(content_id, safe=_CID_URL_SAFE)


def _refuse_hybrid(message: Message, path: str) -> None:
    """A known MM7Version in another known schema namespace is a hybrid no table holds
    (``dataclasses.replace(message, version=...)`` makes one): refused, unless it is the pair
    a peer sent (``peer_pairing``, which replies carry over)."""
    own = namespace_for_version(message.version)
    if (
        own is None
        or own == message.namespace
        or SPEC.namespace_index(message.namespace) is None
        or (message.version, message.namespace) == message.peer_pairing
    ):
        return
    raise EncodeError(
        f"MM7Version {message.version} is encoded in {own.rsplit('/', 1)[-1]}, not "
        f"{message.namespace.rsplit('/', 1)[-1]}: convert with message.for_version(...), "
        "or set peer_pairing to send this pairing on purpose",
        where=path,
        status_code=4002,
        field="version",
    )


def _schema_of(message: Message, path: str) -> int:
    if not is_well_formed(message.version):
        raise EncodeError(
            f"MM7Version {message.version!r} is malformed",
            where=path,
            status_code=4002,
            field="version",
        )
    _refuse_hybrid(message, path)
    schema = schema_index(message.namespace, message.version)
    if schema is None:
        raise EncodeError(
            f"unknown MM7Version {message.version} with namespace {message.namespace!r}: "
            "no schema to encode with",
            where=path,
            status_code=4002,
            field="version",
        )
    return schema


def _write_extra(w: _Writer, message: Message, extra: Any) -> None:
    """An unknown element decoding kept, as it came: its name, namespace and text."""
    if not isinstance(extra, Extra):
        raise w.fail(f"expected an Extra, got {type(extra).__name__}", "", "extras")
    name = extra.name
    if not isinstance(name, str) or not is_ncname(name):
        raise w.fail(f"extra element name {name!r} is not an NCName", "", "extras")
    namespace = w.checked(extra.namespace, name)
    declaration = (
        "" if namespace == message.namespace else f' xmlns="{escape_attribute(namespace)}"'
    )
    w.out.append(f"<{name}{declaration}>{escape_text(w.checked(extra.text, name))}</{name}>")


def _write_body_element(
    w: _Writer, message: Message, content_id: str | None, keep_extras: bool = False
) -> None:
    name = type(message).__name__
    spec = SPEC.messages[name]
    if spec.since > w.schema:
        raise w.fail(f"{name} is a Release 6 operation; MM7Version {message.version} lacks it")
    w.out.append(f'<{name} xmlns="{escape_attribute(w.checked(message.namespace, name))}">')
    pending = list(message.extras) if keep_extras else []
    for extra in [e for e in pending if getattr(e, "after", None) is None]:
        _write_extra(w, message, extra)
        pending.remove(extra)
    for element in spec.elements:
        written = len(w.out)
        _write_element(w, message, element, content_id)
        if pending and len(w.out) > written:
            # Each extra goes back after the element it followed, under any of its names.
            for extra in [e for e in pending if getattr(e, "after", None) in element.names]:
                _write_extra(w, message, extra)
                pending.remove(extra)
    for extra in pending:  # what they followed is not written: at the end, in their order
        _write_extra(w, message, extra)
    w.out.append(f"</{name}>")


def _header(w: _Writer, message: Message, namespace: str) -> None:
    transaction_id = w.checked(message.transaction_id, "TransactionID")
    if not transaction_id or transaction_id != transaction_id.strip(XML_WHITESPACE):
        raise w.fail(
            f"TransactionID {transaction_id!r} is empty or padded",
            "TransactionID",
            "transaction_id",
        )
    checked = w.checked(namespace, "TransactionID")
    if not checked or any(c in checked for c in XML_WHITESPACE):
        raise w.fail(
            f"namespace {namespace!r} is empty or has white space", "TransactionID", "namespace"
        )
    w.out.append(
        f'<mm7:TransactionID xmlns:mm7="{escape_attribute(checked)}" env:mustUnderstand="1">'
        f"{escape_text(transaction_id)}</mm7:TransactionID>"
        "</env:Header><env:Body>"
    )


def _write_fault(w: _Writer, fault: Fault, keep_extras: bool = False) -> None:
    """The Fault's own elements. Its TransactionID and namespace are the header's; a detail
    is written without its own transaction id (readers give it the header's)."""
    if not isinstance(fault.faultcode, str) or _FAULT_CODE.fullmatch(fault.faultcode) is None:
        raise w.fail(f"faultcode {fault.faultcode!r} is not a SOAP fault code", "faultcode")
    w.out.append("<env:Fault>")
    w.out.append(
        f"<faultcode>env:{escape_text(w.checked(fault.faultcode, 'faultcode'))}</faultcode>"
    )
    w.text_element("faultstring", fault.faultstring)
    if fault.faultactor is not None:
        actor = w.checked(fault.faultactor, "faultactor")
        if actor != actor.strip(XML_WHITESPACE):
            raise w.fail(f"faultactor {actor!r} is padded (readers strip it)", "faultactor")
        w.text_element("faultactor", actor)
    if fault.detail is not None:
        w.out.append("<detail>")
        _write_body_element(w, fault.detail, None, keep_extras)
        w.out.append("</detail>")
    w.out.append("</env:Fault>")


def encode_envelope(
    message: Message, content_id: str | None = None, *, keep_extras: bool = False
) -> bytes:
    """The SOAP envelope of ``message``; ``content_id`` is the Content-ID its Content
    element must point at (None when the message carries no content). ``keep_extras``
    writes ``message.extras`` back in the body (a Fault's detail keeps its own)."""
    name = type(message).__name__
    path = f"/Envelope/Body/{name}"
    if isinstance(message, Fault):
        carrier = message.detail if message.detail is not None else None
        if carrier is not None and not isinstance(carrier, Response):
            raise EncodeError(
                f"a Fault detail holds a response, not {type(carrier).__name__}", where=path
            )
        schema = 0 if carrier is None else _schema_of(carrier, path)
        # With a detail, the header is in its namespace (readers take a different one for a
        # deviation, and read the Fault's namespace from the detail).
        namespace = carrier.namespace if carrier is not None else message.namespace
        if not namespace:
            raise EncodeError("a Fault needs a namespace for its TransactionID", where=path)
        w = _Writer(schema, path)
        _header(w, message, namespace)
        _write_fault(w, message, keep_extras)
    else:
        w = _Writer(_schema_of(message, path), path)
        _header(w, message, message.namespace)
        _write_body_element(w, message, content_id, keep_extras)
    envelope = "".join((_ENVELOPE_OPEN, *w.out, _ENVELOPE_CLOSE)).encode("utf-8")
    if len(envelope) > DEFAULT_LIMITS.max_envelope_size:
        raise EncodeError(
            f"the envelope takes {len(envelope)} bytes; the decoder's max_envelope_size "
            f"default is {DEFAULT_LIMITS.max_envelope_size}",
            where=path,
        )
    return envelope
