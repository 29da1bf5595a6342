"""What the peer layer reports: lint findings, a peer's reading of a status code, and the
errors it raises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .._errors import EncodeError, MM7Error
from ._model import Confidence, Level, Retry

__all__ = ["Finding", "PeerRefusal", "PeerStatus", "ProfileError"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a message breaks a peer's rules.

    ``level``: ``"error"`` the peer refuses it (``code`` is the peer's status code when
    documented); ``"warning"`` the peer strips or ignores something, or the content is at
    risk; ``"info"`` a default the peer applies. ``where`` is a field name or a part path
    (``content/parts[1]``); ``source`` and ``confidence`` say where the rule comes from.
    """

    level: Level
    where: str
    message: str
    code: int | None = None
    source: str = ""
    confidence: Confidence | None = None

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code is not None else ""
        return f"{self.level}{code} {self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class PeerStatus:
    """A status code as one peer means it: its text and meaning, and ``retry``: ``"never"``,
    ``"later"`` (the same request may succeed later) or ``"fix"`` (the request must change).
    ``vendor`` is true when the meaning is the peer's own rather than the standard's."""

    code: int
    text: str
    meaning: str
    retry: Retry
    vendor: bool
    source: str = ""
    confidence: Confidence | None = None


class ProfileError(MM7Error):
    """A profile file that cannot be loaded: bad TOML, an unknown key, a wrong type, a
    reference to something that does not exist. ``where`` names the key."""


class PeerRefusal(EncodeError):  # noqa: N818 - the name says what happened
    """The peer would refuse this message whatever we changed: ``findings`` lists every
    error (and the rest of the findings, for context)."""

    def __init__(self, peer: str, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        errors = [f for f in self.findings if f.level == "error"]
        first = errors[0] if errors else None
        listed = "; ".join(str(f) for f in errors)
        super().__init__(
            f"{peer} would refuse the message: {listed}",
            where=first.where if first else None,
            status_code=first.code if first and first.code is not None else None,
        )
