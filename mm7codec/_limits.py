"""Every limit the decoder enforces, as one immutable object with finite defaults.

The defaults are generous for real MM7 traffic (a SOAP envelope is a few KiB; an MMS rarely
exceeds a few MiB, video submissions reach tens of MiB) and small enough that hostile input
cannot take unbounded memory or time. Pass ``Limits(...)`` to ``decode``/``Decoder`` to change
them; each breach raises ``LimitExceeded`` naming the field, except for the three that bound
what is kept rather than what is accepted: ``spool_threshold`` and ``max_memory_held`` move
part bodies to a temporary file, ``max_deviations`` counts the deviations past it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds on what one decode may consume. All sizes are in bytes."""

    #: The SOAP envelope (the root part), before parsing.
    max_envelope_size: int = 256 * KIB
    #: XML element nesting depth inside the envelope.
    max_xml_depth: int = 32
    #: Number of XML elements in the envelope.
    max_xml_elements: int = 10_000
    #: Attributes on one XML element.
    max_xml_attributes: int = 64
    #: Characters of text in one XML element.
    max_xml_text: int = 64 * KIB
    #: The whole HTTP body.
    max_total_size: int = 256 * MIB
    #: One header line of a MIME part (after unfolding).
    max_header_line: int = 8 * KIB
    #: Header lines in one MIME part.
    max_header_count: int = 64
    #: MIME parts in the whole message, at every level.
    max_part_count: int = 1_000
    #: Nesting depth of multiparts (the outer multipart/related is depth 1).
    max_part_depth: int = 8
    #: Decoded bytes of one part.
    max_part_size: int = 128 * MIB
    #: Length of a MIME boundary (RFC 2046 allows 70).
    max_boundary_length: int = 200
    #: Parts larger than this are spooled to a temporary file instead of held in memory.
    spool_threshold: int = 1 * MIB
    #: Decoded bytes of all parts held in memory together; past it, the part that crosses it
    #: and every later one are spooled (when spooling is on), however small. (A decode that
    #: spools also holds its spool file's 256 KiB write buffer, not counted here.)
    max_memory_held: int = 16 * MIB
    #: Deviation records kept on a message (or its ``DeviationError``); past it, one last
    #: record says how many more there were instead of raising.
    max_deviations: int = 1_000


DEFAULT_LIMITS = Limits()
