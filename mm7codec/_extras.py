"""Elements a peer sent that the schema does not have, kept so a relay can pass them on.

Decoding records each unknown element of a message body as a deviation (``unknown-element``)
and keeps it beside that record as an ``Extra`` in ``message.extras``. ``encode`` leaves
extras out, so its output stays schema-valid; ``encode(message, keep_extras=True)`` writes
them back where they stood, for a relay that must pass vendor extensions on.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Extra"]


@dataclass(frozen=True, slots=True)
class Extra:
    """One unknown element: its local ``name``, its ``namespace`` (empty when unqualified),
    its ``text``, and ``after``, the schema element it followed in the body (None when it
    came first), which is where ``keep_extras=True`` writes it back.

    Only elements holding text are kept this way; an unknown element with children is read
    as a wrapper around known elements (``unexpected-wrapper``), as before.
    """

    name: str
    namespace: str
    text: str
    after: str | None = None
