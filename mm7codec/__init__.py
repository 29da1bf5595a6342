"""mm7codec: encode and decode MM7 (3GPP TS 23.140), the SOAP-over-HTTP protocol between MMS
value-added service providers and MMSCs, for every schema version from 5.3.0 to 6.8.0.

Sans-IO: bytes in, typed messages out, and back.

    >>> import mm7codec
    >>> message = mm7codec.decode(body, content_type)             # doctest: +SKIP
    >>> content_type, body = mm7codec.encode(message.reply())     # doctest: +SKIP
"""

from ._answer import HttpAnswer, http_answer
from ._catalog import FieldInfo, fields, message_types
from ._conversion import Conversion, Loss
from ._decoder import Decoder, Expected, decode
from ._deviations import Deviation
from ._encoder import EncodedMessage, encode, encode_stream
from ._enums import (
    AddressCoding,
    ChargedParty,
    ContentClass,
    MessageClass,
    MMStatus,
    MMStatusExtension,
    Priority,
    ReadStatus,
    UnknownValue,
)
from ._errors import (
    AddressError,
    DecodeError,
    DeviationError,
    EncodeError,
    LimitExceeded,
    MM7Error,
    UsageError,
)
from ._extras import Extra
from ._http import HttpCapture, decode_http, looks_like_http, split_http
from ._json_schema import json_schema
from ._limits import DEFAULT_LIMITS, Limits
from ._messages import (
    MESSAGE_TYPES,
    CancelReq,
    CancelRsp,
    DeliverReq,
    DeliverRsp,
    DeliverRspFields,
    DeliveryReportReq,
    DeliveryReportRsp,
    ExtendedReplaceRspFields,
    Fault,
    Message,
    NoResponseFields,
    ReadReplyReq,
    ReadReplyRsp,
    ReplaceReq,
    ReplaceRsp,
    Request,
    Response,
    ResponseFields,
    RSErrorRsp,
    SubmitReq,
    SubmitRsp,
    SubmitRspFields,
    VASPErrorRsp,
    extendedCancelReq,
    extendedCancelRsp,
    extendedReplaceReq,
    extendedReplaceRsp,
    new_transaction_id,
)
from ._parts import BodySource, Headers, Part
from ._receiving import AsyncHandler, Auth, Handler, HandlerResult, Side
from ._slideshow import Slide
from ._status import Status, StatusClass, StatusCode
from ._values import (
    Address,
    Duration,
    Number,
    Recipients,
    RelativeDate,
    ReplyCharging,
    RFC2822Address,
    ShortCode,
    UACapabilities,
    normalize_number,
)
from ._versions import LATEST_VERSION, SUPPORTED_VERSIONS, MM7Version

__version__ = "0.1.0"

__all__ = [
    "AsyncHandler",
    "Auth",
    "Handler",
    "HandlerResult",
    "Side",
    "Expected",
    "SubmitRspFields",
    "DeliverRspFields",
    "ExtendedReplaceRspFields",
    "NoResponseFields",
    "ResponseFields",
    "BodySource",
    "DEFAULT_LIMITS",
    "LATEST_VERSION",
    "MESSAGE_TYPES",
    "SUPPORTED_VERSIONS",
    "Address",
    "AddressCoding",
    "AddressError",
    "CancelReq",
    "CancelRsp",
    "ChargedParty",
    "ContentClass",
    "Conversion",
    "DecodeError",
    "Decoder",
    "DeliverReq",
    "DeliverRsp",
    "DeliveryReportReq",
    "DeliveryReportRsp",
    "Deviation",
    "DeviationError",
    "Duration",
    "EncodeError",
    "EncodedMessage",
    "Extra",
    "Fault",
    "FieldInfo",
    "Headers",
    "HttpAnswer",
    "HttpCapture",
    "LimitExceeded",
    "Limits",
    "Loss",
    "MM7Error",
    "MM7Version",
    "MMStatus",
    "MMStatusExtension",
    "Message",
    "MessageClass",
    "Number",
    "Part",
    "Priority",
    "RFC2822Address",
    "RSErrorRsp",
    "ReadReplyReq",
    "ReadReplyRsp",
    "ReadStatus",
    "Recipients",
    "RelativeDate",
    "ReplaceReq",
    "ReplaceRsp",
    "ReplyCharging",
    "Request",
    "Response",
    "ShortCode",
    "Status",
    "StatusClass",
    "StatusCode",
    "Slide",
    "SubmitReq",
    "SubmitRsp",
    "UACapabilities",
    "UnknownValue",
    "UsageError",
    "VASPErrorRsp",
    "decode",
    "decode_http",
    "encode",
    "encode_stream",
    "extendedCancelReq",
    "extendedCancelRsp",
    "extendedReplaceReq",
    "extendedReplaceRsp",
    "fields",
    "http_answer",
    "json_schema",
    "looks_like_http",
    "message_types",
    "new_transaction_id",
    "normalize_number",
    "split_http",
]
