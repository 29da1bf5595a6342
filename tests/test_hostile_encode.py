"""The encoder facing hostile or careless values: a peer reads exactly the message that was
built, or ``encode`` refuses it with ``EncodeError``. One test (or more) per finding."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import mm7codec
from mm7codec import (
    Address,
    Duration,
    EncodeError,
    Fault,
    Part,
    Recipients,
    Status,
    SubmitReq,
    VASPErrorRsp,
)

LOOK_ALIKE = "=?utf-8?q?=2E=2E/evil?="
TO = Recipients(to=["15553199144"])


def submit(content: Part | None = None, **fields: object) -> SubmitReq:
    values: dict[str, object] = {"transaction_id": "t-1", **fields}
    return SubmitReq(recipients=TO, content=content, **values)  # type: ignore[arg-type]


def leaf(**attributes: object) -> Part:
    return Part.from_bytes(b"hello", "text/plain", content_id="a@x", **attributes)  # type: ignore[arg-type]


def round_trip(message: mm7codec.Message) -> mm7codec.Message:
    content_type, body = mm7codec.encode(message)
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded == message
    return decoded


def sent_content(message: SubmitReq) -> Part:
    decoded = round_trip(message)
    assert isinstance(decoded, SubmitReq) and decoded.content is not None
    return decoded.content


# -- 14: RFC 2047 look-alikes ------------------------------------------------------------------


def test_an_encoded_word_look_alike_parameter_arrives_as_sent() -> None:
    part = leaf(params={"name": LOOK_ALIKE, "charset": "us-ascii"})
    assert dict(sent_content(submit(part)).params) == {"name": LOOK_ALIKE, "charset": "us-ascii"}


def test_an_encoded_word_look_alike_content_location_arrives_as_sent() -> None:
    part = leaf(content_location=LOOK_ALIKE)
    assert sent_content(submit(part)).content_location == LOOK_ALIKE


# -- 15: parameter names that override others --------------------------------------------------


@pytest.mark.parametrize(
    "params", [{"BOUNDARY": "evil"}, {"CHARSET": "x"}, {"name*": "x"}, {"name*0": "x"}]
)
def test_parameter_names_readers_fold_or_split_are_refused(params: dict[str, str]) -> None:
    multipart = Part.multipart([leaf()], "mixed", content_id="m@x", params=params)
    with pytest.raises(EncodeError, match="parameter name"):
        mm7codec.encode(submit(multipart))
    with pytest.raises(EncodeError, match="parameter name"):
        mm7codec.encode(submit(leaf(params={"charset": "utf-8", **params})))


def test_a_boundary_parameter_on_a_leaf_is_refused() -> None:
    with pytest.raises(EncodeError, match="boundary"):
        mm7codec.encode(submit(leaf(params={"boundary": "x"})))


def test_the_encoder_keeps_its_own_boundary_on_a_multipart() -> None:
    multipart = Part.multipart([leaf()], "mixed", content_id="m@x", params={"boundary": "b"})
    content_type, body = mm7codec.encode(submit(multipart))
    assert b"\r\n--b\r\n" not in body
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded.content == replace(multipart, params={})  # type: ignore[attr-defined]


# -- 16: Content-Length and the bytes chunks() yields ----------------------------------------


def _drain(chunks: Iterator[bytes]) -> tuple[int, EncodeError | None]:
    sent = 0
    try:
        for chunk in chunks:
            sent += len(chunk)
    except EncodeError as error:
        return sent, error
    return sent, None


@pytest.mark.parametrize("transfer", ["base64", "binary"])
def test_a_stream_longer_than_its_size_stops_before_the_surplus(transfer: str) -> None:
    stream = io.BytesIO(b"x" * 100_000)
    part = replace(
        Part.from_file(stream, "application/octet-stream", size=10, content_id="a@x"),
        transfer_encoding=transfer,
    )
    encoded = mm7codec.encode_stream(submit(part))
    assert encoded.content_length is not None
    sent, error = _drain(encoded.chunks())
    assert error is not None and "longer" in str(error)
    assert sent < encoded.content_length


@pytest.mark.parametrize("transfer", ["base64", "binary"])
def test_a_stream_shorter_than_its_size_is_an_error(transfer: str) -> None:
    part = replace(
        Part.from_file(io.BytesIO(b"x" * 100), "application/octet-stream", size=1000),
        content_id="a@x",
        transfer_encoding=transfer,
    )
    encoded = mm7codec.encode_stream(submit(part))
    assert encoded.content_length is not None
    sent, error = _drain(encoded.chunks())
    assert error is not None and "shorter" in str(error)
    assert sent < encoded.content_length


def test_a_file_that_grows_after_planning_stops_the_body(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff" * 5000)
    encoded = mm7codec.encode_stream(submit(Part.from_path(path, content_id="a@x")))
    assert encoded.content_length is not None
    path.write_bytes(b"\xff" * 500_000)
    sent, error = _drain(encoded.chunks())
    assert error is not None and "longer" in str(error)
    assert sent <= encoded.content_length


def test_a_file_that_shrinks_after_planning_stops_the_body(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff" * 5000)
    encoded = mm7codec.encode_stream(submit(Part.from_path(path, content_id="a@x")))
    path.write_bytes(b"\xff" * 50)
    sent, error = _drain(encoded.chunks())
    assert error is not None and "shorter" in str(error)
    assert encoded.content_length is not None and sent < encoded.content_length


def test_a_right_size_streams_exactly_content_length(tmp_path: Path) -> None:
    data = bytes(range(256)) * 1000
    part = Part.from_file(io.BytesIO(data), "application/octet-stream", size=len(data))
    encoded = mm7codec.encode_stream(submit(replace(part, content_id="a@x")))
    body = b"".join(encoded.chunks())
    assert len(body) == encoded.content_length
    assert mm7codec.decode(body, encoded.content_type, strict=True).content.body == data  # type: ignore[attr-defined]


# -- 18: the Fault's namespace, lone surrogates, huge status codes ---------------------------


@pytest.mark.parametrize("namespace", ["urn:x\x00", "urn:x\uffff", "urn:x\ud800", "urn:a b"])
def test_a_faults_namespace_is_checked(namespace: str) -> None:
    fault = Fault(transaction_id="t-1", namespace=namespace, faultstring="no")
    with pytest.raises(EncodeError, match="TransactionID"):
        mm7codec.encode(fault)


def test_lone_surrogates_are_encode_errors_everywhere() -> None:
    cases = [
        submit(leaf(), transaction_id="t\ud800"),
        submit(leaf(params={"name": "a\udc80"})),
        submit(leaf(content_location="a\ud800")),
        submit(leaf(), subject="\udfff"),
        submit(Part.from_bytes(b"x", "text/plain", content_id="a\ud800")),
    ]
    for message in cases:
        with pytest.raises(EncodeError):
            mm7codec.encode(message)


def test_a_status_code_of_five_thousand_digits_is_an_encode_error() -> None:
    response = VASPErrorRsp(transaction_id="t-1", status=Status(10**5000))
    with pytest.raises(EncodeError, match="18 digits"):
        mm7codec.encode(response)


# -- 19: what the decoder would refuse ---------------------------------------------------------


def test_integers_of_nineteen_digits_are_refused_and_eighteen_pass() -> None:
    with pytest.raises(EncodeError, match="18 digits"):
        mm7codec.encode(VASPErrorRsp(transaction_id="t-1", status=Status(10**18)))
    round_trip(VASPErrorRsp(transaction_id="t-1", status=Status.of(10**18 - 1)))


@pytest.mark.parametrize(
    "duration",
    [
        Duration(years=-1),
        Duration(seconds=Decimal("NaN")),
        Duration(seconds=Decimal("Infinity")),
        Duration(seconds=Decimal("-1")),
        Duration(seconds=0.1),  # type: ignore[arg-type]
        Duration(days=10**19),
        Duration(seconds=Decimal("1E-40")),
    ],
)
def test_durations_without_a_faithful_xs_duration_are_refused(duration: Duration) -> None:
    with pytest.raises(EncodeError, match="Duration"):
        mm7codec.encode(submit(expiry_date=duration))


def test_valid_durations_round_trip() -> None:
    for duration in (Duration(days=10**18 - 1), Duration(seconds=Decimal("0.5"), negative=True)):
        round_trip(submit(expiry_date=duration))


def test_header_lines_over_the_decoders_limit_are_refused() -> None:
    limit = mm7codec.DEFAULT_LIMITS.max_header_line
    with pytest.raises(EncodeError, match="max_header_line"):
        mm7codec.encode(submit(leaf(content_location="a" * limit)))
    with pytest.raises(EncodeError, match="max_header_line"):
        mm7codec.encode(submit(leaf(params={"name": "a" * limit})))
    with pytest.raises(EncodeError, match="max_header_line"):
        mm7codec.encode(submit(leaf(content_location="é" * (limit // 3))))  # as encoded words
    # Just under the limit, each arrives whole.
    long_location = "a" * (limit - len("Content-Location: "))
    assert sent_content(submit(leaf(content_location=long_location))).content_location == (
        long_location
    )


def test_text_longer_than_the_decoders_element_limit_is_refused() -> None:
    limit = mm7codec.DEFAULT_LIMITS.max_xml_text
    with pytest.raises(EncodeError, match="max_xml_text"):
        mm7codec.encode(submit(subject="s" * (limit + 1)))
    round_trip(submit(subject="s" * limit))


def test_an_envelope_larger_than_the_decoder_reads_is_refused() -> None:
    limit = mm7codec.DEFAULT_LIMITS.max_envelope_size
    text = mm7codec.DEFAULT_LIMITS.max_xml_text
    many = Recipients(to=[Address("a" * text, "RFC2822Address")] * (limit // text + 1))
    with pytest.raises(EncodeError, match="max_envelope_size"):
        mm7codec.encode(SubmitReq(transaction_id="t-1", recipients=many))


def test_multiparts_deeper_than_the_decoder_reads_are_refused() -> None:
    def nested(levels: int) -> Part:
        part = leaf()
        for _ in range(levels):
            part = Part.multipart([part], content_id="m@x")
        return part

    depth = mm7codec.DEFAULT_LIMITS.max_part_depth
    round_trip(submit(nested(depth - 1)))
    with pytest.raises(EncodeError, match="max_part_depth"):
        mm7codec.encode(submit(nested(depth)))


def test_more_parts_than_the_decoder_reads_are_refused() -> None:
    def leaves(count: int) -> Part:
        return Part.multipart(
            [Part.from_bytes(b"x", "text/plain", content_id=f"p{i}") for i in range(count)],
            content_id="m@x",
        )

    # The decoder counts every part, the multipart and the SOAP part included.
    most = mm7codec.DEFAULT_LIMITS.max_part_count - 2
    round_trip(submit(leaves(most)))
    with pytest.raises(EncodeError, match="max_part_count"):
        mm7codec.encode(submit(leaves(most + 1)))


def test_wrong_python_types_in_a_part_are_type_errors_naming_the_field() -> None:
    cases = {
        "content_id": {"content_id": 5},
        "content_location": {"content_location": b"a"},
        "params": {"params": {"name": 5}},
        "transfer_encoding": {"transfer_encoding": 7},
    }
    for field, changes in cases.items():
        with pytest.raises(TypeError, match=field):
            mm7codec.encode(submit(replace(leaf(), **changes)))


# -- 20: values that changed on the way --------------------------------------------------------


@pytest.mark.parametrize("location", ["a\r\nX-Evil: 1", "a\nb", "a\tb", "a\x00", "a\x85"])
def test_control_characters_in_a_content_location_are_refused(location: str) -> None:
    with pytest.raises(EncodeError, match="Content-Location"):
        mm7codec.encode(submit(leaf(content_location=location)))


@pytest.mark.parametrize(
    "location", ["a\u2028b", "a\u2029", " padded ", "  ", "café/é.jpg", "x" + "\U0001f600" * 40]
)
def test_content_locations_arrive_exactly(location: str) -> None:
    assert sent_content(submit(leaf(content_location=location))).content_location == location


@pytest.mark.parametrize("value", [" padded ", "a\tb", 'q"\\', "%41", "", "=?x?q?y?="])
def test_parameter_values_arrive_exactly(value: str) -> None:
    assert sent_content(submit(leaf(params={"name": value}))).params["name"] == value


@pytest.mark.parametrize("value", ["a\r\nb", "\x00", "a\x7f", "\x1b[31m"])
def test_control_characters_in_a_parameter_value_are_refused(value: str) -> None:
    # A reader would have to decode them into a header value, and reports them when it does.
    with pytest.raises(EncodeError, match="control characters"):
        mm7codec.encode(submit(leaf(params={"name": value})))


@pytest.mark.parametrize("content_id", [" a@x", "a b", "", "a\x7f", "<a>", "é@x"])
def test_content_ids_a_reader_would_change_are_refused(content_id: str) -> None:
    with pytest.raises(EncodeError, match="Content-ID"):
        mm7codec.encode(submit(Part.from_bytes(b"x", "text/plain", content_id=content_id)))


@pytest.mark.parametrize("content_id", ["a%41b@x", "100%@x", "a#b@x", "{a}|[b]^`@x"])
def test_a_content_id_with_url_characters_still_names_its_part(content_id: str) -> None:
    part = Part.from_bytes(b"x", "text/plain", content_id=content_id)
    assert sent_content(submit(part)).content_id == content_id


def test_a_number_with_the_mm1_type_suffix_is_refused() -> None:
    message = SubmitReq(recipients=Recipients(to=[Address("15553199144/TYPE=PLMN")]))
    with pytest.raises(EncodeError, match="TYPE=PLMN"):
        mm7codec.encode(message)


def test_a_padded_faultactor_is_refused() -> None:
    with pytest.raises(EncodeError, match="faultactor"):
        mm7codec.encode(Fault(transaction_id="t-1", faultstring="x", faultactor=" me "))


def test_a_fault_is_written_in_its_details_namespace() -> None:
    detail = VASPErrorRsp(transaction_id="t-1", version="5.3.0", status=Status.of(2000))
    fault = Fault(transaction_id="t-1", detail=detail)  # namespace: the latest version's
    content_type, body = mm7codec.encode(fault)
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert isinstance(decoded, Fault) and decoded.detail == detail
    assert decoded.namespace == detail.namespace


@pytest.mark.parametrize("kind", ["", "number", "Email"])
def test_an_address_of_no_known_kind_is_refused_in_plain_text_too(kind: str) -> None:
    """REL-5-MM7-1-0 writes SenderAddress as plain text, whose kind a reader infers: an
    address of no known kind was written there and came back as a Number."""
    message = mm7codec.ReplaceReq(
        version="5.3.0",
        sender_address=mm7codec.Address("15553199144", kind),  # type: ignore[arg-type]
        message_id="m-1",
    )
    with pytest.raises(mm7codec.EncodeError, match="address kind"):
        mm7codec.encode(message)
