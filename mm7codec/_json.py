"""The one JSON form of every MM7 message: ``Message.to_dict`` and ``Message.from_dict``.

``Message.to_dict()`` writes a message as plain JSON values (dicts, lists, strings, numbers,
booleans); ``Message.from_dict(data)`` reads it back, ``from_dict(to_dict(m)) == m``. The form:

* ``type`` (the body element name, or ``"Fault"``), ``transaction_id``, ``version`` and
  ``namespace``, then each field that is set, under its Python name (``sender_address``).
  A field that is None is left out; ``from_dict`` takes a missing field and ``null`` alike.
* Addresses: ``{"number": "15553199144"}``, ``{"short_code": "12345"}`` or
  ``{"rfc2822_address": "a@example.com"}``, with ``display_only``, ``address_coding`` and
  ``id`` beside it when set. ``from_dict`` also takes a plain string, as a phone number that
  ``normalize_number`` accepts (``"+1 555 319 9144"``).
* Recipients: ``{"to": [...], "cc": [...], "bcc": [...]}`` (the lists that are not empty),
  or, when the wire had another arrangement of To, Cc and Bcc elements,
  ``{"groups": [{"cc": [...]}, {"to": [...]}]}`` in wire order. ``from_dict`` also takes a
  plain list of addresses, all To.
* Status: ``{"code": 1000, "text": "Success", "details": null}``; ``from_dict`` fills in the
  standard text when ``text`` is missing (not when it is ``null``) and takes a bare code.
* Dates: ISO 8601 (``2026-11-23T10:15:00+01:00``); relative-or-absolute dates are a date or
  an ISO 8601 duration (``P1DT12H``).
* Content: a tree of parts, each with ``content_type`` (the media type), ``params``,
  ``content_id``, ``content_location`` and ``transfer_encoding`` when set. A multipart has
  ``parts``; a leaf has its body as ``text`` (when it is textual and its charset reads and
  writes it back byte for byte) or else ``base64``. When building, a leaf may instead give
  ``path``, a file read when the message is encoded; ``from_dict`` reads files only when it is
  given ``base_dir``, and only files inside it (relative paths start there), so JSON from
  elsewhere names no other local file.
* Bookkeeping, written only when there is some: ``peer_pairing`` (when it is not the
  version's own namespace), ``extras`` and ``deviations``. They take no part in equality;
  ``from_dict`` reads them back so that a decoded message re-encodes as it would have.

Mistakes in the data are a ``DecodeError`` whose ``where`` is the JSON path of the value at
fault (``content.parts[1].content_type``): reading this form is decoding it.

``_json_schema.json_schema(version)`` builds the JSON Schema of the form from the spec tables.
"""

from __future__ import annotations

import base64
import dataclasses
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import MISSING
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

from ._deviations import Deviation
from ._enums import AddressCoding, UnknownValue
from ._errors import DecodeError, MM7Error
from ._extras import Extra
from ._lexical import format_datetime, format_relative_date, parse_relative_date
from ._messages import MESSAGE_TYPES, Fault, Message, Response
from ._mime.headers import text_codec
from ._parts import Part
from ._spec import SPEC
from ._status import Status
from ._values import (
    Address,
    AddressKind,
    RecipientKind,
    Recipients,
    RelativeDate,
    ReplyCharging,
    UACapabilities,
    normalize_number,
)
from ._versions import namespace_for_version

__all__ = ["ADDRESS_KEYS", "RECIPIENT_KEYS", "message_from_dict", "message_to_dict"]

M = TypeVar("M", bound=Message)
T = TypeVar("T")

#: The JSON key of each address kind: the schema's choice of child elements, in snake_case.
ADDRESS_KEYS: dict[AddressKind, str] = {
    "Number": "number",
    "ShortCode": "short_code",
    "RFC2822Address": "rfc2822_address",
}
_ADDRESS_KINDS = {key: kind for kind, key in ADDRESS_KEYS.items()}
RECIPIENT_KEYS: dict[RecipientKind, str] = {"To": "to", "Cc": "cc", "Bcc": "bcc"}
_RECIPIENT_KINDS = {key: kind for kind, key in RECIPIENT_KEYS.items()}
#: Fields every message has, written before the others.
_HEAD = ("transaction_id", "version", "namespace")
#: The SOAP Fault is no MM7 body element: its fields and their kinds, by hand.
_FAULT_KINDS = {
    "faultcode": "string",
    "faultstring": "string",
    "faultactor": "string",
    "detail": "Response",
}
_CLASSES: dict[str, type[Message]] = {**MESSAGE_TYPES, "Fault": Fault}


def _kinds(cls: type[Message]) -> dict[str, str]:
    """Field name -> spec type (``token``, ``Address``, ``enum:Priority``...), in spec order,
    over every schema: each element's own type (a sender the old schemas write as plain text
    is still an ``Address`` here)."""
    return _FAULT_KINDS if cls is Fault else _spec_kinds(cls.__name__)


@cache
def _spec_kinds(name: str) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for element in SPEC.messages[name].elements:
        for member in element.members:
            kinds[member.field] = member.type
    del kinds["version"]
    if "content" in kinds:  # and the Content element's attributes
        kinds.update(SPEC.content_attributes)
    return kinds


# -- to_dict ------------------------------------------------------------------------------------


def message_to_dict(message: Message) -> dict[str, Any]:
    """``message`` in the JSON form (see the module docstring). Bodies are read whole."""
    data: dict[str, Any] = {"type": type(message).__name__}
    data.update((name, getattr(message, name)) for name in _HEAD)
    for name, kind in _kinds(type(message)).items():
        value = getattr(message, name)
        if value is not None:
            data[name] = _dump(kind, value)
    pairing = message.peer_pairing
    if pairing is not None and pairing != (message.version, namespace_for_version(message.version)):
        data["peer_pairing"] = list(pairing)
    if message.extras:
        data["extras"] = [dataclasses.asdict(extra) for extra in message.extras]
    if message.deviations:
        data["deviations"] = [dataclasses.asdict(record) for record in message.deviations]
    return data


def _dump(kind: str, value: Any) -> Any:
    if kind == "positiveInteger":
        return int(value)
    if kind == "dateTime":
        return format_datetime(value)
    if kind == "relativeDate":
        return format_relative_date(value)
    if kind == "Address":
        return _address_dict(value)
    if kind == "Recipients":
        return _recipients_dict(value)
    if kind in ("Status", "StatusCodeOnly"):
        return {"code": int(value.code), "text": value.text, "details": value.details}
    if kind == "ReplyCharging":
        return _present(size=value.size, deadline=_optional_text(value.deadline))
    if kind == "UACapabilities":
        return _present(ua_prof=value.ua_prof, time_stamp=_optional_text(value.time_stamp))
    if kind == "DeliveryCondition":
        return [int(condition) for condition in value]
    if kind == "UserAgents":
        return [_address_dict(address) for address in value]
    if kind == "DateTimes":
        return [format_relative_date(date) for date in value]
    if kind == "Content":
        return _part_dict(value)
    if kind == "Response":
        return message_to_dict(value)
    return value  # text, enumeration values and booleans are JSON as they are


def _present(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _optional_text(value: RelativeDate | None) -> str | None:
    return None if value is None else format_relative_date(value)


def _address_dict(address: Address) -> dict[str, Any]:
    return {
        ADDRESS_KEYS[address.kind]: address.value,
        **_present(
            display_only=address.display_only,
            address_coding=address.address_coding,
            id=address.id,
        ),
    }


def _recipients_dict(recipients: Recipients) -> dict[str, Any]:
    if recipients.as_three_lists:
        return {
            RECIPIENT_KEYS[kind]: [_address_dict(a) for a in group]
            for kind, group in recipients.groups
        }
    return {
        "groups": [
            {RECIPIENT_KEYS[kind]: [_address_dict(a) for a in group]}
            for kind, group in recipients.groups
        ]
    }


def _part_dict(part: Part) -> dict[str, Any]:
    data: dict[str, Any] = {"content_type": part.content_type}
    if part.params:
        data["params"] = dict(part.params)
    data.update(
        _present(
            content_id=part.content_id,
            content_location=part.content_location,
            transfer_encoding=part.transfer_encoding,
        )
    )
    if part.is_multipart:
        data["parts"] = [_part_dict(child) for child in part.parts]
    else:
        data.update([_body(part)])
    return data


def _body(part: Part) -> tuple[str, str]:
    """``("text", ...)`` when the part is textual and its charset (us-ascii when none is
    named) reads the bytes and writes them back unchanged, else ``("base64", ...)``."""
    data = part.body
    codec = text_codec(part.charset) if part.is_textual else None
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if text.encode(codec) == data:
                return "text", text
    return "base64", base64.b64encode(data).decode("ascii")


# -- from_dict ----------------------------------------------------------------------------------


def message_from_dict(
    data: object, expected: type[M], *, base_dir: str | os.PathLike[str] | None = None
) -> M:
    """The message ``data`` describes, which must be an ``expected`` (``Message``: any).

    ``data`` may leave out ``type`` when ``expected`` is one concrete class. ``path`` bodies
    are read from inside ``base_dir`` (refused without one, or outside it). Raises
    ``DecodeError`` naming the JSON path of the first value at fault.
    """
    return _message(data, expected, "", None if base_dir is None else Path(base_dir))


def _fail(path: str, reason: str) -> NoReturn:
    raise DecodeError(reason, where=path or "(the top level)")


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _reason(error: Exception) -> str:
    return error.reason if isinstance(error, MM7Error) else str(error)


def _built(path: str, build: Callable[[], T]) -> T:
    """``build()``, its ValueError or TypeError (an ``MM7Error`` is a ValueError) reported
    at ``path``."""
    try:
        return build()
    except (ValueError, TypeError) as error:
        _fail(path, _reason(error))


def _object(value: object, path: str, keys: Collection[str], what: str) -> Mapping[str, Any]:
    """``value`` as a JSON object whose keys are all among ``keys``."""
    if not isinstance(value, Mapping):
        _fail(path, f"{what} is an object, not {_json_type(value)}")
    for key in value:
        if key not in keys:
            known = ", ".join(keys)
            _fail(_at(path, str(key)), f"{what} has no {key!r} (it takes {known})")
    return value


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {value!r}"
    return names.get(type(value), type(value).__name__)


def _string(value: object, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, f"expected a string, not {_json_type(value)}")
    return value


def _optional_string(value: object, path: str) -> str | None:
    return None if value is None else _string(value, path)


def _boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        _fail(path, f"expected true or false, not {_json_type(value)}")
    return value


def _optional_boolean(value: object, path: str) -> bool | None:
    return None if value is None else _boolean(value, path)


def _integer(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, f"expected an integer, not {_json_type(value)}")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        _fail(path, f"expected a list, not {_json_type(value)}")
    return value


def _message(data: object, expected: type[M], path: str, base_dir: Path | None) -> M:
    if isinstance(data, Mapping) and "fields" in data and "type" in data:
        _fail(
            _at(path, "fields"),
            "'fields' is the old description shape: write each field beside 'type' at the "
            "top level (see the JSON section of the README)",
        )
    if not isinstance(data, Mapping):
        _fail(path, f"a message is a JSON object with a 'type', not {_json_type(data)}")
    cls = _message_class(data, expected, path)
    kinds = _kinds(cls)
    values: dict[str, Any] = {}
    for key, value in data.items():
        at = _at(path, key)
        if key == "type" or value is None:
            continue
        if key in _HEAD:
            values[key] = _string(value, at)
        elif key in kinds:
            values[key] = _load(kinds[key], value, at, base_dir)
        elif key in _BOOKKEEPING:
            values[key] = _BOOKKEEPING[key](value, at)
        else:
            _fail(at, f"{cls.__name__} has no field {key!r}")
    for field in dataclasses.fields(cls):
        required = (field.default, field.default_factory) == (MISSING, MISSING)
        if required and field.name not in values:
            _fail(_at(path, field.name), f"{cls.__name__} needs {field.name}")
    return _built(path, lambda: cls(**values))


def _message_class(data: Mapping[str, Any], expected: type[M], path: str) -> type[M]:
    name = data.get("type")
    if name is None and expected in _CLASSES.values():
        return expected
    cls = _CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        known = ", ".join(_CLASSES)
        if name is None:
            _fail(_at(path, "type"), f"a message needs its 'type', one of {known}")
        _fail(_at(path, "type"), f"unknown message type {name!r}; one of {known}")
    if not issubclass(cls, expected):
        _fail(_at(path, "type"), f"expected a {expected.__name__}, not a {name}")
    return cls


def _load(kind: str, value: object, path: str, base_dir: Path | None) -> Any:
    if kind in ("token", "string"):
        return _string(value, path)
    if kind.startswith("enum:"):
        return _enumerated(kind.removeprefix("enum:"), _string(value, path))
    if kind == "boolean":
        return _boolean(value, path)
    if kind == "positiveInteger":
        return _integer(value, path)
    if kind == "dateTime":
        return _datetime(value, path)
    if kind == "relativeDate":
        return _relative(value, path)
    if kind == "Address":
        return _address(value, path)
    if kind == "Recipients":
        return _recipients(value, path)
    if kind in ("Status", "StatusCodeOnly"):
        return _status(value, path, standard_text=kind == "Status")
    if kind == "ReplyCharging":
        return _reply_charging(value, path)
    if kind == "UACapabilities":
        return _ua_capabilities(value, path)
    if kind == "DeliveryCondition":
        return tuple(_integer(v, _at(path, i)) for i, v in enumerate(_list(value, path)))
    if kind == "UserAgents":
        return tuple(_address(v, _at(path, i)) for i, v in enumerate(_list(value, path)))
    if kind == "DateTimes":
        return tuple(_relative(v, _at(path, i)) for i, v in enumerate(_list(value, path)))
    if kind == "Content":
        return _part(value, path, base_dir)
    if kind == "Response":
        return _message(value, Response, path, base_dir)
    raise AssertionError(f"no JSON form for spec type {kind!r}")  # the spec and this disagree


def _datetime(value: object, path: str) -> datetime:
    moment = _relative(value, path)
    if not isinstance(moment, datetime):
        _fail(path, "expected a date and time, not a duration")
    return moment


def _relative(value: object, path: str) -> RelativeDate:
    """A date and time or a duration, read as the codec reads them from XML, save that JSON
    someone wrote must say what it means: no guessed time zone, no fraction cut."""
    text = _string(value, path)
    moment, liberties = _built(path, lambda: parse_relative_date(text))
    if "naive" in liberties:
        _fail(path, f"{text!r} needs its time zone offset (Z or +hh:mm)")
    if liberties:
        _fail(path, f"{text!r} is finer than microseconds")
    return moment


_ADDRESS_FIELDS = (*ADDRESS_KEYS.values(), "display_only", "address_coding", "id")


def _address(value: object, path: str) -> Address:
    if isinstance(value, str):  # a phone number, as Recipients takes one
        return Address(_built(path, lambda: normalize_number(value)))
    if not isinstance(value, Mapping):
        _fail(path, f"an address is an object or a phone number, not {_json_type(value)}")
    data = _object(value, path, _ADDRESS_FIELDS, "an address")
    kinds = [key for key in data if key in _ADDRESS_KINDS]
    if len(kinds) != 1:
        choices = ", ".join(_ADDRESS_KINDS)
        _fail(path, f"an address has exactly one of {choices}, not {len(kinds)}")
    [key] = kinds
    return Address(
        _string(data[key], _at(path, key)),
        _ADDRESS_KINDS[key],
        display_only=_optional_boolean(data.get("display_only"), _at(path, "display_only")),
        address_coding=_address_coding(data.get("address_coding"), _at(path, "address_coding")),
        id=_optional_string(data.get("id"), _at(path, "id")),
    )


def _address_coding(value: object, path: str) -> AddressCoding | UnknownValue | None:
    text = _optional_string(value, path)
    return None if text is None else cast("AddressCoding", _enumerated("AddressCoding", text))


def _enumerated(enum: str, text: str) -> str:
    """A value of the enumeration as itself; any other text as an ``UnknownValue``, as the
    decoder keeps it, so a lenient message's JSON reads back equal and typed the same."""
    return text if text in SPEC.every_enum_value[enum] else UnknownValue(text)


def _addresses(value: object, path: str) -> list[Address]:
    return [_address(item, _at(path, i)) for i, item in enumerate(_list(value, path))]


_RECIPIENT_FIELDS = (*RECIPIENT_KEYS.values(), "groups")


def _recipients(value: object, path: str) -> Recipients:
    if isinstance(value, list):  # the plain form: every address is a To
        return Recipients(to=_addresses(value, path))
    if not isinstance(value, Mapping):
        _fail(path, f"recipients are a list or an object of lists, not {_json_type(value)}")
    data = _object(value, path, _RECIPIENT_FIELDS, "recipients")
    if "groups" not in data:
        return Recipients(**{key: _addresses(v, _at(path, key)) for key, v in data.items()})
    if len(data) > 1:
        _fail(path, "recipients have either 'groups' or 'to', 'cc' and 'bcc', not both")
    groups: list[tuple[RecipientKind, list[Address]]] = []
    for i, group in enumerate(_list(data["groups"], _at(path, "groups"))):
        at = _at(_at(path, "groups"), i)
        one = _object(group, at, _RECIPIENT_KINDS, "a recipient group")
        if len(one) != 1:
            _fail(at, "a recipient group has exactly one of 'to', 'cc' and 'bcc'")
        [(key, addresses)] = one.items()
        groups.append((_RECIPIENT_KINDS[key], _addresses(addresses, _at(at, key))))
    return _built(path, lambda: Recipients.of_groups(groups))


_STATUS_FIELDS = ("code", "text", "details")


def _status(value: object, path: str, *, standard_text: bool) -> Status:
    """A status from a bare code or an object. A missing ``text`` is the code's standard
    one where the schema has room for a text (``standard_text``)."""
    if not isinstance(value, Mapping):
        return Status.of(_integer(value, path)) if standard_text else Status(_integer(value, path))
    data = _object(value, path, _STATUS_FIELDS, "a status")
    if "code" not in data:
        _fail(path, "a status needs its code")
    code = _integer(data["code"], _at(path, "code"))
    details = _optional_string(data.get("details"), _at(path, "details"))
    if "text" not in data and standard_text:
        return Status.of(code, details=details)
    return Status(code, _optional_string(data.get("text"), _at(path, "text")), details)


def _optional_relative(value: object, path: str) -> RelativeDate | None:
    return None if value is None else _relative(value, path)


def _reply_charging(value: object, path: str) -> ReplyCharging:
    data = _object(value, path, ("size", "deadline"), "reply charging")
    size = data.get("size")
    return ReplyCharging(
        None if size is None else _integer(size, _at(path, "size")),
        _optional_relative(data.get("deadline"), _at(path, "deadline")),
    )


def _ua_capabilities(value: object, path: str) -> UACapabilities:
    data = _object(value, path, ("ua_prof", "time_stamp"), "user-agent capabilities")
    return UACapabilities(
        _optional_string(data.get("ua_prof"), _at(path, "ua_prof")),
        _optional_relative(data.get("time_stamp"), _at(path, "time_stamp")),
    )


_BODIES = ("parts", "text", "base64", "path")
_PART_FIELDS = (
    "content_type",
    "params",
    "content_id",
    "content_location",
    "transfer_encoding",
    *_BODIES,
)
#: The media type of a part that names none (a file's is guessed from its name).
_DEFAULT_TYPES = {
    "parts": "multipart/mixed",
    "text": "text/plain",
    "base64": "application/octet-stream",
    "path": None,
}


def _part(value: object, path: str, base_dir: Path | None) -> Part:
    data = _object(value, path, _PART_FIELDS, "a part")
    bodies = [key for key in _BODIES if data.get(key) is not None]
    if len(bodies) != 1:
        _fail(path, f"a part has exactly one of {', '.join(_BODIES)}, not {len(bodies)}")
    [body] = bodies
    at, type_path = _at(path, body), _at(path, "content_type")
    content_type = _optional_string(data.get("content_type"), type_path) or _DEFAULT_TYPES[body]
    if (content_type or "").lower().startswith("multipart/") != (body == "parts"):
        _fail(type_path, "a multipart/* part has 'parts', and only it has")
    media_type, _, inline = (content_type or "").partition(";")
    if inline.strip():  # one place for them, so a charset here cannot contradict 'params'
        _fail(type_path, "a part's parameters go in 'params'")
    keep: dict[str, Any] = {
        "params": _params(data.get("params"), _at(path, "params")),
        "content_id": _optional_string(data.get("content_id"), _at(path, "content_id")),
        "content_location": _optional_string(
            data.get("content_location"), _at(path, "content_location")
        ),
        "transfer_encoding": _optional_string(
            data.get("transfer_encoding"), _at(path, "transfer_encoding")
        ),
    }
    if body == "parts":
        children = [
            _part(item, _at(at, i), base_dir) for i, item in enumerate(_list(data[body], at))
        ]
        subtype = media_type.partition("/")[2].strip()
        return _built(type_path, lambda: Part.multipart(children, subtype, **keep))
    if body == "path":
        file = _file(data[body], at, base_dir)
        return _built(type_path, lambda: Part.from_path(file, content_type, **keep))
    if body == "text":
        body_bytes, keep["params"] = _text_bytes(data[body], at, keep["params"])
    else:
        text = _string(data[body], at)
        body_bytes = _built(at, lambda: base64.b64decode(text, validate=True))
    return _built(type_path, lambda: Part.from_bytes(body_bytes, str(content_type), **keep))


def _params(value: object, path: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        _fail(path, f"parameters are an object of strings, not {_json_type(value)}")
    return {key: _string(v, _at(path, key)) for key, v in value.items()}


def _text_bytes(value: object, path: str, params: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The bytes of a ``text`` body, in the charset the parameters name. Without one, ASCII
    text stays without (us-ascii is the default) and other text is sent as UTF-8."""
    text = _string(value, path)
    charset = params.get("charset")
    if charset is None:
        if text.isascii():
            return text.encode("ascii"), params
        charset, params = "utf-8", {**params, "charset": "utf-8"}
    codec = text_codec(charset)
    if codec is None:
        _fail(path.rpartition(".")[0] + ".params.charset", f"no such charset: {charset!r}")
    try:
        return text.encode(codec), params
    except UnicodeEncodeError as error:
        _fail(path, f"the text cannot be written in {charset}: {error.reason} at {error.start}")


def _file(value: object, path: str, base_dir: Path | None) -> Path:
    name = _string(value, path)
    if base_dir is None:
        _fail(path, "file bodies are read only when from_dict is given base_dir")
    file = (base_dir / name).resolve()
    # Confined to base_dir: JSON that came from elsewhere may name "../" or "/etc/..." files.
    if not file.is_relative_to(base_dir.resolve()):
        _fail(path, f"{name!r} is outside base_dir")
    if not file.is_file():
        _fail(path, f"no file {str(file)!r}")
    return file


def _pairing(value: object, path: str) -> tuple[str, str]:
    items = _list(value, path)
    if len(items) != 2:
        _fail(path, "peer_pairing is [version, namespace]")
    return _string(items[0], _at(path, 0)), _string(items[1], _at(path, 1))


def _records(cls: type[Deviation | Extra]) -> Callable[[object, str], tuple[Any, ...]]:
    """A reader of a list of ``cls`` records (Deviation, Extra), each an object of its
    fields, strings except the integer ``status_code``."""
    names = [field.name for field in dataclasses.fields(cls)]
    required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]

    def read(value: object, path: str) -> tuple[Any, ...]:
        records = []
        for i, item in enumerate(_list(value, path)):
            at = _at(path, i)
            data = _object(item, at, names, f"a {cls.__name__.lower()} record")
            for name in required:
                if name not in data:
                    _fail(_at(at, name), f"a {cls.__name__.lower()} record needs {name}")
            values: dict[str, Any] = {
                key: _integer(v, _at(at, key)) if key == "status_code" else _string(v, _at(at, key))
                for key, v in data.items()
                if v is not None
            }
            records.append(_built(at, partial(cls, **values)))
        return tuple(records)

    return read


_BOOKKEEPING: dict[str, Callable[[object, str], Any]] = {
    "peer_pairing": _pairing,
    "extras": _records(Extra),
    "deviations": _records(Deviation),
}
