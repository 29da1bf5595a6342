"""Loads ``specs/mm7.toml``, the project's description of MM7, into immutable lookup tables.

The TOML file is the single source of truth for versions, namespaces, enumerations, status codes
and the element sequence of every message; the codec and the Hypothesis strategies both read
these tables, so adding an element to a message is a one-line change in the spec.

Every schema namespace is its own schema: an element exists from one namespace (``since``) up
to another (``until``), and may carry another name or type in some (``names``, ``types``).
``MessageSpec.in_schema(i)`` resolves all that into the sequence schema ``i`` has.

In a source checkout the file is read from the top-level ``specs/`` folder; in an installed
wheel the build copies it to ``mm7codec/specs/``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["ElementSpec", "MessageSpec", "SPEC", "Spec"]

_PACKAGED = Path(__file__).with_name("specs") / "mm7.toml"
_SOURCE_TREE = Path(__file__).resolve().parent.parent / "specs" / "mm7.toml"


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """One child element of a message body (or of a group)."""

    element: str
    #: The message attribute; empty for a group, whose children carry their own fields.
    field: str
    type: str
    required: bool
    #: Index into ``Spec.namespaces`` of the first schema that has this element.
    since: int
    conf: str
    #: For ``group:NAME`` elements, the group's own elements.
    children: tuple[ElementSpec, ...] = ()
    #: Index of the last schema that has this element (-1: every schema from ``since`` on).
    until: int = -1
    #: (schema index, name) for the schemas where the element has another name.
    renamed: tuple[tuple[int, str], ...] = ()
    #: (schema index, type) for the schemas where the element has another type.
    retyped: tuple[tuple[int, str], ...] = ()
    #: Required, but a decoded message without it is kept with a recorded deviation, because
    #: peers omit it (SubmitRsp's MessageID on errors).
    missing_recorded: bool = False
    #: Where the evidence for the element is (the spec's ``source``), when it names one.
    source: str = ""
    #: What the element means in this message: its own ``description``, else the shared
    #: sentence of ``[descriptions]`` for its name.
    description: str = ""

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    @property
    def members(self) -> tuple[ElementSpec, ...]:
        """The elements that are fields: a group's children, or this element itself."""
        return self.children if self.is_group else (self,)

    def exists_in(self, schema: int) -> bool:
        """Whether the schema with this index has the element."""
        return self.since <= schema and (self.until < 0 or schema <= self.until)

    def resolved(self, schema: int) -> ElementSpec:
        """The element as the schema with this index has it: its name and type there, and
        (for a group) only the children that schema has."""
        name = dict(self.renamed).get(schema, self.element)
        kind = dict(self.retyped).get(schema, self.type)
        children = tuple(c.resolved(schema) for c in self.children if c.exists_in(schema))
        if name == self.element and kind == self.type and children == self.children:
            return self
        return replace(self, element=name, type=kind, children=children)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the element has in some schema, its usual one first."""
        return (self.element, *(name for _, name in self.renamed if name != self.element))


@dataclass(frozen=True)
class MessageSpec:
    """The body element of one MM7 operation."""

    name: str
    elements: tuple[ElementSpec, ...]
    reply: str | None
    since: int
    direction: str

    def in_schema(self, schema: int) -> tuple[ElementSpec, ...]:
        """The elements, in encoding order, that the schema with this index allows, each with
        its name and type in that schema."""
        return self._by_schema[schema]

    @cached_property
    def _by_schema(self) -> dict[int, tuple[ElementSpec, ...]]:
        count = len(SPEC.namespaces)
        return {
            i: tuple(e.resolved(i) for e in self.elements if e.exists_in(i)) for i in range(count)
        }

    @cached_property
    def by_element(self) -> dict[str, tuple[int, ElementSpec]]:
        """Local name -> (position in the sequence, spec), across all schemas, groups included."""
        table: dict[str, tuple[int, ElementSpec]] = {}
        for position, element in enumerate(self.elements):
            for name in element.names:
                table[name] = (position, element)
        return table

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """Every message attribute the spec defines, groups flattened."""
        names: list[str] = []
        for element in self.elements:
            if element.is_group:
                names.extend(child.field for child in element.children)
            else:
                names.append(element.field)
        return tuple(names)


@dataclass(frozen=True)
class Spec:
    soap_namespace: str
    soap12_namespace: str
    mm7_namespace_base: str
    #: Full namespace URIs, oldest first.
    namespaces: tuple[str, ...]
    #: Release (5 or 6) of each namespace, same order.
    releases: tuple[int, ...]
    #: (MM7Version text, namespace index), oldest first.
    versions: tuple[tuple[str, int], ...]
    #: Enumeration name -> ((value, since-index), ...).
    enums: dict[str, tuple[tuple[str, int], ...]]
    #: (code, NAME, text) rows of the status code table.
    status_codes: tuple[tuple[int, str, str], ...]
    messages: dict[str, MessageSpec]
    types: dict[str, dict[str, Any]]
    #: Element name -> what it means (``[descriptions]``), shared by the messages that have it.
    descriptions: dict[str, str]

    def namespace_index(self, uri: str) -> int | None:
        try:
            return self.namespaces.index(uri)
        except ValueError:
            return None

    def enum_values(self, name: str, schema: int) -> tuple[str, ...]:
        return tuple(value for value, since in self.enums[name] if since <= schema)

    @cached_property
    def every_enum_value(self) -> dict[str, frozenset[str]]:
        """Per enumeration, every value some schema has (a value outside them all is unknown,
        where one of another schema is only not in this version)."""
        return {
            name: frozenset(value for value, _ in values) for name, values in self.enums.items()
        }

    @cached_property
    def content_attributes(self) -> dict[str, str]:
        """Field -> type of the Content element's attributes that are message fields
        (``allow_adaptations``; ``href`` is the encoder's own)."""
        return {
            attribute["field"]: attribute["type"]
            for attribute in self.types["Content"]["attributes"]
            if "field" in attribute
        }

    @cached_property
    def address_attributes_since(self) -> dict[str, int]:
        """Address attribute field -> index of the first schema that has it (0: all of them)."""
        return {
            attribute["field"]: self.namespaces.index(self.mm7_namespace_base + attribute["since"])
            if "since" in attribute
            else 0
            for attribute in self.types["Address"]["attributes"]
        }


def _read() -> dict[str, Any]:
    path = _PACKAGED if _PACKAGED.is_file() else _SOURCE_TREE
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _build(raw: dict[str, Any]) -> Spec:
    base = raw["envelope"]["mm7_base"]
    tails = [entry["tail"] for entry in raw["namespaces"]]
    descriptions: dict[str, str] = raw["descriptions"]
    first_rel6 = next(i for i, n in enumerate(raw["namespaces"]) if n["release"] == 6)

    def since(entry: dict[str, Any]) -> int:
        tail = entry.get("since")
        return tails.index(tail) if tail else 0

    def per_schema(overrides: dict[str, str]) -> tuple[tuple[int, str], ...]:
        return tuple(sorted((tails.index(tail), value) for tail, value in overrides.items()))

    def element(entry: dict[str, Any], group_table: dict[str, Any] | None = None) -> ElementSpec:
        """An element entry; a group member without its own ``conf``/``source`` has the
        group table's."""
        kind = entry["type"]
        children: tuple[ElementSpec, ...] = ()
        if kind.startswith("group:"):
            group = raw["groups"][kind.removeprefix("group:")]
            children = tuple(element(child, group) for child in group["elements"])
        inherited = group_table or {}
        until = entry.get("until")
        return ElementSpec(
            element=entry["element"],
            field=entry.get("field", ""),
            type=kind,
            required=entry["occurs"] == "1",
            since=since(entry),
            conf=entry.get("conf", inherited.get("conf", "")),
            children=children,
            until=tails.index(until) if until else -1,
            renamed=per_schema(entry.get("names", {})),
            retyped=per_schema(entry.get("types", {})),
            missing_recorded=entry.get("missing") == "record",
            source=entry.get("source", inherited.get("source", "")),
            description=entry.get("description", descriptions.get(entry["element"], "")),
        )

    enums = {
        name: tuple((v, 0) for v in table["values"])
        + tuple((v, first_rel6) for v in table.get("rel6_values", ()))
        for name, table in raw["enums"].items()
    }
    messages = {
        name: MessageSpec(
            name=name,
            elements=tuple(element(e) for e in table["elements"]),
            reply=table.get("reply"),
            since=since(table),
            direction=table["direction"],
        )
        for name, table in raw["messages"].items()
    }
    return Spec(
        soap_namespace=raw["envelope"]["soap"],
        soap12_namespace=raw["envelope"]["soap12"],
        mm7_namespace_base=base,
        namespaces=tuple(base + tail for tail in tails),
        releases=tuple(entry["release"] for entry in raw["namespaces"]),
        versions=tuple((v["version"], tails.index(v["namespace"])) for v in raw["versions"]),
        enums=enums,
        status_codes=tuple(
            (row["code"], row["name"], row["text"]) for row in raw["status_codes"]["codes"]
        ),
        messages=messages,
        types=raw["types"],
        descriptions=descriptions,
    )


SPEC = _build(_read())
