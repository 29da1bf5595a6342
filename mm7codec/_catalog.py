"""The spec tables as public API: which messages a version has, and each one's fields.

``message_types(version)`` and ``fields(message_type, version)`` read the same tables
(``specs/mm7.toml``) that the encoder, the decoder, the converter and the strategies use, so
what they say is what the codec does: a field listed for a version is one the encoder writes
in that version's schema, under that element name and type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ._errors import UsageError
from ._messages import MESSAGE_TYPES, Message
from ._spec import SPEC, ElementSpec
from ._versions import MM7Version, namespace_for_version

__all__ = ["FieldInfo", "fields", "message_types"]

#: Schema types that hold a list of values (and the Python tuple that carries it).
_REPEATED = frozenset({"Recipients", "DeliveryCondition", "UserAgents", "DateTimes"})


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field of a message type in one version's schema.

    ``element`` is the XML element name in that schema (``DistributionProtection`` in
    REL-5-MM7-1-0, ``DistributionIndicator`` after), ``name`` the Python attribute,
    ``type`` the schema type there (``token``, ``Address``, ``AddressText``, ``enum:Priority``,
    ...), ``python_type`` the attribute's annotation, ``values`` the enumeration values that
    schema allows (empty for other types), ``group`` the wrapper element (``
    SenderIdentification``) when the element stands inside one, and ``confidence`` and
    ``source`` what ``specs/mm7.toml`` records about the evidence, and ``description`` what
    the element means in this message (one sentence, the one ``help()`` on the class shows).
    """

    element: str
    name: str
    type: str
    python_type: str
    required: bool
    repeated: bool
    values: tuple[str, ...]
    group: str | None
    confidence: str
    source: str
    description: str


def schema_of_version(version: str | MM7Version) -> int:
    """The spec's index of the schema ``version`` is written in; a ``UsageError`` for a
    malformed version or one the tables do not have."""
    try:
        text = str(MM7Version.parse(str(version)))
    except ValueError:
        raise UsageError(f"MM7Version {version!r} is malformed") from None
    namespace = namespace_for_version(text)
    index = None if namespace is None else SPEC.namespace_index(namespace)
    if index is None:
        supported = ", ".join(text for text, _ in SPEC.versions)
        raise UsageError(f"MM7Version {text} is not supported (supported: {supported})")
    return index


def message_types(version: str | MM7Version) -> tuple[type[Message], ...]:
    """The message classes (body elements) the schema of ``version`` has, in the order of the
    spec: the Release 6 extended operations only from Release 6 on. The SOAP Fault, which every
    version has, is not a body element and is not listed."""
    schema = schema_of_version(version)
    return tuple(
        MESSAGE_TYPES[name] for name, spec in SPEC.messages.items() if spec.since <= schema
    )


def _annotation(cls: type[Message], name: str) -> str:
    """The annotation as written in the class (``Priority | UnknownValue | None``), which keeps
    the public names an evaluated hint would spell out as private paths and ``Literal`` lists."""
    for owner in cls.__mro__:  # the package's modules keep annotations as text
        written = vars(owner).get("__annotations__", {}).get(name)
        if written is not None:
            return str(written)
    return ""


def _info(
    cls: type[Message], element: ElementSpec, group: ElementSpec | None, schema: int
) -> FieldInfo:
    resolved = element.resolved(schema)
    kind = resolved.type
    values = (
        SPEC.enum_values(kind.removeprefix("enum:"), schema) if kind.startswith("enum:") else ()
    )
    owner = group or element
    return FieldInfo(
        element=resolved.element,
        name=element.field,
        type=kind,
        python_type=_annotation(cls, element.field),
        required=element.required and owner.required,
        repeated=kind in _REPEATED,
        values=values,
        group=None if group is None else group.resolved(schema).element,
        confidence=element.conf or owner.conf,
        source=element.source or owner.source,
        description=element.description,
    )


def fields(message_type: str | type[Message], version: str | MM7Version) -> tuple[FieldInfo, ...]:
    """The fields ``message_type`` (a class or its element name) has in the schema of
    ``version``, in encoding order, group members in place of their group."""
    name = message_type if isinstance(message_type, str) else message_type.__name__
    spec = SPEC.messages.get(name)
    if spec is None:
        raise UsageError(f"unknown MM7 message type {name!r}")
    schema = schema_of_version(version)
    if spec.since > schema:
        raise UsageError(f"{name} does not exist in MM7Version {version}")
    return fields_in_schema(name, schema)


@cache
def fields_in_schema(name: str, schema: int) -> tuple[FieldInfo, ...]:
    """``fields`` of the message type named ``name`` in the schema of index ``schema``, both
    known to exist (kept: the JSON Schema and the docs read them for every schema)."""
    cls = MESSAGE_TYPES[name]
    found: list[FieldInfo] = []
    for element in SPEC.messages[name].elements:
        if not element.exists_in(schema):
            continue
        if element.is_group:
            found.extend(
                _info(cls, member, element, schema)
                for member in element.children
                if member.exists_in(schema)
            )
        else:
            found.append(_info(cls, element, None, schema))
    return tuple(found)
