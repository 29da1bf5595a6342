"""The docstrings of the message classes, written from the spec tables.

Each message class's ``__doc__`` (what ``help(mm7codec.SubmitReq)`` and Sphinx autodoc show) is
its own summary followed by one entry per field: the Python name and type, the MM7 element,
whether the schema requires it, the versions and namespaces that have it, and what it means.
Element names, occurrence, versions and meanings all come from ``specs/mm7.toml`` (the
``[descriptions]`` table and the elements' own ``description``), the tables the encoder, the
decoder and the strategies read, so the documentation cannot drift from the codec.

The entries form a reStructuredText definition list (``name : type`` then the indented text),
which reads as plain text in ``help()`` and renders as a list in Sphinx.
"""

from __future__ import annotations

import dataclasses
import textwrap
from typing import Any

from ._spec import SPEC, ElementSpec

__all__ = ["message_docstring"]

#: The fields every message has that are the library's bookkeeping, not MM7 elements.
_BOOKKEEPING = {
    "namespace": "The schema namespace the message was read in or is written in; by default "
    "the namespace of its MM7Version.",
    "deviations": "What lenient decoding tolerated in this message, one record each; not part "
    "of equality.",
    "peer_pairing": "The (version, namespace) pair a peer sent, which replies echo even when no "
    "table pairs them; not part of equality.",
    "extras": "Unknown elements decoding kept, written back only by encode(message, "
    "keep_extras=True); not part of equality.",
}

#: The SOAP 1.1 Fault's children (every version has them): element -> required.
_FAULT_ELEMENTS = {"faultcode": True, "faultstring": True, "faultactor": False, "detail": False}

_WIDTH = 96


def _first_version(schema: int) -> str:
    return next(text for text, index in SPEC.versions if index >= schema)


def _last_version(schema: int) -> str:
    return [text for text, index in SPEC.versions if index <= schema][-1]


def _tail(schema: int) -> str:
    return SPEC.namespaces[schema].rsplit("/", 1)[-1]


def _versions_text(since: int, until: int = -1) -> str:
    """The versions and namespaces from schema ``since`` to ``until`` (-1: the latest), as
    ``since 6.0.0 (REL-6-MM7-1-0)`` or ``6.0.0 to 6.7.0 (REL-6-MM7-1-0 to REL-6-MM7-1-3)``."""
    if until < 0:
        return f"since {_first_version(since)} ({_tail(since)})"
    return f"{_first_version(since)} to {_last_version(until)} ({_tail(since)} to {_tail(until)})"


def _variants(element: ElementSpec) -> str:
    """Where the element has another name or type: ``DistributionProtection in
    REL-5-MM7-1-0``."""
    notes = [f"named {name} in {_tail(schema)}" for schema, name in element.renamed]
    retyped: dict[str, list[str]] = {}
    for schema, kind in element.retyped:
        retyped.setdefault(kind, []).append(_tail(schema))
    notes.extend(f"type {kind} in {' and '.join(tails)}" for kind, tails in retyped.items())
    return f" ({'; '.join(notes)})" if notes else ""


def _entry(name: str, annotation: str, summary: str, description: str) -> str:
    text = textwrap.fill(
        f"{summary}. {description}",
        _WIDTH,
        initial_indent="    ",
        subsequent_indent="    ",
        break_on_hyphens=False,
    )
    return f"{name} : {annotation}\n{text}"


def _element_entries(cls: type[Any], annotations: dict[str, str]) -> list[str]:
    spec = SPEC.messages[cls.__name__]
    entries = []
    for element in spec.elements:
        for member in element.members:
            group = f" in {element.element}" if element.is_group else ""
            required = member.required and element.required
            summary = (
                f"{member.element}{group}{_variants(member)}, "
                f"{'required' if required else 'optional'}, "
                f"{_versions_text(max(member.since, spec.since), member.until)}"
            )
            entries.append(
                _entry(member.field, annotations[member.field], summary, member.description)
            )
            entries.extend(_attribute_entries(member, annotations, spec.since))
    return entries


def _attribute_entries(
    element: ElementSpec, annotations: dict[str, str], message_since: int
) -> list[str]:
    """The attributes of Content, which stand on the message as fields of their own
    (``allow_adaptations``), documented after it; other types' attributes are fields of
    their values (``ReplyCharging.size``)."""
    if element.type != "Content":
        return []
    attributes = SPEC.types["Content"]["attributes"]
    return [
        _entry(
            attribute["field"],
            annotations[attribute["field"]],
            f"{attribute['attribute']} attribute of {element.element}, optional, "
            f"{_versions_text(max(element.since, message_since), element.until)}",
            SPEC.descriptions[attribute["attribute"]],
        )
        for attribute in attributes
        if attribute.get("field") in annotations
    ]


def _fault_entries(annotations: dict[str, str]) -> list[str]:
    every = _versions_text(0)
    return [
        _entry(
            "version",
            annotations["version"],
            f"MM7Version of the error response in detail, required, {every}",
            SPEC.descriptions["MM7Version"],
        ),
        *(
            _entry(
                name,
                annotations[name],
                f"{name} (SOAP 1.1 Fault), {'required' if required else 'optional'}, {every}",
                SPEC.descriptions[name],
            )
            for name, required in _FAULT_ELEMENTS.items()
        ),
    ]


def _summary(cls: type[Any]) -> str:
    """The class's own docstring, or for a class without one (whose ``__doc__`` dataclass
    filled with its signature) a sentence from the spec: which request it answers."""
    own = cls.__doc__ or ""
    if own and not own.startswith(f"{cls.__name__}("):
        # The first line stands beside the opening quotes; the rest is indented.
        first, _, rest = own.strip().partition("\n")
        return f"{first}\n{textwrap.dedent(rest)}".strip()
    name = cls.__name__
    request = next(
        (spec for spec in SPEC.messages.values() if spec.reply == name), SPEC.messages[name]
    )
    direction = SPEC.messages[name].direction.replace(" to ", " -> ")
    return f"The answer to a {request.name} ({direction})."


def message_docstring(cls: type[Any]) -> str:
    """The docstring of a message class: its summary, then every field, MM7 elements in
    schema order (the SOAP header's TransactionID first), then the library's own."""
    annotations = {field.name: str(field.type) for field in dataclasses.fields(cls)}
    name = cls.__name__
    since = SPEC.messages[name].since if name in SPEC.messages else 0
    entries = [
        _entry(
            "transaction_id",
            annotations["transaction_id"],
            f"TransactionID in the SOAP header, required, {_versions_text(since)}",
            SPEC.descriptions["TransactionID"],
        )
    ]
    if name in SPEC.messages:
        entries.extend(_element_entries(cls, annotations))
    else:  # the SOAP Fault, which no message table describes
        entries.extend(_fault_entries(annotations))
    entries.extend(
        _entry(field, annotations[field], "Not an MM7 element", text)
        for field, text in _BOOKKEEPING.items()
    )
    return f"{_summary(cls)}\n\nFields:\n\n" + "\n".join(entries) + "\n"
