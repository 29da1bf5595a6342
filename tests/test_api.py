"""The public surface: names, reply(), fault(), versions, numbers and errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

import mm7codec
from mm7codec import (
    Address,
    DeliverReq,
    DeliveryReportReq,
    Recipients,
    Status,
    StatusClass,
    StatusCode,
    SubmitReq,
)


def test_public_names_are_exported() -> None:
    for name in mm7codec.__all__:
        assert hasattr(mm7codec, name), name
    fixed = {
        "encode",
        "decode",
        "Decoder",
        "MM7Error",
        "DecodeError",
        "SUPPORTED_VERSIONS",
        "normalize_number",
        "Part",
    }
    assert fixed <= set(mm7codec.__all__)


def test_importing_the_package_does_not_import_hypothesis() -> None:
    code = "import sys, mm7codec; print('hypothesis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_supported_versions_oldest_first_and_numeric() -> None:
    versions = mm7codec.SUPPORTED_VERSIONS
    assert str(versions[0]) == "5.3.0"
    assert str(versions[-1]) == "6.8.0"
    assert list(versions) == sorted(versions)
    assert mm7codec.MM7Version.parse("5.10.0") > mm7codec.MM7Version.parse("5.9.0")
    assert "5.10.0" in [str(v) for v in versions]
    tails = {v.namespace.rsplit("/", 1)[-1] for v in versions if v.namespace}
    assert tails == {f"REL-5-MM7-1-{i}" for i in range(6)} | {f"REL-6-MM7-1-{i}" for i in range(5)}
    assert mm7codec.MM7Version.parse("6.8.0").namespace.endswith("REL-6-MM7-1-4")  # type: ignore[union-attr]
    assert not mm7codec.MM7Version.parse("5.2.0").supported
    with pytest.raises(ValueError):
        mm7codec.MM7Version.parse("6.8")


def _deliver() -> DeliverReq:
    return DeliverReq(
        transaction_id="tx-42",
        version="6.5.0",
        sender=Address("15553199144"),
        recipients=Recipients(to=[Address("12345", "ShortCode")]),
        subject="hi",
    )


def test_reply_is_one_call_and_echoes_the_request() -> None:
    request = _deliver()
    response = request.reply()
    assert type(response).__name__ == "DeliverRsp"
    assert (response.transaction_id, response.version, response.namespace) == (
        "tx-42",
        "6.5.0",
        request.namespace,
    )
    assert response.status == Status(1000, "Success")
    content_type, body = mm7codec.encode(response)
    assert content_type.startswith("text/xml")
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded == response


def test_reply_to_a_peer_namespace_echoes_it() -> None:
    odd = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-6-7"
    report = DeliveryReportReq(
        transaction_id="dr-1",
        version="6.7.0",
        namespace=odd,
        message_id="m",
        recipient=Address("15553199144"),
        sender=Address("12345", "ShortCode"),
        date=datetime(2026, 1, 1, tzinfo=UTC),
        mm_status="Retrieved",
    )
    _, body = mm7codec.encode(report.reply())
    assert odd.encode() in body
    assert b"<mm7:TransactionID" in body and b">dr-1<" in body


def test_reply_with_error_status_and_fields() -> None:
    submit = SubmitReq(recipients=Recipients(to=["15553199144"]), vasp_id="key")
    response = submit.reply(message_id="abc")
    assert response.message_id == "abc"  # type: ignore[attr-defined]
    refused = submit.reply(StatusCode.ADDRESS_ERROR)
    assert refused.status.code == 2002
    assert refused.status.text == "Address Error"
    assert refused.status.status_class is StatusClass.CLIENT_ERROR


def test_fault_wraps_the_right_error_response() -> None:
    fault = _deliver().fault(4004, details="bad sender")
    assert fault.http_status == 500
    assert type(fault.detail).__name__ == "VASPErrorRsp"  # the VASP refuses an MMSC request
    assert fault.faultcode == "Client"
    submit_fault = SubmitReq(recipients=Recipients(to=["15553199144"])).fault(3000)
    assert type(submit_fault.detail).__name__ == "RSErrorRsp"
    assert submit_fault.faultcode == "Server"
    content_type, body = mm7codec.encode(fault)
    assert mm7codec.decode(body, content_type, strict=True) == fault


def test_unknown_status_codes_keep_their_number_and_class() -> None:
    status = Status(2531)
    assert status.code == 2531
    assert status.status_class is StatusClass.CLIENT_ERROR
    assert Status.of(2531).text == "Client error"
    assert Status(1000).code is StatusCode.SUCCESS
    assert Status(9000).status_class is StatusClass.UNKNOWN


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 (555) 319-9144", "15553199144"),
        ("0015553199144", "15553199144"),
        ("15553199144", "15553199144"),
        ("+385 91 000 1001/TYPE=PLMN", "385910001001"),
        (" +44.20.7946.0018 ", "442079460018"),
    ],
)
def test_normalize_number(raw: str, expected: str) -> None:
    assert mm7codec.normalize_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "+1 555 CALL NOW", "1234567890123456", "12345", "١٢٣٤٥٦٧٨"]
)
def test_normalize_number_refuses(raw: str) -> None:
    with pytest.raises(mm7codec.AddressError) as raised:
        mm7codec.normalize_number(raw)
    assert raised.value.status_code == 2002
    assert repr(raw) in str(raised.value)


def test_errors_say_what_where_and_which_status() -> None:
    with pytest.raises(mm7codec.DecodeError) as raised:
        mm7codec.decode(b"<a>", "text/xml")
    error = raised.value
    assert isinstance(error, mm7codec.MM7Error) and isinstance(error, ValueError)
    assert error.status_code == 2007
    assert error.offset is not None
    assert "malformed XML" in str(error)


def test_encode_refuses_a_field_the_version_lacks() -> None:
    message = SubmitReq(version="5.3.0", recipients=Recipients(to=["15553199144"]), applic_id="x")
    with pytest.raises(mm7codec.EncodeError) as raised:
        mm7codec.encode(message)
    assert "applic_id" in str(raised.value)
    assert raised.value.where == "/Envelope/Body/SubmitReq/ApplicID"


def test_encode_refuses_release6_operation_in_release5() -> None:
    message = mm7codec.extendedCancelReq(version="5.3.0", cancel_id="c")
    with pytest.raises(mm7codec.EncodeError, match="Release 6"):
        mm7codec.encode(message)


@pytest.mark.parametrize(
    "message",
    [
        SubmitReq(recipients=Recipients()),  # no recipient
        SubmitReq(recipients=Recipients(to=["15550001555"]), subject="bell\x07"),  # not XML
        SubmitReq(recipients=Recipients(to=["15550001555"]), priority="Urgent"),  # not in enum
        SubmitReq(recipients=Recipients(to=["15550001555"]), version="9.9.9"),  # unknown version
        SubmitReq(recipients=Recipients(to=["15550001555"]), transaction_id=" padded "),
        SubmitReq(recipients=Recipients(to=["15550001555"]), allow_adaptations=True),  # no content
        SubmitReq(
            recipients=Recipients(to=["15550001555"]),
            time_stamp=datetime(2026, 1, 1),  # naive: no absolute time
        ),
    ],
)
def test_encode_refuses_invalid_messages(message: mm7codec.Message) -> None:
    with pytest.raises(mm7codec.EncodeError):
        mm7codec.encode(message)


def test_usage_errors() -> None:
    decoder = mm7codec.Decoder("text/xml")
    decoder.feed(b"<x/>")
    with pytest.raises(mm7codec.DecodeError):
        decoder.close()
    with pytest.raises(mm7codec.UsageError):
        decoder.feed(b"more")
    with pytest.raises(mm7codec.DecodeError, match="neither text/xml nor multipart"):
        mm7codec.Decoder("image/png")


def test_escaping_survives_markup_quotes_and_astral_characters() -> None:
    subject = "Tom & Jerry <\"quoted\"> 'single' \r\n\t 😀 \U0001f600"
    message = SubmitReq(recipients=Recipients(to=["15553199144"]), subject=subject)
    content_type, body = mm7codec.encode(message)
    assert mm7codec.decode(body, content_type, strict=True).subject == subject  # type: ignore[attr-defined]


def test_a_decoded_malformed_media_type_cannot_be_re_encoded() -> None:
    from .conftest import VECTORS

    wire = (VECTORS / "mime" / "fuzz-non-ascii-media-type.wire").read_bytes()
    message = mm7codec.decode_http(wire)
    with pytest.raises(mm7codec.EncodeError, match="not type/subtype"):
        mm7codec.encode(message)


def test_small_conveniences() -> None:
    assert mm7codec.Duration.parse("P1DT2H").to_timedelta().total_seconds() == 93600
    assert mm7codec.Duration.parse("-PT30M").to_timedelta().total_seconds() == -1800
    with pytest.raises(ValueError, match="no fixed length"):
        mm7codec.Duration.parse("P1M").to_timedelta()
    with pytest.raises(ValueError):
        mm7codec.Duration.parse("P")
    headers = mm7codec.Headers([("Content-ID", "<a>"), ("X-A", "1"), ("content-id", "<b>")])
    assert headers["CONTENT-ID"] == "<a>"
    assert headers.get_all("Content-Id") == ["<a>", "<b>"]
    assert headers.items_in_order()[2] == ("content-id", "<b>")
    assert "x-a" in headers and len(headers) == 3
    assert _deliver().mm7_version == mm7codec.MM7Version(6, 5, 0)
    assert mm7codec.Status(1100).is_success and not mm7codec.Status(4000).is_success
    assert not mm7codec.Recipients() and list(
        mm7codec.Recipients(to=["15550000001"], bcc=["15550000002"])
    ) == [
        mm7codec.Address("15550000001"),
        mm7codec.Address("15550000002"),
    ]
