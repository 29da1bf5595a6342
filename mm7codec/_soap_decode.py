"""SOAP envelope -> typed MM7 message, driven by the spec tables.

Decoding never depends on element order: children are matched by local name, whatever their
prefix or namespace, and the schema order is only used to record that input was out of order.
Every liberty taken is reported to the ``DeviationLog``; strict mode turns it into an error.

This is the hot path of every decode, so it is shaped for speed without changing what it
means: each message type gets, per schema namespace, a table built once from the spec (local
name -> slot, with the element's name, type and presence in that namespace), element
readers are handed the local name and the parent's path instead of recomputing them, and an
element's own path string is only built when something is reported. A body whose shape (its
children's tags in order) leaves the general loop nothing to report is read by a plan made
once for that shape, and values are stored straight into the slots of what they build
(``_slots``); tests/test_fast_paths.py holds both to the general path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Any, NamedTuple

from ._deviations import MAX_PATH_NAME, DeviationLog, child_path, cut_text
from ._enums import UnknownValue
from ._errors import DecodeError
from ._extras import Extra
from ._lexical import (
    XML_WHITESPACE,
    parse_boolean,
    parse_datetime,
    parse_relative_date,
)
from ._limits import Limits
from ._messages import MESSAGE_TYPES, Fault, Message, Response
from ._slots import slot_setter
from ._spec import SPEC, ElementSpec, MessageSpec
from ._status import Status, StatusCode, as_status_code
from ._values import (
    ADDRESS_KINDS,
    Address,
    RecipientGroup,
    Recipients,
    ReplyCharging,
    UACapabilities,
    is_ncname,
)
from ._versions import (
    LATEST_VERSION,
    MM7Version,
    namespace_for_version,
    nearest_schema,
    schema_index,
)
from ._xml import Node, parse
from ._xml import attribute as _attribute
from ._xml import local_name as _local
from ._xml import namespace_of as _ns
from ._xml import own_text as _own_text

__all__ = ["DecodedEnvelope", "decode_envelope"]

_UNSUPPORTED_VERSION = int(StatusCode.UNSUPPORTED_VERSION)
_VALIDATION_ERROR = int(StatusCode.VALIDATION_ERROR)
_UNSUPPORTED_OPERATION = int(StatusCode.UNSUPPORTED_OPERATION)
_PLMN_SUFFIX = "/TYPE=PLMN"
_NEWEST_SCHEMA = len(SPEC.namespaces) - 1
_SCHEMA_OF_NAMESPACE = {uri: index for index, uri in enumerate(SPEC.namespaces)}
#: (MM7Version, namespace) -> schema index, for every known version in its own namespace:
#: the usual pair, settled by one look-up (``_settle_version`` does the rest).
_USUAL_PAIRS = {
    (text, SPEC.namespaces[index]): _SCHEMA_OF_NAMESPACE[SPEC.namespaces[index]]
    for text, index in SPEC.versions
}
_TAG_OF = attrgetter("tag")
_TAIL_OF = attrgetter("tail")


class DecodedEnvelope(NamedTuple):
    """What the SOAP layer found: the message class and its fields (deviations are added by
    the caller once the MIME layer has had its say), and the Content href to resolve."""

    message_type: type[Message]
    fields: dict[str, Any]
    content_href: str | None


class _Context:
    """Per-message state shared by the element readers."""

    __slots__ = ("log", "schema", "transaction_id", "namespace", "version", "address_ids")

    def __init__(self, log: DeviationLog, transaction_id: str | None) -> None:
        self.log = log
        self.schema = _NEWEST_SCHEMA
        #: What the peer showed of itself so far, kept on every error for its Fault.
        self.transaction_id = transaction_id
        self.namespace: str | None = None
        self.version: str | None = None
        #: The address ids (xs:ID) met so far, to find repeated ones; None until the first.
        self.address_ids: set[str] | None = None

    def fail(self, reason: str, where: str, status: int = _VALIDATION_ERROR) -> DecodeError:
        return DecodeError(
            reason,
            where=where,
            status_code=status,
            transaction_id=self.transaction_id,
            version=self.version,
            namespace=self.namespace,
        )


# Every element reader takes (element, its local name, its parent's path, context): the
# element's own path, f"{parent}/{name}", is only built when it is needed for a report.
_Reader = Callable[[Node, str, str, "_Context"], Any]


# -- simple types ------------------------------------------------------------------------------


def _text(node: Node, name: str, parent: str, ctx: _Context) -> str:
    if len(node):
        ctx.log.report(
            "unexpected-markup",
            f"<{name}> holds elements where text was expected; only its text is kept",
            f"{parent}/{name}",
        )
        return _own_text(node)
    return node.text or ""


def _token(node: Node, name: str, parent: str, ctx: _Context) -> str:
    # Most elements of a message are tokens: a leaf's text is read here without the call.
    raw = _text(node, name, parent, ctx) if len(node) else (node.text or "")
    value = raw.strip(XML_WHITESPACE)
    if value != raw:
        detail = f"<{name}> value is padded with white space"
        ctx.log.report("padded-value", detail, f"{parent}/{name}")
    return value


def _boolean_value(text: str, where: str, ctx: _Context, what: str) -> bool:
    try:
        value, exact = parse_boolean(text)
    except ValueError:
        raise ctx.fail(f"{what} is not a boolean: {text!r}", where) from None
    if not exact:
        ctx.log.report("boolean-case", f"{what} is {text.strip()!r}, not true/false", where)
    return value


def _boolean(node: Node, name: str, parent: str, ctx: _Context) -> bool:
    text = _text(node, name, parent, ctx)
    if text == "true" or text == "false":  # the usual case, without the two texts of a report
        return text == "true"
    return _boolean_value(text, f"{parent}/{name}", ctx, f"<{name}>")


def _integer_value(text: str, where: str, ctx: _Context, what: str) -> int:
    stripped = text.strip(XML_WHITESPACE)
    if not stripped.isdigit() or not stripped.isascii() or len(stripped) > 18:
        raise ctx.fail(f"{what} is not a positive integer: {text!r}", where)
    return int(stripped)


def _positive_integer(node: Node, name: str, parent: str, ctx: _Context) -> int:
    text = _text(node, name, parent, ctx) if len(node) else (node.text or "")
    if text.isdigit() and text.isascii() and len(text) <= 18:
        return int(text)  # the usual case, without the texts of a report
    return _integer_value(text, f"{parent}/{name}", ctx, f"<{name}>")


def _datetime_value(text: str, where: str, ctx: _Context, what: str) -> Any:
    try:
        value, notes = parse_datetime(text)
    except ValueError:
        raise ctx.fail(f"{what} is not a date and time: {text!r}", where) from None
    if notes:
        _note_datetime(notes, where, ctx, what)
    return value


def _note_datetime(notes: list[str], where: str, ctx: _Context, what: str) -> None:
    if "naive" in notes:
        ctx.log.report("naive-datetime", f"{what} has no time zone; taken as UTC", where)
    if "precision" in notes:
        ctx.log.report("datetime-precision", f"{what} has sub-microsecond digits; cut", where)


def _datetime(node: Node, name: str, parent: str, ctx: _Context) -> Any:
    text = _text(node, name, parent, ctx) if len(node) else (node.text or "")
    try:
        value, notes = parse_datetime(text)
        if not notes:  # the usual case: the element's path and name are written for reports only
            return value
    except ValueError:
        pass
    # Read again by the general reader, which reports the notes or raises the error.
    return _datetime_value(text, f"{parent}/{name}", ctx, f"<{name}>")


def _relative_date_value(text: str, where: str, ctx: _Context, what: str) -> Any:
    try:
        value, notes = parse_relative_date(text)
    except ValueError:
        raise ctx.fail(f"{what} is neither a date nor a duration: {text!r}", where) from None
    if notes:
        _note_datetime(notes, where, ctx, what)
    return value


def _relative_date(node: Node, name: str, parent: str, ctx: _Context) -> Any:
    text = _text(node, name, parent, ctx)
    return _relative_date_value(text, f"{parent}/{name}", ctx, f"<{name}>")


#: Per enumeration: every value any schema has, and per schema index the values it has.
_ENUM_VALUES = {
    enum: (
        SPEC.every_enum_value[enum],
        tuple(frozenset(SPEC.enum_values(enum, i)) for i in range(len(SPEC.namespaces))),
    )
    for enum in SPEC.enums
}


def _enum_value(enum: str, value: str, label: str, where: str, ctx: _Context) -> str:
    """``value`` of the enumeration ``enum``, as the schema has it; a value of a later schema
    is kept and recorded, and one of no schema is kept as an ``UnknownValue`` and recorded."""
    every_value, by_schema = _ENUM_VALUES[enum]
    if value in by_schema[ctx.schema]:
        return value
    if value not in every_value:
        article = "an" if enum[0] in "AEIOU" else "a"
        detail = f"{label} {value!r} is not {article} {enum} value"
        ctx.log.report("unknown-enum-value", detail, where)
        return UnknownValue(value)  # kept, typed apart from the enumeration's values
    ctx.log.report("not-in-version", f"{label} {value!r} is not in this schema version", where)
    return value


def _enum(enum: str) -> _Reader:
    by_schema = _ENUM_VALUES[enum][1]

    def read(node: Node, name: str, parent: str, ctx: _Context) -> str:
        value = _token(node, name, parent, ctx)
        if value in by_schema[ctx.schema]:  # the usual case, without the texts of a report
            return value
        return _enum_value(enum, value, f"<{name}>", f"{parent}/{name}", ctx)

    return read


# -- structured types --------------------------------------------------------------------------

# An address is built straight into its slots (see _slots): two per message at least, and
# Address has no __post_init__ to skip (a test holds these equal to constructed ones).
_SET_VALUE = slot_setter(Address, "value")
_SET_KIND = slot_setter(Address, "kind")
_SET_DISPLAY_ONLY = slot_setter(Address, "display_only")
_SET_CODING = slot_setter(Address, "address_coding")
_SET_ID = slot_setter(Address, "id")


def _new_address(
    value: str,
    kind: str,
    display_only: bool | None = None,
    address_coding: str | None = None,
    identifier: str | None = None,
) -> Address:
    address: Address = object.__new__(Address)
    _SET_VALUE(address, value)
    _SET_KIND(address, kind)
    _SET_DISPLAY_ONLY(address, display_only)
    _SET_CODING(address, address_coding)
    _SET_ID(address, identifier)
    return address


def _address_from_typed(child: Node, kind: str, parent: str, ctx: _Context) -> Address:
    value = child.text
    if value is None or len(child) or value.strip(XML_WHITESPACE) != value:
        value = _token(child, kind, parent, ctx)  # the usual leaf is read without the call
    if kind == "Number" and "/" in value and value.upper().endswith(_PLMN_SUFFIX):
        ctx.log.report(
            "address-type-suffix", f"number {value!r} carries /TYPE=PLMN; cut", f"{parent}/{kind}"
        )
        value = value[: -len(_PLMN_SUFFIX)]
    if not child.attrib:
        return _new_address(value, kind)
    display_only = None
    text, _ = _attribute(child, "displayOnly")
    if text is not None:
        display_only = _boolean_value(text, f"{parent}/{kind}", ctx, "displayOnly")
    address_coding, _ = _attribute(child, "addressCoding")
    if address_coding is not None:
        where = f"{parent}/{kind}"
        address_coding = _enum_value("AddressCoding", address_coding, "addressCoding", where, ctx)
    identifier, _ = _attribute(child, "id")
    if identifier is not None:
        _note_address_id(identifier, f"{parent}/{kind}", ctx)
    return _new_address(value, kind, display_only, address_coding, identifier)


def _note_address_id(identifier: str, where: str, ctx: _Context) -> None:
    """An address ``id`` is an xs:ID: an NCName, unique within the message. Kept either way."""
    if not is_ncname(identifier):
        ctx.log.report("invalid-id", f"address id {identifier!r} is not an NCName", where)
    seen = ctx.address_ids
    if seen is None:
        seen = ctx.address_ids = set()
    if identifier in seen:
        ctx.log.report("duplicate-id", f"address id {identifier!r} is used twice", where)
    seen.add(identifier)


def _guess_kind(value: str) -> str:
    if "@" in value:
        return "RFC2822Address"
    digits = value.removeprefix("+")
    return "Number" if digits.isdigit() and len(digits) > 6 else "ShortCode"


def _local_names_by_tag(names: Iterable[str]) -> dict[str, str]:
    """The tag ElementTree gives each of these element names, in every schema namespace and
    in none -> the name: one look-up for a child's name where ``_local`` is a call."""
    return {
        f"{{{namespace}}}{name}" if namespace else name: name
        for namespace in ("", *SPEC.namespaces)
        for name in names
    }


_RECIPIENT_KINDS = frozenset(("To", "Cc", "Bcc"))
#: The names the structured readers look for among their children (address kinds, recipient
#: groups, Status children); a name read here is then compared as ``_local`` would give it.
_NAME_OF_TAG = _local_names_by_tag(
    (*ADDRESS_KINDS, *_RECIPIENT_KINDS, "StatusCode", "StatusText", "Details")
)


def _address(node: Node, name: str, parent: str, ctx: _Context) -> Address:
    path = f"{parent}/{name}"
    if len(node) == 1:  # the usual shape, one typed address, without the general loop
        child = node[0]
        kind = _NAME_OF_TAG.get(child.tag) or _local(child)
        if kind in ADDRESS_KINDS:
            return _address_from_typed(child, kind, path, ctx)
    typed: list[tuple[str, Node]] = []
    for child in node:
        kind = _local(child)
        if kind in ADDRESS_KINDS:
            typed.append((kind, child))
        else:
            ctx.log.report("unknown-element", f"<{kind}> in an address; ignored", path)
    if len(typed) > 1:
        raise ctx.fail(f"<{name}> holds {len(typed)} addresses, one expected", path)
    if typed:
        kind, child = typed[0]
        return _address_from_typed(child, kind, path, ctx)
    value = _own_text(node).strip(XML_WHITESPACE)
    if not value:
        raise ctx.fail(f"<{name}> holds no address", path)
    guessed = _guess_kind(value)
    ctx.log.report(
        "legacy-address", f"<{name}> is bare text, not a typed address; read as {guessed}", path
    )
    return Address(value, guessed)  # type: ignore[arg-type]


def _address_text(node: Node, name: str, parent: str, ctx: _Context) -> Address:
    """An address written as plain text, where the schema says so (SenderAddress in
    REL-5-MM7-1-0 and 1-1); its kind is read from the text. A typed address there is read too,
    and recorded."""
    if len(node):
        ctx.log.report(
            "not-in-version",
            f"<{name}> holds an address element; this schema has the address as plain text",
            f"{parent}/{name}",
        )
        return _address(node, name, parent, ctx)
    value = (node.text or "").strip(XML_WHITESPACE)
    if not value:
        raise ctx.fail(f"<{name}> holds no address", f"{parent}/{name}")
    return Address(value, _guess_kind(value))  # type: ignore[arg-type]


def _addresses_in(node: Node, name: str, parent: str, ctx: _Context) -> list[Address]:
    path = f"{parent}/{name}"
    found = []
    for child in node:
        kind = _NAME_OF_TAG.get(child.tag) or _local(child)
        if kind in ADDRESS_KINDS:
            found.append(_address_from_typed(child, kind, path, ctx))
        else:
            ctx.log.report("unknown-element", f"<{kind}> among addresses; ignored", path)
    if not len(node):
        value = (node.text or "").strip(XML_WHITESPACE)
        if value:
            kind = _guess_kind(value)
            ctx.log.report("legacy-address", f"<{name}> is bare text; read as {kind}", path)
            found.append(Address(value, kind))  # type: ignore[arg-type]
    return found


# Built straight into its slot: the groups read here are what of_groups would check.
_SET_GROUPS = slot_setter(Recipients, "groups")


def _recipients(node: Node, name: str, parent: str, ctx: _Context) -> Recipients:
    """A repeated choice of To, Cc and Bcc in any order: each group is kept where it stands."""
    path = f"{parent}/{name}"
    groups: list[RecipientGroup] = []
    for child in node:
        kind = _NAME_OF_TAG.get(child.tag) or _local(child)
        if kind not in _RECIPIENT_KINDS:
            ctx.log.report("unknown-element", f"<{kind}> in Recipients; ignored", path)
            continue
        addresses = _addresses_in(child, kind, path, ctx)
        if addresses:
            groups.append((kind, tuple(addresses)))  # type: ignore[arg-type]
        else:
            ctx.log.report("empty-recipient-group", f"<{kind}> holds no address", path)
    recipients: Recipients = object.__new__(Recipients)
    _SET_GROUPS(recipients, tuple(groups))
    return recipients


# A Status is built straight into its slots too: __post_init__ only makes the code a
# StatusCode member when it is one, done here.
_SET_CODE = slot_setter(Status, "code")
_SET_TEXT = slot_setter(Status, "text")
_SET_DETAILS = slot_setter(Status, "details")


def _new_status(code: int, text: str | None, details: str | None) -> Status:
    status: Status = object.__new__(Status)
    _SET_CODE(status, as_status_code(code))
    _SET_TEXT(status, text)
    _SET_DETAILS(status, details)
    return status


def _status_reader(code_only: bool) -> _Reader:
    """The Status element: an xs:all, so its children come in any order. Its StatusText is
    required; in the StatusCode-only Status (extendedCancelRsp, extendedReplaceRsp) a text or
    details is out of place, and kept."""

    def read(node: Node, name: str, parent: str, ctx: _Context) -> Status:
        path = f"{parent}/{name}"
        code = text = details = None
        for child in node:
            kind = _NAME_OF_TAG.get(child.tag) or _local(child)
            if kind == "StatusCode":
                code = _positive_integer(child, kind, path, ctx)
            elif kind == "StatusText":
                text = _text(child, kind, path, ctx)
            elif kind == "Details":
                details = "".join(child.itertext())
                if len(child):
                    ctx.log.report(
                        "details-markup",
                        "<Details> markup flattened to its text",
                        f"{path}/Details",
                    )
            else:
                ctx.log.report("unknown-element", f"<{kind}> in Status; ignored", path)
        if code is None:
            raise ctx.fail("<Status> has no <StatusCode>", path)
        if code_only:
            if text is not None or details is not None:
                ctx.log.report(
                    "status-code-only",
                    "this Status holds StatusCode only; its text and details are kept",
                    path,
                )
        elif text is None:
            ctx.log.report("missing-element", "<Status> has no <StatusText>", path)
        # Codes outside the table (vendors use 25xx) are schema-valid integers: kept.
        return _new_status(code, text, details)

    return read


def _reply_charging(node: Node, name: str, parent: str, ctx: _Context) -> ReplyCharging | None:
    path = f"{parent}/{name}"
    size_text, _ = _attribute(node, "replyChargingSize")
    deadline_text, _ = _attribute(node, "replyDeadline")
    text = _own_text(node).strip(XML_WHITESPACE)
    if text:
        ctx.log.report("reply-charging-text", f"<ReplyCharging> holds text {text!r}", path)
        if size_text is None and deadline_text is None:
            try:
                wanted, _ = parse_boolean(text)
            except ValueError:
                wanted = True
            if not wanted:
                return None
    size = None if size_text is None else _integer_value(size_text, path, ctx, "replyChargingSize")
    if size == 0:
        ctx.log.report("not-positive", "replyChargingSize is 0, not a positive integer", path)
    return ReplyCharging(
        size=size,
        deadline=None
        if deadline_text is None
        else _relative_date_value(deadline_text, path, ctx, "replyDeadline"),
    )


def _ua_capabilities(node: Node, name: str, parent: str, ctx: _Context) -> UACapabilities:
    profile, _ = _attribute(node, "UAProf")
    stamp, _ = _attribute(node, "TimeStamp")
    return UACapabilities(
        ua_prof=profile,
        time_stamp=None
        if stamp is None
        else _relative_date_value(stamp, f"{parent}/{name}", ctx, "TimeStamp"),
    )


def _delivery_condition(node: Node, name: str, parent: str, ctx: _Context) -> tuple[int, ...]:
    path = f"{parent}/{name}"
    values = tuple(
        _positive_integer(child, "DC", path, ctx) for child in node if _local(child) == "DC"
    )
    if 0 in values:
        ctx.log.report("not-positive", "a <DC> is 0, not a positive integer", f"{path}/DC")
    return values


def _user_agents(node: Node, name: str, parent: str, ctx: _Context) -> tuple[Address, ...]:
    path = f"{parent}/{name}"
    found: list[Address] = []
    for child in node:
        kind = _local(child)
        if kind == "UserAgent":
            found.append(_address(child, kind, path, ctx))
        elif kind in ADDRESS_KINDS:
            found.append(_address_from_typed(child, kind, path, ctx))
    return tuple(found)


def _datetimes(node: Node, name: str, parent: str, ctx: _Context) -> tuple[Any, ...]:
    path = f"{parent}/{name}"
    return tuple(
        _relative_date(child, "DateTime", path, ctx)
        for child in node
        if _local(child) == "DateTime"
    )


_READERS: dict[str, _Reader] = {
    "token": _token,
    "string": _text,
    "boolean": _boolean,
    "positiveInteger": _positive_integer,
    "dateTime": _datetime,
    "relativeDate": _relative_date,
    "Address": _address,
    "AddressText": _address_text,
    "Recipients": _recipients,
    "Status": _status_reader(code_only=False),
    "StatusCodeOnly": _status_reader(code_only=True),
    "ReplyCharging": _reply_charging,
    "UACapabilities": _ua_capabilities,
    "DeliveryCondition": _delivery_condition,
    "UserAgents": _user_agents,
    "DateTimes": _datetimes,
}
_READERS.update({f"enum:{name}": _enum(name) for name in SPEC.enums})


# -- message bodies ----------------------------------------------------------------------------


class _Slot(NamedTuple):
    """How to read one child of a body element in one schema: a tuple, so the hot loop
    unpacks it in one step. ``reader`` is None for ``Content`` and for a group, which has
    ``members``. ``absent``: the schema lacks the element, or calls it by another name."""

    position: int
    field: str
    reader: _Reader | None
    absent: bool
    members: dict[str, _Slot] | None


def _slots(position: int, element: ElementSpec, schema: int) -> dict[str, _Slot]:
    """The slots of one element in one schema, under each name it has in some schema."""
    present = element.exists_in(schema)
    here = element.resolved(schema)
    members = None
    if element.is_group:
        members = {}
        for member in element.children:
            members.update(_slots(position, member, schema))
    reader = None if element.type == "Content" or members is not None else _READERS[here.type]
    return {
        name: _Slot(position, element.field, reader, not present or name != here.element, members)
        for name in element.names
    }


class _Step(NamedTuple):
    """One child of a body read by a plan (see ``_BodyTable.plan``): its local name, field and
    reader (None for Content)."""

    name: str
    field: str
    reader: _Reader | None


#: Plans kept per message type and schema: one per shape a peer sends, so a few in practice.
#: Shapes are up to the sender, so the plans are forgotten when there are more.
_MAX_PLANS = 64


@dataclass(frozen=True, slots=True)
class _BodyTable:
    """One message type, compiled from its spec for reading."""

    spec: MessageSpec
    #: Per schema index: local name -> slot.
    slots: tuple[dict[str, _Slot], ...]
    #: Per schema index: "{the schema's namespace}local name" -> (local name, slot), the tag
    #: ElementTree gives a child written in that namespace, looked up as it is (a child in
    #: another namespace, or none, is found by its local name).
    qualified: tuple[dict[str, tuple[str, _Slot]], ...]
    #: Per schema index: the required fields (field, element, whether a missing one is only
    #: recorded), and the required groups (by element name).
    required_fields: tuple[tuple[tuple[str, str, bool], ...], ...]
    required_groups: tuple[tuple[str, ...], ...]
    #: Per schema index: the plans made so far, by shape (the children's tags in order).
    plans: tuple[dict[tuple[str, ...], tuple[_Step, ...]], ...]

    def plan(self, schema: int, shape: tuple[str, ...]) -> tuple[_Step, ...] | None:
        """How to read a body whose children have these tags (made once per shape), if the
        general loop would report nothing about the shape itself: every child known, in this
        schema's namespace and not a group, in schema order (so none repeated), and every
        required element there. Then only the element readers are left to run, child by
        child. None otherwise."""
        if self.required_groups[schema]:
            return None  # a group is read by the general loop, and this one is required
        plans = self.plans[schema]
        steps = plans.get(shape)
        if steps is None:
            steps = self._plan(schema, shape)
            if steps is not None:
                if len(plans) >= _MAX_PLANS:
                    plans.clear()  # shapes a sender chose: the usual ones soon come back
                plans[shape] = steps
        return steps

    def _plan(self, schema: int, shape: tuple[str, ...]) -> tuple[_Step, ...] | None:
        qualified = self.qualified[schema]
        steps = []
        last = -1
        for tag in shape:
            known = qualified.get(tag)
            if known is None:
                return None
            name, (position, field, reader, absent, members) = known
            if absent or members is not None or position <= last:
                return None
            last = position
            steps.append(_Step(name, field, reader))
        fields = {step.field for step in steps}
        if not all(field in fields for field, _, _ in self.required_fields[schema]):
            return None
        return tuple(steps)

    @classmethod
    def of(cls, spec: MessageSpec) -> _BodyTable:
        slots = []
        fields = []
        groups = []
        for schema in range(len(SPEC.namespaces)):
            table: dict[str, _Slot] = {}
            for position, element in enumerate(spec.elements):
                table.update(_slots(position, element, schema))
            slots.append(table)
            required = [e for e in spec.in_schema(schema) if e.required]
            fields.append(
                tuple((e.field, e.element, e.missing_recorded) for e in required if not e.is_group)
            )
            groups.append(tuple(e.element for e in required if e.is_group))
        qualified = tuple(
            {f"{{{SPEC.namespaces[schema]}}}{name}": (name, slot) for name, slot in table.items()}
            for schema, table in enumerate(slots)
        )
        plans: tuple[dict[tuple[str, ...], tuple[_Step, ...]], ...] = tuple({} for _ in slots)
        return cls(spec, tuple(slots), qualified, tuple(fields), tuple(groups), plans)


_TABLES = {name: _BodyTable.of(spec) for name, spec in SPEC.messages.items()}


class _BodyReader:
    """Reads one MM7 body element into field values, whatever the order of its children."""

    __slots__ = (
        "table",
        "ctx",
        "values",
        "seen_groups",
        "href",
        "last_position",
        "in_order",
        "last_name",
        "extras",
    )

    def __init__(self, table: _BodyTable, ctx: _Context) -> None:
        self.table = table
        self.ctx = ctx
        self.values: dict[str, Any] = {}
        self.seen_groups: set[str] = set()
        self.href: str | None = None
        self.last_position = -1
        self.in_order = True  # until the first element out of schema order (reported once)
        #: The last known element read, which an unknown one that follows is kept after.
        self.last_name: str | None = None
        self.extras: list[Extra] = []

    def read_children(self, parent: Node, path: str) -> None:
        ctx = self.ctx
        slots = self.table.slots[ctx.schema]
        qualified = self.table.qualified[ctx.schema]
        values = self.values
        for child in parent:
            tag = child.tag
            known = qualified.get(tag)  # the usual child: its tag is the key, no slicing
            if known is not None:
                name, slot = known
            else:
                name = tag[tag.find("}") + 1 :]
                found = slots.get(name)
                if found is None:
                    self._unknown(child, name, path)
                    continue
                slot = found
            position, field, reader, absent, members = slot
            self.last_name = name
            if position > self.last_position:
                self.last_position = position
            elif position < self.last_position and self.in_order:
                self.in_order = False
                ctx.log.report(
                    "out-of-order", f"<{name}> comes later in the schema sequence", f"{path}/{name}"
                )
            if absent:
                ctx.log.report(
                    "not-in-version",
                    f"<{name}> is not in this schema version",
                    f"{path}/{name}",
                    _UNSUPPORTED_VERSION,
                )
            if members is not None:
                self._group(name, members, child, f"{path}/{name}")
            elif field in values:
                raise ctx.fail(f"<{name}> appears more than once", f"{path}/{name}")
            elif reader is None:
                self._content(child, f"{path}/{name}")
            else:
                values[field] = reader(child, name, path, ctx)

    def _unknown(self, child: Node, name: str, path: str) -> None:
        # Unknown names are the only attacker-chosen ones in a path: cut them, and build the
        # texts only for a record that the log keeps (see _deviations).
        spec_name = self.table.spec.name
        if len(child):
            # A wrapper we do not expect here (SenderIdentification inside DeliverReq): read
            # what it holds as if it stood directly in the body, so nothing is lost.
            where = child_path(path, name)
            self.ctx.log.report(
                "unexpected-wrapper",
                lambda: f"<{cut_text(name, MAX_PATH_NAME)}> is not part of {spec_name}",
                where,
            )
            self.read_children(child, where)
        else:
            self.ctx.log.report(
                "unknown-element",
                lambda: (
                    f"<{cut_text(name, MAX_PATH_NAME)}> is not part of {spec_name}; its "
                    f"text {_own_text(child).strip(XML_WHITESPACE)[:200]!r} is kept in "
                    "message.extras"
                ),
                lambda: child_path(path, name),
            )
            if len(self.extras) < self.ctx.log.limit:  # bounded as the deviations are
                self.extras.append(Extra(name, _ns(child), _own_text(child), self.last_name))

    def _group(self, group: str, members: dict[str, _Slot], node: Node, path: str) -> None:
        self.seen_groups.add(group)
        values = self.values
        for child in node:
            name = _local(child)
            member = members.get(name)
            if member is None:
                self._unknown(child, name, path)
                continue
            if member.absent:
                self.ctx.log.report(
                    "not-in-version",
                    f"<{name}> is not in this schema version",
                    f"{path}/{name}",
                    _UNSUPPORTED_VERSION,
                )
            if member.field in values:
                raise self.ctx.fail(f"<{name}> appears more than once", f"{path}/{name}")
            assert member.reader is not None  # groups hold no Content
            values[member.field] = member.reader(child, name, path, self.ctx)

    def _content(self, node: Node, path: str) -> None:
        self.href = _read_content(node, path, self.ctx, self.values)

    def check_required(self, path: str) -> None:
        schema = self.ctx.schema
        name = self.table.spec.name
        for group in self.table.required_groups[schema]:
            if group not in self.seen_groups:
                self.ctx.log.report(
                    "missing-element", f"{name} has no <{group}>", path, _VALIDATION_ERROR
                )
        values = self.values
        for field, element, only_recorded in self.table.required_fields[schema]:
            if field in values:
                continue
            if not only_recorded:
                raise self.ctx.fail(f"{name} lacks the required <{element}>", path)
            self.ctx.log.report(
                "missing-element", f"{name} has no <{element}>", path, _VALIDATION_ERROR
            )


def _read_content(node: Node, path: str, ctx: _Context, values: dict[str, Any]) -> str | None:
    """The Content element: its fields go to ``values``; gives its href."""
    href, qualified = _attribute(node, "href")
    if qualified:
        ctx.log.report("qualified-attribute", "href carries a namespace prefix", path)
    if href is None:
        ctx.log.report("content-without-href", "<Content> has no href", path)
    values["content"] = None
    allow, _ = _attribute(node, "allowAdaptations")
    if allow is not None:
        values["allow_adaptations"] = _boolean_value(allow, path, ctx, "allowAdaptations")
    text = _own_text(node)
    if text and not text.strip(XML_WHITESPACE):
        ctx.log.report("content-text", "<Content> holds white space", path)
    elif text or len(node):
        ctx.log.report("content-text", "<Content> should be empty", path)
    return href


def _read_planned(
    steps: tuple[_Step, ...], node: Node, path: str, ctx: _Context
) -> tuple[dict[str, Any], str | None]:
    """The body's field values and Content href, read by its plan (``_BodyTable.plan``)."""
    values: dict[str, Any] = {}
    href = None
    for (name, field, reader), child in zip(steps, node, strict=True):
        if reader is _token:  # most elements: a leaf's text, read here without the call
            text = child.text
            if text is None or len(child) or text.strip(XML_WHITESPACE) != text:
                text = _token(child, name, path, ctx)
            values[field] = text
        elif reader is not None:
            values[field] = reader(child, name, path, ctx)
        else:
            href = _read_content(child, f"{path}/{name}", ctx, values)
    return values, href


def _check_namespaces(node: Node, shape: tuple[str, ...], path: str, ctx: _Context) -> None:
    """Children (whose tags are ``shape``) should share the body element's namespace; say
    once if they do not."""
    tag = node.tag
    prefix = tag[: tag.find("}") + 1]  # "{namespace}", or "" for no namespace
    if prefix and all(map(str.startswith, shape, repeat(prefix))):
        return  # the usual body, seen in one pass of C calls rather than a step per child
    for child in node:
        if child.tag.startswith(prefix) and (prefix or child.tag[:1] != "{"):
            continue
        if not _ns(child):
            ctx.log.report(
                "mixed-qualification",
                f"<{_local(node)}> is namespace-qualified but its children are in no namespace",
                path,
            )
        else:
            ctx.log.report(
                "child-namespace", f"<{_local(child)}> is in namespace {_ns(child)!r}", path
            )
        return  # once is enough


def _settle_version(version: str, namespace: str, path: str, ctx: _Context) -> None:
    """Choose the schema for the message and report version/namespace oddities."""
    expected = namespace_for_version(version)  # a known version is well formed
    known = _SCHEMA_OF_NAMESPACE.get(namespace)
    if known is not None and expected == namespace:
        ctx.schema = known  # the usual case: a known version in its own namespace
        return
    index = schema_index(namespace, version)
    ctx.schema = nearest_schema(version) if index is None else index
    if namespace and known is None:
        ctx.log.report(
            "unknown-namespace",
            f"namespace {namespace!r} is not a 3GPP MM7 schema",
            path,
            _UNSUPPORTED_VERSION,
        )
    if expected is None:
        try:
            MM7Version.parse(version)
        except ValueError:
            raise ctx.fail(
                f"MM7Version {version!r} is malformed", path, _UNSUPPORTED_VERSION
            ) from None
        ctx.log.report(
            "unsupported-version",
            f"MM7Version {version} is outside {SPEC.versions[0][0]}..{SPEC.versions[-1][0]}",
            path,
            _UNSUPPORTED_VERSION,
        )
    elif namespace and expected != namespace and known is not None:
        ctx.log.report(
            "version-namespace-mismatch",
            f"MM7Version {version} is sent with {namespace.rsplit('/', 1)[-1]}",
            path,
        )


def _version_element(node: Node) -> Node | None:
    """The body's MM7Version element (the first child in every schema, so looked at first)."""
    if len(node) and (node[0].tag.endswith("}MM7Version") or node[0].tag == "MM7Version"):
        return node[0]
    return next((c for c in node if _local(c) == "MM7Version"), None)


def _read_body_element(
    node: Node, header_namespace: str, ctx: _Context, path: str
) -> tuple[type[Message], dict[str, Any], str | None]:
    name = _local(node)
    table = _TABLES.get(name)
    if table is None:
        raise ctx.fail(f"<{name}> is not an MM7 operation", path, _UNSUPPORTED_OPERATION)
    namespace = _ns(node)
    if not namespace:
        ctx.log.report("no-namespace", f"<{name}> is in no namespace", path)
        namespace = header_namespace
    elif header_namespace and header_namespace != namespace:
        ctx.log.report(
            "header-namespace-mismatch",
            "the TransactionID header and the body are in different namespaces",
            path,
        )
    ctx.namespace = namespace or None
    shape = tuple(map(_TAG_OF, node))
    _check_namespaces(node, shape, path, ctx)
    version_node = _version_element(node)
    if version_node is None:
        raise ctx.fail(f"{name} lacks the required <MM7Version>", path)
    version = _own_text(version_node).strip(XML_WHITESPACE)
    ctx.version = version or None
    schema = _USUAL_PAIRS.get((version, namespace))
    if schema is None:
        _settle_version(version, namespace, path, ctx)
    else:
        ctx.schema = schema
    if table.spec.since > ctx.schema:
        ctx.log.report(
            "not-in-version", f"{name} is a Release 6 operation", path, _UNSUPPORTED_VERSION
        )
    steps = table.plan(ctx.schema, shape)
    if steps is not None:  # the usual body: the plan for its shape
        fields, href = _read_planned(steps, node, path, ctx)
    else:
        reader = _BodyReader(table, ctx)
        reader.read_children(node, path)
        reader.check_required(path)
        fields, href = reader.values, reader.href
        if reader.extras:
            fields["extras"] = tuple(reader.extras)
    fields["namespace"] = namespace
    # What the peer sent: a reply may echo this pairing even where no table holds it.
    fields["peer_pairing"] = (fields.get("version", version), namespace)
    return MESSAGE_TYPES[name], fields, href


# -- envelope ----------------------------------------------------------------------------------


def _only_elements(node: Node, path: str, ctx: _Context) -> list[Node]:
    children = list(node)
    # Text beside the children is rare (white space, at most): looked at only when there.
    beside = node.text is not None or any(map(_TAIL_OF, children))
    if beside and _own_text(node).strip(XML_WHITESPACE):
        ctx.log.report("stray-text", f"text directly inside <{_local(node)}>", path)
    return children


def _read_fault(
    node: Node, transaction_id: str, header_namespace: str, ctx: _Context, path: str
) -> tuple[type[Message], dict[str, Any], str | None]:
    fields: dict[str, Any] = {"namespace": header_namespace, "version": ""}
    qualified = False
    for child in node:
        name = _local(child)
        if _ns(child):
            qualified = True
        if name == "faultcode":
            code = _token(child, name, path, ctx)
            _prefix, colon, local = code.rpartition(":")
            if not colon:
                ctx.log.report(
                    "unprefixed-faultcode", f"faultcode {code!r} has no prefix", f"{path}/{name}"
                )
            fields["faultcode"] = local
        elif name == "faultstring":
            fields["faultstring"] = _text(child, name, path, ctx)
        elif name == "faultactor":
            fields["faultactor"] = _token(child, name, path, ctx)
        elif name == "detail":
            where = f"{path}/{name}"
            entries = [c for c in child if _local(c) in SPEC.messages]
            if len(entries) > 1:
                raise ctx.fail("the Fault detail holds more than one MM7 element", where)
            if entries:
                entry = entries[0]
                cls, values, _href = _read_body_element(
                    entry, header_namespace, ctx, f"{where}/{_local(entry)}"
                )
                if not issubclass(cls, Response):
                    raise ctx.fail(f"the Fault detail holds a request, <{_local(entry)}>", where)
                fields["detail"] = cls(transaction_id=transaction_id, **values)
                fields["version"] = values["version"]
                fields["namespace"] = values["namespace"]
                fields["peer_pairing"] = values["peer_pairing"]
        else:
            ctx.log.report(
                "unknown-element", f"<{name}> in a SOAP Fault; ignored", f"{path}/{name}"
            )
    if qualified:
        ctx.log.report(
            "qualified-fault-children",
            "faultcode/faultstring/detail should be in no namespace",
            path,
        )
    if "faultcode" not in fields:
        raise ctx.fail("the SOAP Fault has no faultcode", path)
    if not fields["version"]:
        fields["version"] = fault_version(header_namespace)
    return Fault, fields, None


def fault_version(namespace: str) -> str:
    """The MM7Version of a Fault with no MM7 element in its detail, which states none: the
    newest version written in the envelope's MM7 namespace, else the newest of all."""
    versions = [
        MM7Version.parse(text)
        for text, index in SPEC.versions
        if namespace and SPEC.namespaces[index] == namespace
    ]
    return str(max(versions) if versions else LATEST_VERSION)


_SOAP_ENVELOPE = f"{{{SPEC.soap_namespace}}}Envelope"
_SOAP_HEADER = f"{{{SPEC.soap_namespace}}}Header"
_SOAP_BODY = f"{{{SPEC.soap_namespace}}}Body"
_SOAP_FAULT = f"{{{SPEC.soap_namespace}}}Fault"


def decode_envelope(data: bytes, log: DeviationLog, limits: Limits) -> DecodedEnvelope:
    """Decode one SOAP envelope (the bytes of the root part)."""
    if data[:1] in b" \t\r\n":
        start = len(data) - len(data.lstrip(b" \t\r\n"))
        if start and data.startswith(b"<?xml", start):
            log.report("leading-whitespace", "white space before the XML declaration", "/")
            data = data[start:]
    root = parse(data, limits, log)
    ctx = _Context(log, None)
    if root.tag != _SOAP_ENVELOPE:
        if _ns(root) == SPEC.soap12_namespace:
            raise DecodeError("a SOAP 1.2 envelope; MM7 uses SOAP 1.1", where="/Envelope")
        raise DecodeError(
            f"not a SOAP 1.1 envelope: the root is <{_local(root)}> in {_ns(root)!r}",
            where="/",
        )
    header = body = None
    for child in _only_elements(root, "/Envelope", ctx):
        tag = child.tag
        if tag == _SOAP_HEADER and header is None and body is None:
            header = child
        elif tag == _SOAP_BODY and body is None:
            body = child
        elif _ns(child) != SPEC.soap_namespace:
            raise DecodeError(
                f"<{_local(child)}> in the envelope is not in the SOAP namespace",
                where=f"/Envelope/{_local(child)}",
            )
        else:
            raise DecodeError(f"unexpected <{_local(child)}> in the envelope", where="/Envelope")
    transaction_id, header_namespace = _transaction_id(header, ctx)
    ctx.transaction_id = transaction_id
    ctx.namespace = header_namespace or None
    if body is None:
        raise ctx.fail("the envelope has no Body", "/Envelope")
    entries = _only_elements(body, "/Envelope/Body", ctx)
    if len(entries) != 1:
        raise ctx.fail(
            f"the SOAP Body holds {len(entries)} elements; MM7 needs exactly one",
            "/Envelope/Body",
        )
    entry = entries[0]
    path = f"/Envelope/Body/{_local(entry)}"
    if entry.tag == _SOAP_FAULT:
        cls, fields, href = _read_fault(entry, transaction_id, header_namespace, ctx, path)
    else:
        cls, fields, href = _read_body_element(entry, header_namespace, ctx, path)
    fields["transaction_id"] = transaction_id
    return DecodedEnvelope(cls, fields, href)


def _transaction_id(header: Node | None, ctx: _Context) -> tuple[str, str]:
    if header is not None and len(header) == 1 and header[0].tag.endswith("}TransactionID"):
        ids = [header[0]]  # the usual header, without a look at each child's name
    else:
        ids = [] if header is None else [c for c in header if _local(c) == "TransactionID"]
    if not ids:
        raise ctx.fail("the SOAP Header has no TransactionID", "/Envelope/Header")
    if len(ids) > 1:
        raise ctx.fail("the SOAP Header has more than one TransactionID", "/Envelope/Header")
    node = ids[0]
    where = "/Envelope/Header/TransactionID"
    raw = _text(node, "TransactionID", "/Envelope/Header", ctx)
    value = raw.strip(XML_WHITESPACE)
    if value != raw:
        ctx.log.report("padded-transaction-id", "TransactionID is padded with white space", where)
    if not value:
        raise ctx.fail("the TransactionID is empty", where)
    return value, _ns(node)
