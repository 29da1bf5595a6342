"""The result of turning a message into another form (another version, or the form a given
peer accepts): the new message and every value that did not survive the trip.

A conversion never drops a value silently: what the target cannot carry is listed as a
``Loss`` so the caller can decide whether sending without it is acceptable. ``convert`` moves
a message to another MM7Version by the spec tables, the same ones the encoder writes by: an
element the target schema lacks, an enumeration value it does not have, an address attribute
it has no room for are each one ``Loss``; an element that only changes its name or its type
between schemas (DistributionIndicator/DistributionProtection, SenderAddress as text or as an
address element) is carried over. Content is carried by reference, never copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from ._errors import EncodeError
from ._messages import Fault, Message, Response
from ._spec import SPEC, ElementSpec
from ._values import RECIPIENT_KINDS, Address, Recipients, is_number_text
from ._versions import MM7Version, namespace_for_version, schema_index

__all__ = ["Conversion", "Loss", "convert"]

MessageT = TypeVar("MessageT", bound=Message)


@dataclass(frozen=True, slots=True)
class Loss:
    """One value left out of a converted message: which field (or part path), the value it
    had, and why the target does not carry it.

    ``field`` is the snake_case field name, with a path for nested values:
    ``sender_address.id``, ``recipients.to[1].address_coding`` (the second To address, as
    ``Recipients.to`` counts them), ``previouslysentby[0].id``, ``detail.applic_id``.
    """

    field: str
    value: object
    reason: str


@dataclass(frozen=True, slots=True)
class Conversion(Generic[MessageT]):
    """A converted ``message`` and the ``losses`` the conversion took (empty when nothing was
    left out)."""

    message: MessageT
    losses: tuple[Loss, ...] = ()

    @property
    def lossless(self) -> bool:
        return not self.losses


#: The value a required enumeration falls back to when the target lacks the value it has:
#: the one each such enumeration has for "not known" (the loss records the real value).
_FALLBACK = "Indeterminate"


def _guess_kind(value: str) -> str:
    """The kind a reader gives an address written as plain text (as the decoder does)."""
    if "@" in value:
        return "RFC2822Address"
    digits = value.removeprefix("+")
    return "Number" if digits.isdigit() and len(digits) > 6 else "ShortCode"


class _Target:
    """The schema a message is converted to, and the losses met on the way."""

    def __init__(self, version: str, namespace: str, schema: int) -> None:
        self.version = version
        self.namespace = namespace
        self.schema = schema
        self.tail = namespace.rsplit("/", 1)[-1]
        self.losses: list[Loss] = []

    def lose(self, field: str, value: object, why: str) -> None:
        self.losses.append(Loss(field, value, f"MM7Version {self.version} ({self.tail}): {why}"))


def _members(
    elements: tuple[ElementSpec, ...],
) -> Iterator[tuple[ElementSpec, ElementSpec]]:
    """Every element, group members flattened, each with its group (itself when it is not in
    one): a member exists only where its group exists too."""
    for element in elements:
        if element.is_group:
            for member in element.children:
                yield member, element
        else:
            yield element, element


def _address(target: _Target, path: str, address: Address, as_text: bool) -> Address:
    """The address as the target schema can carry it: Release 6 attributes dropped before
    Release 6, every attribute dropped (and the kind a reader will guess) where the address
    is plain text."""
    changes: dict[str, Any] = {}
    for attribute in SPEC.address_attributes_since:
        value = getattr(address, attribute)
        if value is None:
            continue
        if as_text:
            target.lose(
                f"{path}.{attribute}", value, "the address is plain text, without attributes"
            )
        elif target.schema < SPEC.address_attributes_since[attribute]:
            target.lose(f"{path}.{attribute}", value, "the address attribute does not exist")
        elif attribute == "address_coding" and value not in SPEC.enum_values(
            "AddressCoding", target.schema
        ):
            target.lose(f"{path}.{attribute}", value, "the addressCoding value does not exist")
        else:
            continue
        changes[attribute] = None
    # Without its coding an encrypted number is opaque text in a Number element, which no
    # peer can route and the encoder refuses: such an address cannot be carried at all.
    opaque = address.kind == "Number" and not is_number_text(address.value)
    if opaque and "address_coding" in changes:
        raise EncodeError(
            f"{path} is an {address.address_coding} number, which MM7Version "
            f"{target.version} cannot mark as such",
            field=path,
        )
    if as_text:
        guessed = _guess_kind(address.value)
        if guessed != address.kind:
            target.lose(
                f"{path}.kind", address.kind, f"the address is plain text, read back as {guessed}"
            )
            changes["kind"] = guessed
    return replace(address, **changes) if changes else address


def _recipients(target: _Target, path: str, recipients: Recipients) -> Recipients:
    counters = dict.fromkeys(RECIPIENT_KINDS, 0)
    groups = []
    changed = False
    for kind, addresses in recipients.groups:
        moved = []
        for address in addresses:
            where = f"{path}.{kind.lower()}[{counters[kind]}]"
            counters[kind] += 1
            converted = _address(target, where, address, as_text=False)
            changed = changed or converted is not address
            moved.append(converted)
        groups.append((kind, tuple(moved)))
    return Recipients.of_groups(groups) if changed else recipients


def _value(target: _Target, element: ElementSpec, value: Any) -> Any:
    """``value`` as the target's version of ``element`` carries it (None when it cannot)."""
    resolved = element.resolved(target.schema)
    kind = resolved.type
    field = element.field
    if kind.startswith("enum:"):
        allowed = SPEC.enum_values(kind.removeprefix("enum:"), target.schema)
        if value in allowed:
            return value
        if element.required and _FALLBACK in allowed:
            target.lose(field, value, f"the value does not exist (sent as {_FALLBACK})")
            return _FALLBACK
        target.lose(field, value, "the value does not exist")
        return None
    if isinstance(value, Address):
        return _address(target, field, value, as_text=kind == "AddressText")
    if isinstance(value, Recipients):
        return _recipients(target, field, value)
    if kind == "UserAgents" and isinstance(value, tuple):
        moved = tuple(
            _address(target, f"{field}[{i}]", item, as_text=False)
            if isinstance(item, Address)
            else item
            for i, item in enumerate(value)
        )
        return value if all(a is b for a, b in zip(moved, value, strict=True)) else moved
    return value


def _convert_body(message: MessageT, target: _Target, prefix: str) -> MessageT:
    name = type(message).__name__
    spec = SPEC.messages[name]
    if spec.since > target.schema:
        raise EncodeError(
            f"{name} is a Release 6 operation; MM7Version {target.version} has no such message",
            field="message",
        )
    changes: dict[str, Any] = {}
    mark = len(target.losses)
    for element, outer in _members(spec.elements):
        if element.type == "Content":
            continue  # the content and allow_adaptations exist in every schema
        value = getattr(message, element.field)
        if value is None:
            continue
        if not (outer.exists_in(target.schema) and element.exists_in(target.schema)):
            if element.required:
                raise EncodeError(
                    f"{element.field} (<{element.element}>) is required in {name} but does "
                    f"not exist in MM7Version {target.version}",
                    field=element.field,
                )
            target.lose(element.field, value, f"<{element.element}> does not exist")
            changes[element.field] = None
            continue
        converted = _value(target, element, value)
        if converted is not value:
            changes[element.field] = converted
    if prefix:
        target.losses[mark:] = [
            replace(loss, field=f"{prefix}{loss.field}") for loss in target.losses[mark:]
        ]
    return replace(
        message,
        version=target.version,
        namespace=target.namespace,
        deviations=(),
        peer_pairing=(target.version, target.namespace),  # chosen here, even if no table has it
        **changes,
    )


def convert(
    message: MessageT,
    version: str | MM7Version,
    *,
    namespace: str | None = None,
    allow_loss: bool = True,
) -> Conversion[MessageT]:
    """``message`` for the schema of ``version`` (see ``Message.for_version``)."""
    try:
        text = str(MM7Version.parse(str(version)))
    except ValueError:
        raise EncodeError(f"MM7Version {version!r} is malformed", field="version") from None
    chosen = namespace or namespace_for_version(text)
    schema = None if chosen is None else schema_index(chosen, text)
    if chosen is None or schema is None:
        raise EncodeError(
            f"no schema for MM7Version {text} with namespace {namespace!r}: nothing to convert to",
            field="version",
        )
    target = _Target(text, chosen, schema)
    if isinstance(message, Fault):
        detail = message.detail
        moved_detail: Response | None = (
            None if detail is None else _convert_body(detail, target, "detail.")
        )
        # A Fault without a detail has no MM7Version on the wire: only its namespace moves.
        converted: Message = replace(
            message,
            version=message.version if detail is None else text,
            namespace=chosen,
            deviations=(),
            peer_pairing=(text, chosen),
            detail=moved_detail,
        )
    else:
        converted = _convert_body(message, target, "")
    losses = tuple(target.losses)
    if losses and not allow_loss:
        listed = "; ".join(f"{loss.field}={loss.value!r}" for loss in losses)
        raise EncodeError(
            f"converting {type(message).__name__} to MM7Version {text} ({target.tail}) would "
            f"lose {len(losses)} value(s): {listed}",
            field=losses[0].field,
            losses=losses,
        )
    return Conversion(converted, losses)  # type: ignore[arg-type]
