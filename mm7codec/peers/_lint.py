"""The lint rules: a message against one peer profile, every broken rule a ``Finding``.

Each rule reads one part of the profile (operations, versions, the element table, recipients,
subject, content) and says what the peer does: refuses (error, with its code when documented),
strips or puts at risk (warning), or applies a default (info). Sizes are the encoder's exact
figures for this very message, never estimates; the peer's own estimate is quoted beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .._encoder import encode_stream
from .._errors import EncodeError, UsageError
from .._messages import Message, SubmitReq
from .._parts import Part
from .._values import Address
from ._fields import accepts, expected_namespace, is_present, value_at
from ._findings import Finding
from ._loader import submit_fields
from ._model import ContentRules, Level, PeerProfile, SizeLimit

__all__ = ["lint"]


@dataclass(frozen=True, slots=True)
class _Choice:
    """The caller's selection, checked against the profile."""

    variant: str | None
    number_type: str | None
    carrier: str | None


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _carrier_name(content: ContentRules, wanted: str) -> str | None:
    for name, aliases in content.carriers.items():
        if _key(wanted) in {_key(name), *(_key(a) for a in aliases)}:
            return name
    return None


def _choose(
    profile: PeerProfile, variant: str | None, number_type: str | None, carrier: str | None
) -> _Choice:
    if variant is not None and variant not in profile.variants:
        known = ", ".join(profile.variants) or "none"
        raise UsageError(f"{profile.id} has no variant {variant!r} (variants: {known})")
    if number_type is None and variant is not None and profile.variants[variant].number_types:
        number_type = profile.variants[variant].number_types[0]
    number_types = {limit.number_type for limit in profile.content.size_limits} - {None}
    for entry in profile.variants.values():
        number_types.update(entry.number_types)
    if number_type is not None and number_type not in number_types:
        known = ", ".join(sorted(t for t in number_types if t)) or "none"
        raise UsageError(f"{profile.id} has no number type {number_type!r} (known: {known})")
    name = None
    if carrier is not None:
        name = _carrier_name(profile.content, carrier)
        if name is None:
            known = ", ".join(profile.content.carriers) or "none"
            raise UsageError(f"{profile.id} publishes no limits for carrier {carrier!r} ({known})")
    return _Choice(variant, number_type, name)


def lint(
    profile: PeerProfile,
    message: Message,
    *,
    variant: str | None = None,
    number_type: str | None = None,
    carrier: str | None = None,
) -> list[Finding]:
    choice = _choose(profile, variant, number_type, carrier)
    findings = list(_operation(profile, message))
    if findings:
        return findings  # the peer refuses the operation: nothing else about it matters
    findings.extend(_version(profile, message))
    if isinstance(message, SubmitReq):
        findings.extend(_elements(profile, message, choice))
        findings.extend(_recipients(profile, message, choice))
        findings.extend(_subject(profile, message))
        findings.extend(_content(profile, message, choice))
    return findings


def _operation(profile: PeerProfile, message: Message) -> Iterator[Finding]:
    operations = profile.operations
    name = type(message).__name__
    if name not in operations.supported:
        yield Finding(
            "error",
            name,
            f"{profile.name} does not accept {name}; it takes {', '.join(operations.supported)}",
            operations.unsupported_code,
            operations.source,
            operations.confidence,
        )


def _version(profile: PeerProfile, message: Message) -> Iterator[Finding]:
    versions = profile.versions
    if not accepts(versions, message.version):
        taken = ", ".join(versions.accept) or ""
        if versions.accept_min or versions.accept_max:
            span = f"{versions.accept_min or 'any'} to {versions.accept_max or 'any'}"
            taken = f"{taken}, {span}" if taken else span
        yield Finding(
            "error",
            "version",
            f"MM7Version {message.version} is not accepted (accepted: {taken}); "
            f"prepare() sends it as {versions.preferred} where nothing is lost",
            versions.unsupported_version_code,
            versions.source,
            versions.confidence,
        )
        return
    expected = expected_namespace(versions, message.version)
    if expected is not None and message.namespace != expected:
        code = (
            versions.unsupported_namespace_code if versions.namespace_mismatch == "error" else None
        )
        yield Finding(
            versions.namespace_mismatch,
            "namespace",
            f"namespace {message.namespace.rsplit('/', 1)[-1]} with MM7Version "
            f"{message.version}; {profile.name} pairs it with {expected.rsplit('/', 1)[-1]}",
            code,
            versions.source,
            versions.confidence,
        )


def _elements(profile: PeerProfile, message: SubmitReq, choice: _Choice) -> Iterator[Finding]:
    fields = submit_fields()
    for element, rule in profile.submit.elements.items():
        if rule.variants and choice.variant not in rule.variants:
            continue
        path = fields[element]
        present = is_present(value_at(message, path))
        code_note = " (code inferred from the peer's status list)" if rule.code_inferred else ""
        note = f" {rule.note}" if rule.note else ""
        found: tuple[Level, str, int | None] | None = None
        if rule.policy == "strip" and present:
            found = ("warning", f"{profile.name} strips <{element}>: it is not delivered.", None)
        elif rule.policy == "error" and present:
            found = ("error", f"{profile.name} refuses <{element}>{code_note}.", rule.code)
        elif rule.policy == "default":
            what = "the value sent may be overridden" if present else "it applies its own default"
            found = (
                "info",
                f"{profile.name} defaults <{element}> to {rule.default}: {what}.",
                None,
            )
        elif rule.policy == "required" and not present:
            found = ("error", f"{profile.name} requires <{element}>{code_note}.", rule.code)
        elif rule.policy == "required_if" and not present:
            found = ("info", f"<{element}> is required when {rule.condition}.", rule.code)
        if found is not None:
            level, text, code = found
            yield Finding(level, path, text + note, code, rule.source, rule.confidence)


def _recipients(profile: PeerProfile, message: SubmitReq, choice: _Choice) -> Iterator[Finding]:
    rules = profile.submit.recipients
    if rules is None:
        return
    listed = {
        "To": message.recipients.to,
        "Cc": message.recipients.cc,
        "Bcc": message.recipients.bcc,
    }
    for name, addresses in listed.items():
        if addresses and name not in rules.lists:
            yield Finding(
                "error",
                f"recipients.{name.lower()}",
                f"{profile.name} takes {' and '.join(rules.lists)} recipients, not {name}",
                None,
                rules.source,
                rules.confidence,
            )
    everyone = list(message.recipients)
    for address in everyone:
        if address.kind not in rules.address_forms:
            yield Finding(
                "error",
                "recipients",
                f"{profile.name} takes {', '.join(rules.address_forms)} addresses, "
                f"not {address.kind} {address.value!r}",
                None,
                rules.source,
                rules.confidence,
            )
    if rules.number_pattern is not None:
        numbers: list[tuple[str, Address]] = [("recipients", a) for a in everyone]
        if message.sender_address is not None:
            numbers.append(("sender_address", message.sender_address))
        for where, address in numbers:
            if address.kind == "Number" and not re.fullmatch(rules.number_pattern, address.value):
                yield Finding(
                    rules.number_level,
                    where,
                    f"number {address.value!r} is not in {profile.name}'s format "
                    f"({rules.number_format or rules.number_pattern})",
                    None,
                    rules.source,
                    rules.confidence,
                )
    group = rules.display_only
    if group is not None and choice.variant in group.variants:
        receiving = [a for a in everyone if not a.display_only]
        if everyone and not receiving:
            yield Finding(
                "error",
                "recipients",
                "every recipient is displayOnly: exactly one must receive the message",
                group.all_true_code,
                group.source,
                group.confidence,
            )
        elif len(receiving) > 1:
            yield Finding(
                "error",
                "recipients",
                f"{len(receiving)} recipients are not displayOnly: exactly one may receive a "
                "group message (send one request per member)",
                group.many_false_code,
                group.source,
                group.confidence,
            )
        return
    if rules.max is not None and len(everyone) > rules.max:
        hint = ""
        if group is not None:
            hint = f"; group messages with displayOnly need variant {' or '.join(group.variants)}"
        yield Finding(
            "error",
            "recipients",
            f"{len(everyone)} recipients; {profile.name} takes at most {rules.max}{hint}",
            rules.too_many_code,
            rules.source,
            rules.confidence,
        )
    if group is not None and any(a.display_only for a in everyone):
        yield Finding(
            "warning",
            "recipients",
            f"displayOnly is only honoured on variant {' or '.join(group.variants)}",
            None,
            group.source,
            group.confidence,
        )


def _subject(profile: PeerProfile, message: SubmitReq) -> Iterator[Finding]:
    rules = profile.submit.subject
    subject = message.subject
    if rules is None or subject is None:
        return
    note = f" {rules.note}" if rules.note else ""
    if rules.max_length is not None and len(subject) > rules.max_length:
        yield Finding(
            rules.level,
            "subject",
            f"subject has {len(subject)} characters; {profile.name} recommends at most "
            f"{rules.max_length}.{note}",
            None,
            rules.source,
            rules.confidence,
        )
    if rules.ascii_only and not subject.isascii():
        yield Finding(
            rules.level,
            "subject",
            f"subject has characters outside ASCII (emoji, accents), which carriers behind "
            f"{profile.name} may reject.{note}",
            None,
            rules.source,
            rules.confidence,
        )


def _leaves(part: Part, path: str) -> Iterator[tuple[str, Part]]:
    """Leaf parts with their paths, in the order ``Part.walk`` yields them."""
    if not part.is_multipart:
        yield path, part
        return
    for index, child in enumerate(part.parts):
        yield from _leaves(child, f"{path}/parts[{index}]")


def _media_matches(pattern: str, media_type: str) -> bool:
    if pattern.endswith("/*"):
        return media_type.startswith(pattern[:-1])
    return media_type == pattern


def _content(profile: PeerProfile, message: SubmitReq, choice: _Choice) -> Iterator[Finding]:
    rules = profile.content
    content = message.content
    if content is None:
        return
    leaves = list(_leaves(content, "content"))
    if rules.smil_required and not any(p.content_type == "application/smil" for _, p in leaves):
        yield Finding(
            "error",
            "content",
            f"{profile.name} requires SMIL in every message; build the content with "
            "Part.slideshow(...)",
            rules.smil_code,
            rules.source,
            rules.confidence,
        )
    if rules.allowed_types:
        for path, part in leaves:
            if part.content_type == "application/smil":
                continue
            if not any(_media_matches(t, part.content_type) for t in rules.allowed_types):
                yield Finding(
                    rules.allowed_types_level,
                    path,
                    f"{part.content_type} is not among the types {profile.name} takes "
                    f"({', '.join(rules.allowed_types)})",
                    None,
                    rules.source,
                    rules.confidence,
                )
    if rules.size_limits:
        yield from _sizes(profile, message, leaves, choice)


def _sizes(
    profile: PeerProfile,
    message: SubmitReq,
    leaves: list[tuple[str, Part]],
    choice: _Choice,
) -> Iterator[Finding]:
    try:
        encoded = encode_stream(message)
    except EncodeError as error:
        yield Finding("error", error.where or "content", f"cannot be encoded: {error.reason}")
        return
    sizes = dict(zip((path for path, _ in leaves), encoded.part_sizes, strict=True))
    binary = [p.size for _, p in leaves]
    totals: dict[str, int | None] = {
        "binary": None if None in binary else sum(s for s in binary if s is not None),
        "base64": None if None in sizes.values() else sum(s for s in sizes.values() if s),
        "http_body": encoded.content_length,
    }
    skipped_tables = False
    for limit in profile.content.size_limits:
        if limit.media is not None:
            yield from _part_limit(profile, limit, leaves, sizes)
            continue
        level: Level = limit.level
        if limit.number_type is not None or limit.carrier is not None:
            if choice.number_type is None:
                skipped_tables = True
                continue
            if limit.number_type is not None and limit.number_type != choice.number_type:
                continue
            if choice.carrier is not None and limit.carrier != choice.carrier:
                continue
            if choice.carrier is None and level == "error":
                level = "warning"  # the recipient's carrier decides; at risk on this one
        total = totals[limit.measure]
        if total is None or total <= limit.limit_bytes:
            continue
        yield Finding(
            level,
            "content",
            _over(profile, limit, total, leaves, sizes),
            limit.code,
            limit.source,
            limit.confidence,
        )
    if skipped_tables:
        yield Finding(
            "info",
            "content",
            f"{profile.name}'s size limits depend on the number type and carrier: pass "
            "number_type= (and carrier=) to check them",
        )


_MEASURES = {
    "binary": "the media (decoded)",
    "base64": "the content as encoded for the wire",
    "http_body": "the HTTP body",
}


def _over(
    profile: PeerProfile,
    limit: SizeLimit,
    total: int,
    leaves: list[tuple[str, Part]],
    sizes: dict[str, int | None],
) -> str:
    scope = " ".join(x for x in (limit.carrier, limit.number_type) if x)
    published = f" ({limit.published})" if limit.published else ""
    text = (
        f"{_MEASURES[limit.measure]} is {total:,} bytes, over {profile.name}'s "
        f"{limit.limit_bytes:,}-byte limit{' for ' + scope if scope else ''}{published}"
    )
    if limit.http_status is not None:
        text += f"; refused with HTTP {limit.http_status}"
    known = [(s, path, part) for path, part in leaves if (s := sizes[path]) is not None]
    if known:
        size, path, part = max(known, key=lambda item: item[0])
        text += f"; largest part: {path} ({part.content_type}, {size:,} bytes encoded)"
    estimate = profile.content.base64_estimate
    binary = [p.size for _, p in leaves]
    if estimate is not None and limit.measure == "base64" and None not in binary:
        raw = sum(s for s in binary if s is not None)
        guess = round(raw * estimate.factor) + estimate.overhead_bytes * len(leaves)
        text += (
            f"; {profile.name}'s own estimate: {guess:,} bytes "
            f"(size x {estimate.factor} + {estimate.overhead_bytes} per part)"
        )
    return text


def _part_limit(
    profile: PeerProfile,
    limit: SizeLimit,
    leaves: list[tuple[str, Part]],
    sizes: dict[str, int | None],
) -> Iterator[Finding]:
    assert limit.media is not None
    for path, part in leaves:
        if not _media_matches(limit.media, part.content_type):
            continue
        size = part.size if limit.measure == "binary" else sizes[path]
        if size is None or size <= limit.limit_bytes:
            continue
        published = f" ({limit.published})" if limit.published else ""
        yield Finding(
            limit.level,
            path,
            f"{part.content_type} part is {size:,} bytes, over {profile.name}'s "
            f"{limit.limit_bytes:,}-byte limit for {limit.media}{published}",
            limit.code,
            limit.source,
            limit.confidence,
        )
