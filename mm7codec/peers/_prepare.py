"""``prepare``: a message as one peer should receive it.

Three steps, each visible in the result: move the message to a version and namespace the peer
accepts (with ``for_version``, only where it shows that nothing is lost), drop the elements the peer
strips (each listed as a ``Loss``), then lint what is left and refuse only if the peer would.
"""

from __future__ import annotations

from dataclasses import replace

from .._conversion import Conversion, Loss
from .._errors import EncodeError
from .._messages import Message, SubmitReq
from ._fields import accepts, expected_namespace, is_present, value_at, without
from ._findings import Finding, PeerRefusal
from ._lint import lint
from ._loader import submit_fields
from ._model import PeerProfile

__all__ = ["prepare"]


def _retarget(profile: PeerProfile, message: Message) -> Message | Finding:
    """The message in the version/namespace the peer takes, or the finding that says why it
    cannot be moved there without losing something."""
    versions = profile.versions
    version = message.version if accepts(versions, message.version) else versions.preferred
    namespace = expected_namespace(versions, version) or message.namespace
    if (version, namespace) == (message.version, message.namespace):
        return message
    try:
        conversion = message.for_version(version, namespace=namespace)
        names = ", ".join(loss.field for loss in conversion.losses)
    except EncodeError as error:  # the message type, or a value it needs, is not there
        names = error.field or type(message).__name__
    if names:
        return Finding(
            "error",
            "version",
            f"{profile.name} takes MM7Version {version} ({namespace.rsplit('/', 1)[-1]}), "
            f"which cannot carry {names}; convert the message (or drop them) first",
            versions.unsupported_version_code,
            versions.source,
            versions.confidence,
        )
    # The peer's own pairing, chosen on purpose even where no table holds it.
    return replace(conversion.message, peer_pairing=(version, namespace))


def _strip(
    profile: PeerProfile, message: Message, variant: str | None
) -> tuple[Message, list[Loss]]:
    if not isinstance(message, SubmitReq):
        return message, []
    fields = submit_fields()
    losses: list[Loss] = []
    result: Message = message
    for element, rule in profile.submit.elements.items():
        if rule.policy != "strip" or (rule.variants and variant not in rule.variants):
            continue
        path = fields[element]
        value = value_at(result, path)
        if is_present(value):
            losses.append(Loss(path, value, f"{profile.name} strips <{element}> ({rule.source})"))
            result = without(result, path)
    return result, losses


def prepare(
    profile: PeerProfile, message: Message, *, variant: str | None = None
) -> Conversion[Message]:
    moved = _retarget(profile, message)
    if isinstance(moved, Finding):
        others = lint(profile, message, variant=variant)
        others = [f for f in others if f.where not in ("version", "namespace")]
        raise PeerRefusal(profile.name, [moved, *others])
    stripped, losses = _strip(profile, moved, variant)
    findings = lint(profile, stripped, variant=variant)
    if any(finding.level == "error" for finding in findings):
        raise PeerRefusal(profile.name, findings)
    return Conversion(stripped, tuple(losses))
