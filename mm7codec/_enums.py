"""The MM7 enumerations as ``Literal`` types, and ``UnknownValue`` for values outside them.

One alias per ``[enums.*]`` table of ``specs/mm7.toml``, named as there and listing every value
of every schema version (the Release 6 additions included: the encoder, not the type, refuses a
value the message's own version lacks). A test holds each alias equal to its table.

A type checker then catches ``priority="Hihg"`` when a message is built, and a ``match`` on a
decoded value can be exhaustive. A peer may still send a value no schema has: lenient decoding
keeps it as an ``UnknownValue`` (beside its ``unknown-enum-value`` deviation), so the field's
type, ``Priority | UnknownValue | None``, makes the reader decide what to do with it.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "AddressCoding",
    "ChargedParty",
    "ContentClass",
    "MMStatus",
    "MMStatusExtension",
    "MessageClass",
    "Priority",
    "ReadStatus",
    "UnknownValue",
]

MessageClass = Literal["Personal", "Informational", "Advertisement", "Auto"]
Priority = Literal["High", "Normal", "Low"]
#: ThirdParty and Other are Release 6 values.
ChargedParty = Literal["Sender", "Recipient", "Both", "Neither", "ThirdParty", "Other"]
#: The delivery status of DeliveryReportReq; Unrecognised, Deferred and
#: DeliveryConditionNotMet are Release 6 values.
MMStatus = Literal[
    "Expired",
    "Retrieved",
    "Rejected",
    "Indeterminate",
    "Forwarded",
    "Unrecognised",
    "Deferred",
    "DeliveryConditionNotMet",
]
#: The read status of ReadReplyReq (its element is also called MMStatus).
ReadStatus = Literal["Indeterminate", "Read", "Deleted"]
MMStatusExtension = Literal["RejectionByMMSRecipient", "RejectionByOtherRS"]
ContentClass = Literal[
    "text",
    "image-basic",
    "image-rich",
    "video-basic",
    "video-rich",
    "megapixel",
    "content-basic",
    "content-rich",
]
#: The Release 6 ``addressCoding`` attribute of an address.
AddressCoding = Literal["encrypted", "obfuscated"]


class UnknownValue(str):
    """An enumerated value outside its enumeration, as a peer sent it.

    Only the decoder makes these, for a value no schema version lists (recorded as an
    ``unknown-enum-value`` deviation, an error in strict mode). It is the text itself
    (``UnknownValue("Urgent") == "Urgent"``), so logging and comparing work as for any
    ``str``; its own type is what tells a type checker and ``isinstance`` that it is none of
    the ``Literal`` values. The encoder refuses it like any value outside the enumeration.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"UnknownValue({str.__repr__(self)})"
