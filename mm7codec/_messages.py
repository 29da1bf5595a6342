"""One frozen, slotted dataclass per MM7 body element, and the request -> response pairing.

Field names are the schema element names in snake_case (``MessageID`` -> ``message_id``), so a
reader of TS 23.140 can guess them; ``specs/mm7.toml`` lists them and a test holds the classes
and the spec together. ``type(message).__name__`` is the body element's name, which is why the
Release 6 extended operations are spelled ``extendedCancelReq`` with a lower-case e.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Literal,
    Self,
    TypedDict,
    TypeVar,
    Unpack,
    overload,
)

from ._deviations import Deviation, cut_text
from ._enums import (
    ChargedParty,
    ContentClass,
    MessageClass,
    MMStatus,
    MMStatusExtension,
    Priority,
    ReadStatus,
    UnknownValue,
)
from ._extras import Extra
from ._field_checks import check_fields
from ._field_docs import message_docstring
from ._parts import Part
from ._repr import message_repr
from ._slots import SlotSetters, slot_setters
from ._spec import SPEC
from ._status import Status
from ._values import Address, Recipients, RelativeDate, ReplyCharging, UACapabilities
from ._versions import LATEST_VERSION, MM7Version, is_well_formed, namespace_for_version

if TYPE_CHECKING:
    from ._conversion import Conversion

__all__ = [
    "MESSAGE_TYPES",
    "CancelReq",
    "CancelRsp",
    "DeliverReq",
    "DeliverRsp",
    "DeliveryReportReq",
    "DeliveryReportRsp",
    "Fault",
    "Message",
    "RSErrorRsp",
    "ReadReplyReq",
    "ReadReplyRsp",
    "ReplaceReq",
    "ReplaceRsp",
    "Request",
    "Response",
    "SubmitReq",
    "SubmitRsp",
    "VASPErrorRsp",
    "build_decoded",
    "error_fault",
    "extendedCancelReq",
    "extendedCancelRsp",
    "extendedReplaceReq",
    "extendedReplaceRsp",
    "new_transaction_id",
]


def new_transaction_id() -> str:
    """A fresh, unique TransactionID for a request we originate."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """What every MM7 message has: the SOAP header's TransactionID, the MM7Version, and the
    namespace it was (or will be) written in.

    ``version`` is the MM7Version as text (a plain ``str``, ``"6.8.0"``); an ``MM7Version``
    is accepted and stored as its text. ``namespace`` defaults to the schema namespace of
    ``version``; a decoded message keeps the namespace and version exactly as received, so a
    reply can echo them. ``deviations`` lists what lenient decoding tolerated; it does not
    take part in equality.

    No silent hybrids: a known MM7Version is encoded only in its own namespace (the one
    ``MM7Version.namespace`` gives), unless the pair is ``peer_pairing``, the
    ``(version, namespace)`` a peer sent. Decoding sets ``peer_pairing``, ``reply()`` and
    ``fault()`` pass it on, so a reply echoes a peer's odd pairing (6.7.0 with REL-6-MM7-1-4),
    while ``dataclasses.replace(message, version="5.3.0")`` on a 6.8.0 message is an
    ``EncodeError`` (use ``for_version``). Set ``peer_pairing`` yourself to send a pairing no
    table holds on purpose.
    """

    transaction_id: str = field(default_factory=new_transaction_id)
    version: str = LATEST_VERSION
    namespace: str = ""
    deviations: tuple[Deviation, ...] = field(default=(), compare=False, repr=False)
    peer_pairing: tuple[str, str] | None = field(default=None, compare=False, repr=False)
    #: Unknown elements decoding kept (each beside its ``unknown-element`` deviation); written
    #: back only by ``encode(message, keep_extras=True)``.
    extras: tuple[Extra, ...] = field(default=(), compare=False, repr=False)

    def __init_subclass__(cls) -> None:
        # Set before @dataclass runs on the subclass, so it keeps this compact repr instead
        # of generating one that lists every field (_repr says what is shown); a subclass's
        # own __repr__ stays. No super(): the slotted class is rebuilt, and object's hook does
        # nothing.
        if "__repr__" not in vars(cls):
            cls.__repr__ = Message.__repr__  # type: ignore[method-assign]

    def __repr__(self) -> str:
        return message_repr(self)

    def __str__(self) -> str:
        """The readable multi-line summary the command line prints (``render_text``)."""
        from ._describe import render_text  # the describing module builds on this one

        return render_text(self)

    def __post_init__(self) -> None:
        if type(self.version) is not str and isinstance(self.version, str):
            object.__setattr__(self, "version", str(self.version))  # an MM7Version: its text
        check_fields(self)  # a TypeError naming the field, not a failure deep in the encoder
        self._default_namespace()

    def _default_namespace(self) -> None:
        """No namespace given: the one of ``version`` (also for decoded messages, which
        ``build_decoded`` makes without ``__post_init__``)."""
        if not self.namespace:
            object.__setattr__(self, "namespace", namespace_for_version(self.version) or "")

    @property
    def mm7_version(self) -> MM7Version:
        """``version`` parsed for numeric comparison (raises ValueError if it is malformed)."""
        return MM7Version.parse(self.version)

    def for_version(
        self,
        version: str | MM7Version,
        *,
        namespace: str | None = None,
        allow_loss: bool = True,
    ) -> Conversion[Self]:
        """This message for the schema of another MM7Version, and what it loses on the way.

        ``Conversion.message`` has ``version`` and ``namespace`` (the version's own namespace
        unless given) and every value that schema can carry; ``Conversion.losses`` lists, as
        ``Loss(field, value, reason)``, each value it cannot (a Release 6 element sent to a
        Release 5 peer, an address attribute, an enumeration value the schema lacks). Elements
        that only change name or type between schemas are carried over; content is kept by
        reference. With ``allow_loss=False`` a conversion that would lose anything raises one
        ``EncodeError`` whose ``losses`` lists them all. A message type the target version does
        not have, or a required value it cannot carry, is an ``EncodeError`` (with ``field``).
        """
        from ._conversion import convert

        return convert(self, version, namespace=namespace, allow_loss=allow_loss)

    def to_dict(self) -> dict[str, Any]:
        """This message as plain JSON values, in the one JSON form of every message (README,
        "JSON"): ``type``, ``transaction_id``, ``version``, ``namespace``, then each field
        that is set. ``Message.from_dict`` reads it back as an equal message. Bodies are read
        whole and written as text or base64 (a ``Part.from_file`` stream is used up)."""
        from ._json import message_to_dict

        return message_to_dict(self)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, base_dir: str | os.PathLike[str] | None = None
    ) -> Self:
        """The message the JSON form ``data`` describes, of the class its ``type`` names
        (``DeliverReq.from_dict`` refuses any other type, and needs no ``type``).

        Parts given by ``path`` are read from files only when ``base_dir`` is given, and only
        from inside it (relative paths start there), so JSON from elsewhere cannot name other
        local files. A mistake is a
        ``DecodeError`` whose ``where`` is the JSON path of the value at fault.
        """
        from ._json import message_from_dict

        return message_from_dict(data, cls, base_dir=base_dir)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(Message):
    """A response: its Status says how the request went.

    The Status of most responses holds a code, a text (the standard one when none is given)
    and optional details; ``status_code_only`` responses (extendedCancelRsp,
    extendedReplaceRsp) have room for the code alone.
    """

    #: True where the schema's Status holds StatusCode only.
    status_code_only: ClassVar[bool] = False

    status: Status = field(default_factory=Status.of)


@dataclass(frozen=True, slots=True, kw_only=True)
class Request(Message):
    """A request; ``reply()`` builds the matching response.

    ``reply()`` is typed per request class (``SubmitReq.reply()`` is a ``SubmitRsp`` to a type
    checker) by overloads on ``self``, so ``Request`` itself needs no type parameter in
    annotations.
    """

    #: The response class, filled in below once every class exists.
    response_type: ClassVar[type[Response]]
    #: The error response a peer answers this request with when it cannot process it at all.
    error_response_type: ClassVar[type[Response]]

    # One overload per request class gives each its paired response type, and that response's
    # own fields (the ``...Fields`` TypedDicts below) as the keyword arguments. mypy frowns on
    # a ``self`` narrower than the class (misc), but honours it at every call site, which is
    # what matters. The last overload serves code that holds a plain ``Request``: it gives a
    # ``Response`` and takes any response field. A call that fits no specific overload falls
    # back to it, so a misspelt field or a wrong type is still a type error everywhere, while
    # a field of another response only shows as the ``Response`` it then returns.
    @overload
    def reply(  # type: ignore[misc]
        self: SubmitReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[SubmitRspFields],
    ) -> SubmitRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: DeliverReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[DeliverRspFields],
    ) -> DeliverRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: CancelReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[NoResponseFields],
    ) -> CancelRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: ReplaceReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[NoResponseFields],
    ) -> ReplaceRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: extendedCancelReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[NoResponseFields],
    ) -> extendedCancelRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: extendedReplaceReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[ExtendedReplaceRspFields],
    ) -> extendedReplaceRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: DeliveryReportReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[NoResponseFields],
    ) -> DeliveryReportRsp: ...
    @overload
    def reply(  # type: ignore[misc]
        self: ReadReplyReq,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[NoResponseFields],
    ) -> ReadReplyRsp: ...
    @overload
    def reply(
        self: Request,
        status: int = ...,
        text: str | None = ...,
        *,
        details: str | None = ...,
        **fields: Unpack[ResponseFields],
    ) -> Response: ...
    def reply(
        self,
        status: int = 1000,
        text: str | None = None,
        *,
        details: str | None = None,
        **fields: Any,
    ) -> Response:
        """The response to this request: same transaction id, version and namespace.

        ``status`` is the MM7 status code (1000 success by default), ``text`` its text (the
        standard one when omitted; extendedCancelRsp and extendedReplaceRsp carry no text, so
        there it stays empty and giving one is an ``EncodeError`` when encoding); further
        keyword arguments set response fields, for example ``submit_req.reply(message_id="abc")``.
        """
        response = self.response_type
        return response(
            transaction_id=self.transaction_id,
            version=self.version,
            namespace=self.namespace,
            peer_pairing=self.peer_pairing,
            status=Status(status, text, details)
            if response.status_code_only
            else Status.of(status, text, details),
            **fields,
        )

    def fault(
        self,
        status: int,
        text: str | None = None,
        *,
        details: str | None = None,
        faultstring: str | None = None,
    ) -> Fault:
        """A SOAP Fault refusing this request, with the error response in its detail.

        Client-side problems (2xxx and 4xxx) give faultcode ``Client``, server-side ones
        ``Server``. Send it with HTTP status 500 (``Fault.http_status``).
        """
        return _fault(
            self.error_response_type,
            Status.of(status, text, details),
            transaction_id=self.transaction_id,
            version=self.version,
            namespace=self.namespace,
            faultstring=faultstring,
        )


def _fault(
    error_response_type: type[Response],
    status: Status,
    *,
    transaction_id: str,
    version: str,
    namespace: str,
    faultstring: str | None = None,
) -> Fault:
    """A Fault whose detail is ``error_response_type`` with ``status``: faultcode ``Server``
    for 3xxx (the server failed), ``Client`` for the rest (the request was at fault)."""
    # A fault answers a request in the terms it came in: the pairing is the peer's.
    pairing = (version, namespace)
    detail = error_response_type(
        transaction_id=transaction_id,
        version=version,
        namespace=namespace,
        status=status,
        peer_pairing=pairing,
    )
    return Fault(
        transaction_id=transaction_id,
        version=version,
        namespace=namespace,
        peer_pairing=pairing,
        faultcode="Server" if 3000 <= status.code < 4000 else "Client",
        faultstring=faultstring or (status.text or ""),
        detail=detail,
    )


def error_fault(
    side: Literal["vasp", "rs"],
    status: int,
    *,
    details: str | None = None,
    transaction_id: str | None = None,
    version: str | None = None,
    namespace: str | None = None,
) -> Fault:
    """The Fault a VASP (``side="vasp"``) or relay/server (``"rs"``) answers with when it could
    not read the request at all.

    What the request showed of itself is echoed when it can be written back as it is: a
    well-formed version, a namespace and TransactionID of printable characters without
    padding (a namespace without any white space). Otherwise the Fault uses the latest version,
    its namespace and a fresh TransactionID. ``details`` is cut to a bounded length.
    """
    if side not in ("vasp", "rs"):
        raise ValueError(f"side must be 'vasp' or 'rs', not {side!r}")
    error_response_type: type[Response] = VASPErrorRsp if side == "vasp" else RSErrorRsp
    version = version if version and is_well_formed(version) else LATEST_VERSION
    if not (namespace and namespace.isprintable() and len(namespace.split()) == 1):
        namespace = namespace_for_version(version)
        if namespace is None:  # a version no table knows: the latest, which every peer reads
            version, namespace = LATEST_VERSION, namespace_for_version(LATEST_VERSION) or ""
    if not (
        transaction_id and transaction_id.isprintable() and transaction_id.strip() == transaction_id
    ):
        transaction_id = new_transaction_id()
    return _fault(
        error_response_type,
        Status.of(status, details=None if details is None else cut_text(details)),
        transaction_id=transaction_id,
        version=version,
        namespace=namespace,
    )


# -- responses ---------------------------------------------------------------------------------


def _code_only_success() -> Status:
    return Status(1000)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitRsp(Response):
    """The answer to a SubmitReq. ``message_id`` is required by the schema (the encoder
    refuses None); decoding a SubmitRsp without one keeps it as None and records it. The Applic
    fields exist only up to REL-6-MM7-1-3."""

    message_id: str | None = None
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliverRsp(Response):
    service_code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelRsp(Response):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceRsp(Response):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class extendedCancelRsp(Response):  # noqa: N801 - the element name
    """Its Status holds a StatusCode only: a text or details is an ``EncodeError``."""

    status_code_only: ClassVar[bool] = True

    status: Status = field(default_factory=_code_only_success)


@dataclass(frozen=True, slots=True, kw_only=True)
class extendedReplaceRsp(Response):  # noqa: N801 - the element name
    """MessageID (required, as in SubmitRsp) comes before a Status that holds a StatusCode
    only: a text or details is an ``EncodeError``."""

    status_code_only: ClassVar[bool] = True

    message_id: str | None = None
    status: Status = field(default_factory=_code_only_success)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryReportRsp(Response):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadReplyRsp(Response):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class RSErrorRsp(Response):
    """The relay/server's answer to a request it could not process at all."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VASPErrorRsp(Response):
    """The VASP's answer to a request it could not process at all."""


# -- what reply() may set: each response's own fields ----------------------------------------
# (reply() fills in the TransactionID, version, namespace and Status itself; a test holds these
# equal to the response classes, names and types.)


class SubmitRspFields(TypedDict, total=False):
    message_id: str | None
    applic_id: str | None
    reply_applic_id: str | None
    aux_applic_info: str | None


class DeliverRspFields(TypedDict, total=False):
    service_code: str | None


class ExtendedReplaceRspFields(TypedDict, total=False):
    message_id: str | None


class NoResponseFields(TypedDict, total=False):
    """The responses with nothing but a Status (CancelRsp, ReplaceRsp, ...)."""


class ResponseFields(SubmitRspFields, DeliverRspFields, total=False):
    """Every field some response has: what ``reply()`` takes on a plain ``Request``."""


# -- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitReq(Request):
    """A VASP sends an MT message (VASP -> R/S)."""

    vasp_id: str | None = None
    vas_id: str | None = None
    sender_address: Address | None = None
    recipients: Recipients
    service_code: str | None = None
    linked_id: str | None = None
    message_class: MessageClass | UnknownValue | None = None
    time_stamp: datetime | None = None
    reply_charging: ReplyCharging | None = None
    earliest_delivery_time: RelativeDate | None = None
    expiry_date: RelativeDate | None = None
    delivery_report: bool | None = None
    read_reply: bool | None = None
    priority: Priority | UnknownValue | None = None
    subject: str | None = None
    charged_party: ChargedParty | UnknownValue | None = None
    charged_party_id: str | None = None
    distribution_indicator: bool | None = None
    delivery_condition: tuple[int, ...] | None = None
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None
    content_class: ContentClass | UnknownValue | None = None
    drm_content: bool | None = None
    content: Part | None = None
    allow_adaptations: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliverReq(Request):
    """An MO message delivered to the VASP (R/S -> VASP)."""

    mms_relay_server_id: str | None = None
    vasp_id: str | None = None
    vas_id: str | None = None
    linked_id: str | None = None
    sender: Address
    recipients: Recipients | None = None
    previouslysentby: tuple[Address, ...] | None = None
    previouslysentdateandtime: tuple[RelativeDate, ...] | None = None
    sender_spi: str | None = None
    recipient_spi: str | None = None
    time_stamp: datetime | None = None
    reply_charging_id: str | None = None
    priority: Priority | UnknownValue | None = None
    subject: str | None = None
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None
    ua_capabilities: UACapabilities | None = None
    content: Part | None = None
    allow_adaptations: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelReq(Request):
    """Cancel a submitted message that has not been delivered yet (VASP -> R/S)."""

    vasp_id: str | None = None
    vas_id: str | None = None
    sender_address: Address | None = None
    message_id: str
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceReq(Request):
    """Replace a submitted message that has not been delivered yet (VASP -> R/S)."""

    vasp_id: str | None = None
    vas_id: str | None = None
    sender_address: Address | None = None
    message_id: str
    service_code: str | None = None
    time_stamp: datetime | None = None
    read_reply: bool | None = None
    earliest_delivery_time: RelativeDate | None = None
    distribution_indicator: bool | None = None
    content_class: ContentClass | UnknownValue | None = None
    drm_content: bool | None = None
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None
    content: Part | None = None
    allow_adaptations: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class extendedCancelReq(Request):  # noqa: N801 - the element name
    """Release 6: cancel a message already delivered to the recipient's store."""

    vasp_id: str | None = None
    vas_id: str | None = None
    sender_address: Address | None = None
    cancel_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class extendedReplaceReq(Request):  # noqa: N801 - the element name
    """Release 6: replace a message already delivered to the recipient's store.

    Unlike the other requests it has no SenderIdentification: VASPID and VASID stand directly
    in the body, and there is no sender address."""

    vasp_id: str | None = None
    vas_id: str | None = None
    service_code: str | None = None
    replace_id: str | None = None
    time_stamp: datetime | None = None
    earliest_delivery_time: RelativeDate | None = None
    expiry_date: RelativeDate | None = None
    read_reply: bool | None = None
    delivery_report: bool | None = None
    content: Part | None = None
    allow_adaptations: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryReportReq(Request):
    """The delivery status of a message the VASP submitted (R/S -> VASP)."""

    mms_relay_server_id: str | None = None
    message_id: str
    recipient: Address
    sender: Address
    date: datetime
    mm_status: MMStatus | UnknownValue
    mm_status_extension: MMStatusExtension | UnknownValue | None = None
    status_text: str | None = None
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None
    ua_capabilities: UACapabilities | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadReplyReq(Request):
    """The read report of a message the VASP submitted (R/S -> VASP). ``mm_status`` is a
    read status (Indeterminate, Read, Deleted), not a delivery status."""

    mms_relay_server_id: str | None = None
    message_id: str
    recipient: Address
    sender: Address
    time_stamp: datetime
    mm_status: ReadStatus | UnknownValue
    status_text: str | None = None
    applic_id: str | None = None
    reply_applic_id: str | None = None
    aux_applic_info: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault(Message):
    """A SOAP 1.1 Fault, usually carrying the error response (RSErrorRsp, VASPErrorRsp or
    the operation's own response) in ``detail``.

    ``faultcode`` is the local part (``Client`` or ``Server``); the encoder qualifies it with
    the envelope prefix.
    """

    http_status: ClassVar[int] = 500

    faultcode: str = "Server"
    faultstring: str = ""
    faultactor: str | None = None
    detail: Response | None = None

    @property
    def status(self) -> Status | None:
        return None if self.detail is None else self.detail.status


#: Every body element name -> its class (the SOAP Fault excluded).
MESSAGE_TYPES: dict[str, type[Message]] = {
    cls.__name__: cls
    for cls in (
        SubmitReq,
        SubmitRsp,
        DeliverReq,
        DeliverRsp,
        CancelReq,
        CancelRsp,
        ReplaceReq,
        ReplaceRsp,
        extendedCancelReq,
        extendedCancelRsp,
        extendedReplaceReq,
        extendedReplaceRsp,
        DeliveryReportReq,
        DeliveryReportRsp,
        ReadReplyReq,
        ReadReplyRsp,
        RSErrorRsp,
        VASPErrorRsp,
    )
}


_Decoded = TypeVar("_Decoded", bound=Message)

#: Per message class, made when it is first decoded: its setters, or None for a class with
#: a ``__post_init__`` of its own (built by its constructor, whose work that may be).
_SETTERS: dict[type[Message], SlotSetters | None] = {}


def build_decoded(cls: type[_Decoded], fields: dict[str, Any]) -> _Decoded:
    """``cls(**fields)`` for the values the decoder read, stored straight into the slots.

    ``__post_init__`` has nothing to do for them but default the namespace (done here too):
    every value was built of its exact declared type by the element reader that read it, so
    the field checks would find nothing to convert or refuse (tests/test_decoded_fields.py
    holds that, and that this gives what the constructor gives, over the outcome corpus and
    the strategies), yet they and the keyword parsing cost a tenth of a small message's
    decode. Fields the class lacks, or a required one missing, go to the constructor for its
    error.
    """
    if cls in _SETTERS:
        setters = _SETTERS[cls]
    else:
        own_hook = cls.__post_init__ is not Message.__post_init__
        setters = _SETTERS[cls] = None if own_hook else slot_setters(cls)
    names = fields.keys()
    if setters is None or not setters.required <= names <= cls.__dataclass_fields__.keys():
        return cls(**fields)
    message = object.__new__(cls)
    get = fields.get
    for setter, name, default in setters.plain:
        setter(message, get(name, default))
    for setter, name, factory in setters.made:
        setter(message, fields[name] if name in fields else factory())
    message._default_namespace()
    return message


def _pair_requests_with_responses() -> None:
    """Wire each request class to its response and error response, as the spec says."""
    for name, spec in SPEC.messages.items():
        cls = MESSAGE_TYPES[name]
        if spec.reply is None:
            continue
        assert issubclass(cls, Request)
        response = MESSAGE_TYPES[spec.reply]
        assert issubclass(response, Response)
        cls.response_type = response
        # Requests the VASP sends are refused by the relay/server, and the other way round.
        cls.error_response_type = RSErrorRsp if spec.direction == "VASP to R/S" else VASPErrorRsp


_pair_requests_with_responses()

# help(SubmitReq) documents every field from the spec tables (_field_docs).
for _message_type in (*MESSAGE_TYPES.values(), Fault):
    _message_type.__doc__ = message_docstring(_message_type)
