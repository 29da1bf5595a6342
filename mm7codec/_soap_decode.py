"""SOAP envelope -> typed MM7 message, driven by the spec tables.

Decoding never depends on element order: children are matched by local name, whatever their
prefix or namespace, and the schema order is only used to record that input was out of order.
Every liberty taken is reported to the ``DeviationLog``; strict mode turns it into an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._deviations import DeviationLog
from ._errors import DecodeError
from ._lexical import (
    XML_WHITESPACE,
    parse_boolean,
    parse_datetime,
    parse_relative_date,
)
from ._limits import Limits
from ._messages import MESSAGE_TYPES, Fault, Message, Response
from ._spec import SPEC, ElementSpec, MessageSpec
from ._status import Status, StatusCode
from ._values import ADDRESS_KINDS, Address, Recipients, ReplyCharging, UACapabilities
from ._versions import MM7Version, namespace_for_version, nearest_schema, schema_index
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


@dataclass(frozen=True, slots=True)
class DecodedEnvelope:
    """What the SOAP layer found: the message class and its fields (deviations are added by
    the caller once the MIME layer has had its say), and the Content href to resolve."""

    message_type: type[Message]
    fields: dict[str, Any]
    content_href: str | None


class _Context:
    """Per-message state shared by the element readers."""

    __slots__ = ("log", "schema", "transaction_id")

    def __init__(self, log: DeviationLog, transaction_id: str | None) -> None:
        self.log = log
        self.schema = len(SPEC.namespaces) - 1
        self.transaction_id = transaction_id

    def fail(self, reason: str, where: str, status: int = _VALIDATION_ERROR) -> DecodeError:
        return DecodeError(
            reason, where=where, status_code=status, transaction_id=self.transaction_id
        )


# -- simple types ------------------------------------------------------------------------------


def _plain_text(node: Node, path: str, ctx: _Context) -> str:
    if len(node):
        ctx.log.report(
            "unexpected-markup",
            f"<{_local(node)}> holds elements where text was expected; only its text is kept",
            path,
        )
    return _own_text(node)


def _token(node: Node, path: str, ctx: _Context) -> str:
    raw = _plain_text(node, path, ctx)
    value = raw.strip(XML_WHITESPACE)
    if value != raw:
        ctx.log.report("padded-value", f"<{_local(node)}> value is padded with white space", path)
    return value


def _string(node: Node, path: str, ctx: _Context) -> str:
    return _plain_text(node, path, ctx)


def _boolean_value(text: str, path: str, ctx: _Context, what: str) -> bool:
    try:
        value, exact = parse_boolean(text)
    except ValueError:
        raise ctx.fail(f"{what} is not a boolean: {text!r}", path) from None
    if not exact:
        ctx.log.report("boolean-case", f"{what} is {text.strip()!r}, not true/false", path)
    return value


def _boolean(node: Node, path: str, ctx: _Context) -> bool:
    return _boolean_value(_plain_text(node, path, ctx), path, ctx, f"<{_local(node)}>")


def _integer_value(text: str, path: str, ctx: _Context, what: str) -> int:
    stripped = text.strip(XML_WHITESPACE)
    if not stripped.isdigit() or not stripped.isascii() or len(stripped) > 18:
        raise ctx.fail(f"{what} is not a positive integer: {text!r}", path)
    return int(stripped)


def _positive_integer(node: Node, path: str, ctx: _Context) -> int:
    return _integer_value(_plain_text(node, path, ctx), path, ctx, f"<{_local(node)}>")


def _datetime_value(text: str, path: str, ctx: _Context, what: str) -> Any:
    try:
        value, notes = parse_datetime(text)
    except ValueError:
        raise ctx.fail(f"{what} is not a date and time: {text!r}", path) from None
    _note_datetime(notes, path, ctx, what)
    return value


def _note_datetime(notes: list[str], path: str, ctx: _Context, what: str) -> None:
    if "naive" in notes:
        ctx.log.report("naive-datetime", f"{what} has no time zone; taken as UTC", path)
    if "precision" in notes:
        ctx.log.report("datetime-precision", f"{what} has sub-microsecond digits; cut", path)


def _datetime(node: Node, path: str, ctx: _Context) -> Any:
    return _datetime_value(_plain_text(node, path, ctx), path, ctx, f"<{_local(node)}>")


def _relative_date_value(text: str, path: str, ctx: _Context, what: str) -> Any:
    try:
        value, notes = parse_relative_date(text)
    except ValueError:
        raise ctx.fail(f"{what} is neither a date nor a duration: {text!r}", path) from None
    _note_datetime(notes, path, ctx, what)
    return value


def _relative_date(node: Node, path: str, ctx: _Context) -> Any:
    return _relative_date_value(_plain_text(node, path, ctx), path, ctx, f"<{_local(node)}>")


def _enum(name: str) -> Callable[[Node, str, _Context], str]:
    every_value = frozenset(value for value, _ in SPEC.enums[name])

    def read(node: Node, path: str, ctx: _Context) -> str:
        value = _token(node, path, ctx)
        if value not in every_value:
            ctx.log.report(
                "unknown-enum-value", f"<{_local(node)}> {value!r} is not a {name} value", path
            )
        elif value not in SPEC.enum_values(name, ctx.schema):
            ctx.log.report(
                "not-in-version", f"<{_local(node)}> {value!r} is not in this schema version", path
            )
        return value

    return read


# -- structured types --------------------------------------------------------------------------


def _address_from_typed(child: Node, path: str, ctx: _Context) -> Address:
    kind = _local(child)
    value = _token(child, path, ctx)
    if kind == "Number" and value.upper().endswith(_PLMN_SUFFIX):
        ctx.log.report("address-type-suffix", f"number {value!r} carries /TYPE=PLMN; cut", path)
        value = value[: -len(_PLMN_SUFFIX)]
    display_only = address_coding = identifier = None
    text, _ = _attribute(child, "displayOnly")
    if text is not None:
        display_only = _boolean_value(text, path, ctx, "displayOnly")
    address_coding, _ = _attribute(child, "addressCoding")
    identifier, _ = _attribute(child, "id")
    return Address(value, kind, display_only, address_coding, identifier)  # type: ignore[arg-type]


def _guess_kind(value: str) -> str:
    if "@" in value:
        return "RFC2822Address"
    digits = value.removeprefix("+")
    return "Number" if digits.isdigit() and len(digits) > 6 else "ShortCode"


def _address(node: Node, path: str, ctx: _Context) -> Address:
    typed: list[tuple[str, Node]] = []
    for child in node:
        name = _local(child)
        if name in ADDRESS_KINDS:
            typed.append((name, child))
        else:
            ctx.log.report("unknown-element", f"<{name}> in an address; ignored", path)
    if len(typed) > 1:
        raise ctx.fail(f"<{_local(node)}> holds {len(typed)} addresses, one expected", path)
    if typed:
        name, child = typed[0]
        return _address_from_typed(child, f"{path}/{name}", ctx)
    value = _own_text(node).strip(XML_WHITESPACE)
    if not value:
        raise ctx.fail(f"<{_local(node)}> holds no address", path)
    kind = _guess_kind(value)
    ctx.log.report(
        "legacy-address",
        f"<{_local(node)}> is bare text, not a typed address; read as {kind}",
        path,
    )
    return Address(value, kind)  # type: ignore[arg-type]


def _addresses_in(node: Node, path: str, ctx: _Context) -> list[Address]:
    found = []
    for child in node:
        if _local(child) in ADDRESS_KINDS:
            found.append(_address_from_typed(child, f"{path}/{_local(child)}", ctx))
        else:
            ctx.log.report("unknown-element", f"<{_local(child)}> among addresses; ignored", path)
    if not len(node) and _own_text(node).strip(XML_WHITESPACE):
        value = _own_text(node).strip(XML_WHITESPACE)
        kind = _guess_kind(value)
        ctx.log.report("legacy-address", f"<{_local(node)}> is bare text; read as {kind}", path)
        found.append(Address(value, kind))  # type: ignore[arg-type]
    return found


_RECIPIENT_LISTS = {"To": "to", "Cc": "cc", "Bcc": "bcc"}


def _recipients(node: Node, path: str, ctx: _Context) -> Recipients:
    lists: dict[str, list[Address]] = {"to": [], "cc": [], "bcc": []}
    for child in node:
        field = _RECIPIENT_LISTS.get(_local(child))
        if field is None:
            ctx.log.report("unknown-element", f"<{_local(child)}> in Recipients; ignored", path)
            continue
        lists[field].extend(_addresses_in(child, f"{path}/{_local(child)}", ctx))
    return Recipients(tuple(lists["to"]), tuple(lists["cc"]), tuple(lists["bcc"]))


def _status(node: Node, path: str, ctx: _Context) -> Status:
    code = text = details = None
    for child in node:
        name = _local(child)
        where = f"{path}/{name}"
        if name == "StatusCode":
            code = _positive_integer(child, where, ctx)
        elif name == "StatusText":
            text = _string(child, where, ctx)
        elif name == "Details":
            details = _flattened_text(child)
            if len(child):
                ctx.log.report("details-markup", "<Details> markup flattened to its text", where)
        else:
            ctx.log.report("unknown-element", f"<{name}> in Status; ignored", path)
    if code is None:
        raise ctx.fail("<Status> has no <StatusCode>", path)
    # Codes outside the table (vendors use 25xx) are schema-valid integers: kept, not reported.
    return Status(code, text, details)


def _flattened_text(node: Node) -> str:
    """All text below ``node`` in document order."""
    return "".join(node.itertext())


def _reply_charging(node: Node, path: str, ctx: _Context) -> ReplyCharging | None:
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
    return ReplyCharging(
        size=None
        if size_text is None
        else _integer_value(size_text, path, ctx, "replyChargingSize"),
        deadline=None
        if deadline_text is None
        else _relative_date_value(deadline_text, path, ctx, "replyDeadline"),
    )


def _ua_capabilities(node: Node, path: str, ctx: _Context) -> UACapabilities:
    profile, _ = _attribute(node, "UAProf")
    stamp, _ = _attribute(node, "TimeStamp")
    return UACapabilities(
        ua_prof=profile,
        time_stamp=None if stamp is None else _datetime_value(stamp, path, ctx, "TimeStamp"),
    )


def _delivery_condition(node: Node, path: str, ctx: _Context) -> tuple[int, ...]:
    return tuple(
        _positive_integer(child, f"{path}/DC", ctx) for child in node if _local(child) == "DC"
    )


def _user_agents(node: Node, path: str, ctx: _Context) -> tuple[Address, ...]:
    found: list[Address] = []
    for child in node:
        if _local(child) == "UserAgent":
            found.append(_address(child, f"{path}/UserAgent", ctx))
        elif _local(child) in ADDRESS_KINDS:
            found.append(_address_from_typed(child, f"{path}/{_local(child)}", ctx))
    return tuple(found)


def _datetimes(node: Node, path: str, ctx: _Context) -> tuple[Any, ...]:
    return tuple(
        _datetime(child, f"{path}/DateTime", ctx) for child in node if _local(child) == "DateTime"
    )


_Reader = Callable[[Node, str, _Context], Any]

_READERS: dict[str, _Reader] = {
    "token": _token,
    "string": _string,
    "boolean": _boolean,
    "positiveInteger": _positive_integer,
    "dateTime": _datetime,
    "relativeDate": _relative_date,
    "Address": _address,
    "Recipients": _recipients,
    "Status": _status,
    "ReplyCharging": _reply_charging,
    "UACapabilities": _ua_capabilities,
    "DeliveryCondition": _delivery_condition,
    "UserAgents": _user_agents,
    "DateTimes": _datetimes,
}
_READERS.update({f"enum:{name}": _enum(name) for name in SPEC.enums})


# -- message bodies ----------------------------------------------------------------------------


class _BodyReader:
    """Reads one MM7 body element into field values, whatever the order of its children."""

    def __init__(self, spec: MessageSpec, ctx: _Context, path: str) -> None:
        self.spec = spec
        self.ctx = ctx
        self.path = path
        self.values: dict[str, Any] = {}
        self.seen_groups: set[str] = set()
        self.href: str | None = None
        self.last_position = -1
        self.reported_order = False

    def read_children(self, parent: Node, path: str) -> None:
        by_element = self.spec.by_element
        for child in parent:
            name = _local(child)
            entry = by_element.get(name)
            where = f"{path}/{name}"
            if entry is None:
                self._unknown(child, where)
                continue
            position, element = entry
            if position < self.last_position and not self.reported_order:
                self.reported_order = True
                self.ctx.log.report(
                    "out-of-order", f"<{name}> comes later in the schema sequence", where
                )
            self.last_position = max(self.last_position, position)
            if element.since > self.ctx.schema:
                self.ctx.log.report(
                    "not-in-version",
                    f"<{name}> is not in this schema version",
                    where,
                    _UNSUPPORTED_VERSION,
                )
            if element.is_group:
                self._group(element, child, where)
            else:
                self._set(element, child, where)

    def _unknown(self, child: Node, where: str) -> None:
        if len(child):
            # A wrapper we do not expect here (SenderIdentification inside DeliverReq): read
            # what it holds as if it stood directly in the body, so nothing is lost.
            self.ctx.log.report(
                "unexpected-wrapper", f"<{_local(child)}> is not part of {self.spec.name}", where
            )
            self.read_children(child, where)
        else:
            self.ctx.log.report(
                "unknown-element",
                f"<{_local(child)}> is not part of {self.spec.name}; its text "
                f"{_own_text(child).strip(XML_WHITESPACE)[:200]!r} is not kept",
                where,
            )

    def _group(self, group: ElementSpec, node: Node, path: str) -> None:
        self.seen_groups.add(group.element)
        members = {member.element: member for member in group.children}
        for child in node:
            member = members.get(_local(child))
            where = f"{path}/{_local(child)}"
            if member is None:
                self._unknown(child, where)
            else:
                self._set(member, child, where)

    def _set(self, element: ElementSpec, node: Node, path: str) -> None:
        if element.field in self.values:
            raise self.ctx.fail(f"<{_local(node)}> appears more than once", path)
        if element.type == "Content":
            self._content(node, path)
            return
        self.values[element.field] = _READERS[element.type](node, path, self.ctx)

    def _content(self, node: Node, path: str) -> None:
        href, qualified = _attribute(node, "href")
        if qualified:
            self.ctx.log.report("qualified-attribute", "href carries a namespace prefix", path)
        if href is None:
            self.ctx.log.report("content-without-href", "<Content> has no href", path)
        self.href = href
        self.values["content"] = None
        allow, _ = _attribute(node, "allowAdaptations")
        if allow is not None:
            self.values["allow_adaptations"] = _boolean_value(
                allow, path, self.ctx, "allowAdaptations"
            )
        if _own_text(node).strip(XML_WHITESPACE) == "" and _own_text(node):
            self.ctx.log.report("content-text", "<Content> holds white space", path)
        elif _own_text(node) or node:
            self.ctx.log.report("content-text", "<Content> should be empty", path)

    def check_required(self) -> None:
        for element in self.spec.in_schema(self.ctx.schema):
            if not element.required:
                continue
            if element.is_group:
                if element.element not in self.seen_groups:
                    self.ctx.log.report(
                        "missing-element",
                        f"{self.spec.name} has no <{element.element}>",
                        self.path,
                        _VALIDATION_ERROR,
                    )
            elif element.field not in self.values:
                raise self.ctx.fail(
                    f"{self.spec.name} lacks the required <{element.element}>", self.path
                )


def _check_namespaces(node: Node, path: str, ctx: _Context) -> None:
    """Children should share the body element's namespace; say once if they do not."""
    tag = node.tag
    prefix = tag[: tag.find("}") + 1]  # "{namespace}", or "" for no namespace
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
    index = schema_index(namespace, version)
    ctx.schema = nearest_schema(version) if index is None else index
    if namespace and SPEC.namespace_index(namespace) is None:
        ctx.log.report(
            "unknown-namespace",
            f"namespace {namespace!r} is not a 3GPP MM7 schema",
            path,
            _UNSUPPORTED_VERSION,
        )
    expected = namespace_for_version(version)  # a known version is well formed
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
    elif namespace and expected != namespace and SPEC.namespace_index(namespace) is not None:
        ctx.log.report(
            "version-namespace-mismatch",
            f"MM7Version {version} is sent with {namespace.rsplit('/', 1)[-1]}",
            path,
        )


def _read_body_element(
    node: Node, header_namespace: str, ctx: _Context, path: str
) -> tuple[type[Message], dict[str, Any], str | None]:
    spec = SPEC.messages.get(_local(node))
    if spec is None:
        raise ctx.fail(f"<{_local(node)}> is not an MM7 operation", path, _UNSUPPORTED_OPERATION)
    namespace = _ns(node)
    if not namespace:
        ctx.log.report("no-namespace", f"<{_local(node)}> is in no namespace", path)
        namespace = header_namespace
    elif header_namespace and header_namespace != namespace:
        ctx.log.report(
            "header-namespace-mismatch",
            "the TransactionID header and the body are in different namespaces",
            path,
        )
    _check_namespaces(node, path, ctx)
    version_node = next((c for c in node if _local(c) == "MM7Version"), None)
    if version_node is None:
        raise ctx.fail(f"{_local(node)} lacks the required <MM7Version>", path)
    version = _own_text(version_node).strip(XML_WHITESPACE)
    _settle_version(version, namespace, path, ctx)
    if spec.since > ctx.schema:
        ctx.log.report(
            "not-in-version", f"{_local(node)} is a Release 6 operation", path, _UNSUPPORTED_VERSION
        )
    reader = _BodyReader(spec, ctx, path)
    reader.read_children(node, path)
    reader.check_required()
    fields = reader.values
    fields["namespace"] = namespace
    return MESSAGE_TYPES[_local(node)], fields, reader.href


# -- envelope ----------------------------------------------------------------------------------


def _only_elements(node: Node, path: str, ctx: _Context) -> list[Node]:
    if _own_text(node).strip(XML_WHITESPACE):
        ctx.log.report("stray-text", f"text directly inside <{_local(node)}>", path)
    return list(node)


def _read_fault(
    node: Node, transaction_id: str, header_namespace: str, ctx: _Context, path: str
) -> tuple[type[Message], dict[str, Any], str | None]:
    fields: dict[str, Any] = {"namespace": header_namespace, "version": ""}
    qualified = False
    for child in node:
        where = f"{path}/{_local(child)}"
        if _ns(child):
            qualified = True
        if _local(child) == "faultcode":
            code = _token(child, where, ctx)
            _prefix, colon, local = code.rpartition(":")
            if not colon:
                ctx.log.report("unprefixed-faultcode", f"faultcode {code!r} has no prefix", where)
            fields["faultcode"] = local
        elif _local(child) == "faultstring":
            fields["faultstring"] = _string(child, where, ctx)
        elif _local(child) == "faultactor":
            fields["faultactor"] = _token(child, where, ctx)
        elif _local(child) == "detail":
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
        else:
            ctx.log.report("unknown-element", f"<{_local(child)}> in a SOAP Fault; ignored", where)
    if qualified:
        ctx.log.report(
            "qualified-fault-children",
            "faultcode/faultstring/detail should be in no namespace",
            path,
        )
    if "faultcode" not in fields:
        raise ctx.fail("the SOAP Fault has no faultcode", path)
    return Fault, fields, None


def decode_envelope(data: bytes, log: DeviationLog, limits: Limits) -> DecodedEnvelope:
    """Decode one SOAP envelope (the bytes of the root part)."""
    start = len(data) - len(data.lstrip(b" \t\r\n"))
    if start and data.startswith(b"<?xml", start):
        log.report("leading-whitespace", "white space before the XML declaration", "/")
        data = data[start:]
    root = parse(data, limits)
    ctx = _Context(log, None)
    if _local(root) != "Envelope" or _ns(root) != SPEC.soap_namespace:
        if _ns(root) == SPEC.soap12_namespace:
            raise DecodeError("a SOAP 1.2 envelope; MM7 uses SOAP 1.1", where="/Envelope")
        raise DecodeError(
            f"not a SOAP 1.1 envelope: the root is <{_local(root)}> in {_ns(root)!r}",
            where="/",
        )
    header = body = None
    for child in _only_elements(root, "/Envelope", ctx):
        if _ns(child) != SPEC.soap_namespace:
            raise DecodeError(
                f"<{_local(child)}> in the envelope is not in the SOAP namespace",
                where=f"/Envelope/{_local(child)}",
            )
        if _local(child) == "Header" and header is None and body is None:
            header = child
        elif _local(child) == "Body" and body is None:
            body = child
        else:
            raise DecodeError(f"unexpected <{_local(child)}> in the envelope", where="/Envelope")
    transaction_id, header_namespace = _transaction_id(header, ctx)
    ctx.transaction_id = transaction_id
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
    if _local(entry) == "Fault" and _ns(entry) == SPEC.soap_namespace:
        cls, fields, href = _read_fault(entry, transaction_id, header_namespace, ctx, path)
    else:
        cls, fields, href = _read_body_element(entry, header_namespace, ctx, path)
    fields["transaction_id"] = transaction_id
    return DecodedEnvelope(cls, fields, href)


def _transaction_id(header: Node | None, ctx: _Context) -> tuple[str, str]:
    ids = [] if header is None else [c for c in header if _local(c) == "TransactionID"]
    if not ids:
        raise ctx.fail("the SOAP Header has no TransactionID", "/Envelope/Header")
    if len(ids) > 1:
        raise ctx.fail("the SOAP Header has more than one TransactionID", "/Envelope/Header")
    node = ids[0]
    where = "/Envelope/Header/TransactionID"
    raw = _plain_text(node, where, ctx)
    value = raw.strip(XML_WHITESPACE)
    if value != raw:
        ctx.log.report("padded-transaction-id", "TransactionID is padded with white space", where)
    if not value:
        raise ctx.fail("the TransactionID is empty", where)
    return value, _ns(node)
