"""The JSON Schema (draft 2020-12) of the JSON form ``Message.to_dict`` writes.

Built when asked, from the spec tables that the codec itself reads (``specs/mm7.toml``, as
``mm7codec.fields`` lists them): each message type of each version, its fields, which are
required and the values of each enumeration. So the schema cannot drift from the codec: a
field added to the spec appears in both. What the tables do not describe (the SOAP Fault,
the content tree, the bookkeeping records) is written here, as ``_json`` reads and writes it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, cast

from ._catalog import FieldInfo, fields_in_schema, schema_of_version
from ._json import ADDRESS_KEYS, RECIPIENT_KEYS
from ._messages import MESSAGE_TYPES, Response
from ._spec import SPEC
from ._versions import SUPPORTED_VERSIONS, MM7Version

__all__ = ["json_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_STRING = {"type": "string"}
_NULL = {"type": "null"}
_BOOLEAN = {"type": "boolean"}
_POSITIVE = {"type": "integer", "minimum": 1}
# xs:dateTime with its offset, as the JSON form writes it and reads it (microseconds at most).
_DATE_TIME = r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)"
# xs:duration: at least one number, and a T only before a time part.
_DURATION = r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, _NULL]}


def _object(
    properties: dict[str, Any], required: tuple[str, ...] = (), **more: Any
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return {**schema, "additionalProperties": False, **more}


def json_schema(version: str | MM7Version | None = None) -> dict[str, Any]:
    """The JSON Schema of ``Message.to_dict`` output and ``Message.from_dict`` input: every
    message type of MM7Version ``version``, or of every supported version (None), with the
    fields and enumeration values that schema has. Unknown versions are a ``UsageError``."""
    versions = [str(v) for v in SUPPORTED_VERSIONS] if version is None else [str(version)]
    schemas = sorted({schema_of_version(chosen) for chosen in versions})
    names = [name for name, spec in SPEC.messages.items() if any(spec.since <= i for i in schemas)]
    defs = {name: _message(name, schemas) for name in names}
    responses = [name for name in names if issubclass(MESSAGE_TYPES[name], Response)]
    defs["Fault"] = _fault(responses)
    defs.update(_common_defs(schemas))
    which = "every supported MM7Version" if version is None else f"MM7Version {version}"
    schema = {
        "$schema": _DRAFT,
        "title": "MM7 message",
        "description": f"An MM7 message as mm7codec's Message.to_dict writes it ({which}).",
        "oneOf": [_ref(name) for name in [*names, "Fault"]],
        "$defs": defs,
    }
    return copy.deepcopy(schema)  # the shared pieces become the caller's own


def _head(name: str) -> dict[str, Any]:
    return {
        "type": {"const": name},
        "transaction_id": _STRING,
        "version": {"type": "string", "description": "the MM7Version"},
        "namespace": {"type": "string", "description": "the schema namespace URI"},
    }


def _bookkeeping() -> dict[str, Any]:
    return {
        "peer_pairing": {
            "type": "array",
            "prefixItems": [_STRING, _STRING],
            "minItems": 2,
            "maxItems": 2,
            "description": "[MM7Version, namespace] as a peer paired them",
        },
        "extras": {"type": "array", "items": _ref("Extra")},
        "deviations": {"type": "array", "items": _ref("Deviation")},
    }


def _message(name: str, schemas: list[int]) -> dict[str, Any]:
    """One message type over the schemas (indexes of the spec's namespaces): the union of
    its fields, the values of each enumeration in any of them, and the fields every one of
    them requires."""
    properties = _head(name)
    required: set[str] | None = None
    for schema in schemas:
        if SPEC.messages[name].since > schema:
            continue
        fields = [field for field in fields_in_schema(name, schema) if field.name != "version"]
        for field in fields:
            _merge(properties, field)
        needed = {field.name for field in fields if field.required}
        required = needed if required is None else required & needed
    if "content" in properties:
        properties.update((f, _nullable(_of_type(t))) for f, t in SPEC.content_attributes.items())
    properties.update(_bookkeeping())
    in_order = [key for key in properties if key in (required or set())]
    return _object(properties, ("type", *in_order))


def _merge(properties: dict[str, Any], field: FieldInfo) -> None:
    """Add the field, or the enumeration values this schema adds to it."""
    schema = _value(field)
    known = properties.get(field.name)
    if known is None:
        properties[field.name] = schema if field.required else _nullable(schema)
        return
    if field.values:
        enum = _enum_list(known)
        enum.extend(value for value in field.values if value not in enum)


def _enumerated(values: Iterable[str]) -> dict[str, Any]:
    """One of ``values``, or other text: a leniently decoded message keeps a value outside
    the enumeration (an ``UnknownValue``, which encoding refuses), and its JSON has it."""
    return {"anyOf": [{"enum": list(values)}, _ref("UnknownValue")]}


def _enum_list(schema: dict[str, Any]) -> list[str]:
    """The list of values inside an ``_enumerated`` schema, made nullable or not."""
    if "enum" in schema:
        return cast("list[str]", schema["enum"])
    return next(_enum_list(member) for member in schema["anyOf"] if "$ref" not in member)


#: The schema of a value of each spec type (an enumeration aside).
_OF_TYPE: dict[str, dict[str, Any]] = {
    "token": _STRING,
    "string": _STRING,
    "ID": _STRING,
    "boolean": _BOOLEAN,
    "positiveInteger": _POSITIVE,
    "dateTime": _ref("DateTime"),
    "relativeDate": _ref("RelativeDate"),
    "Address": _ref("Address"),
    "AddressText": _ref("Address"),
    "Recipients": _ref("Recipients"),
    "Status": _ref("Status"),
    "StatusCodeOnly": _ref("StatusCodeOnly"),
    "ReplyCharging": _ref("ReplyCharging"),
    "UACapabilities": _ref("UACapabilities"),
    "DeliveryCondition": {"type": "array", "items": _POSITIVE, "minItems": 1},
    "UserAgents": {"type": "array", "items": _ref("Address"), "minItems": 1},
    "DateTimes": {"type": "array", "items": _ref("RelativeDate"), "minItems": 1},
    "Content": _ref("Part"),
}


def _of_type(kind: str) -> dict[str, Any]:
    return dict(_OF_TYPE[kind])


def _value(field: FieldInfo) -> dict[str, Any]:
    if field.values:
        return _enumerated(field.values)
    return _of_type(field.type)


def _fault(responses: list[str]) -> dict[str, Any]:
    properties = {
        **_head("Fault"),
        "faultcode": _STRING,
        "faultstring": _STRING,
        "faultactor": _nullable(_STRING),
        "detail": _nullable({"oneOf": [_ref(name) for name in responses]}),
        **_bookkeeping(),
    }
    return _object(properties, ("type",), description="a SOAP 1.1 Fault")


def _address(schemas: list[int]) -> dict[str, Any]:
    """Address from the spec's table: one key per kind of the choice, beside it the attributes
    (with the AddressCoding values) that one of ``schemas`` has; or a phone number as a plain
    string."""
    table = SPEC.types["Address"]
    newest = max(schemas)
    properties: dict[str, Any] = {ADDRESS_KEYS[kind]: _STRING for kind in table["choice"]}
    for attribute in table["attributes"]:
        kind = attribute["type"]
        if SPEC.address_attributes_since[attribute["field"]] > newest:
            continue
        if kind.startswith("enum:"):
            values = SPEC.enum_values(kind.removeprefix("enum:"), newest)
            properties[attribute["field"]] = _nullable(_enumerated(values))
        else:
            properties[attribute["field"]] = _nullable(_of_type(kind))
    one_kind = [{"required": [ADDRESS_KEYS[kind]]} for kind in table["choice"]]
    return {
        "oneOf": [
            {"type": "string", "description": "a phone number, normalised when read"},
            _object(properties, oneOf=one_kind),
        ]
    }


def _recipients() -> dict[str, Any]:
    keys = [RECIPIENT_KEYS[element["element"]] for element in SPEC.types["Recipients"]["elements"]]
    addresses = {"type": "array", "items": _ref("Address"), "minItems": 1}
    group = _object({key: addresses for key in keys}, minProperties=1, maxProperties=1)
    return {
        "oneOf": [
            {"type": "array", "items": _ref("Address"), "description": "To addresses"},
            _object({key: {"type": "array", "items": _ref("Address")} for key in keys}),
            _object({"groups": {"type": "array", "items": group}}, ("groups",)),
        ]
    }


def _part() -> dict[str, Any]:
    properties = {
        "content_type": _STRING,
        "params": {"type": "object", "additionalProperties": _STRING},
        "content_id": _nullable(_STRING),
        "content_location": _nullable(_STRING),
        "transfer_encoding": _nullable(_STRING),
        "parts": {"type": "array", "items": _ref("Part")},
        "text": _STRING,
        "base64": {"type": "string", "contentEncoding": "base64"},
        "path": {"type": "string", "description": "a file, when building"},
    }
    one_body = [{"required": [body]} for body in ("parts", "text", "base64", "path")]
    return _object(properties, oneOf=one_body)


def _common_defs(schemas: list[int]) -> dict[str, Any]:
    return {
        "UnknownValue": {
            "type": "string",
            "description": "a value outside its enumeration, as a peer sent it",
        },
        "DateTime": {"type": "string", "format": "date-time", "pattern": f"^{_DATE_TIME}$"},
        "RelativeDate": {
            "type": "string",
            "description": "an ISO 8601 date and time, or an ISO 8601 duration",
            "pattern": f"^({_DATE_TIME}|{_DURATION})$",
        },
        "Address": _address(schemas),
        "Recipients": _recipients(),
        "Status": {
            "oneOf": [
                _POSITIVE,
                _object(
                    {
                        "code": _POSITIVE,
                        "text": _nullable(_STRING),
                        "details": _nullable(_STRING),
                    },
                    ("code",),
                ),
            ]
        },
        "StatusCodeOnly": {
            "oneOf": [
                _POSITIVE,
                _object({"code": _POSITIVE, "text": _NULL, "details": _NULL}, ("code",)),
            ]
        },
        "ReplyCharging": _object(
            {"size": _POSITIVE, "deadline": _ref("RelativeDate")},
        ),
        "UACapabilities": _object(
            {"ua_prof": _STRING, "time_stamp": _ref("RelativeDate")},
        ),
        "Part": _part(),
        "Extra": _object(
            {
                "name": _STRING,
                "namespace": _STRING,
                "text": _STRING,
                "after": _nullable(_STRING),
            },
            ("name", "namespace", "text"),
        ),
        "Deviation": _object(
            {"code": _STRING, "detail": _STRING, "where": _STRING, "status_code": _POSITIVE},
            ("code", "detail"),
        ),
    }
