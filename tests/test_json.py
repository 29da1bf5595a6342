"""The one JSON form: ``to_dict``/``from_dict`` round-trip every message, the output is pure
JSON that the generated JSON Schema accepts, mistakes name their JSON path, and the command
line's ``decode --json`` and ``encode -`` round-trip through it."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import subprocess
import sys
import tempfile
import types
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import (
    Address,
    DecodeError,
    DeliverReq,
    Duration,
    Fault,
    Message,
    Part,
    Recipients,
    Request,
    RSErrorRsp,
    Status,
    SubmitReq,
    UACapabilities,
)
from mm7codec.__main__ import SAMPLES, main
from mm7codec._json import _kinds
from mm7codec.strategies import messages

from .conftest import VECTORS

ROOT = Path(__file__).parent.parent
R5_0 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0"
R6_3 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-3"
R6_4 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"


@cache
def _validator(version: str | None) -> jsonschema.protocols.Validator:
    schema = mm7codec.json_schema(version)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _through_json(data: dict[str, Any]) -> Any:
    """``data`` written and read as JSON text: only JSON types survive unchanged."""
    return json.loads(json.dumps(data, allow_nan=False))


@given(messages())
def test_every_message_round_trips_through_the_json_form(message: Message) -> None:
    data = message.to_dict()
    assert _through_json(data) == data  # pure JSON: no tuple, datetime, Decimal or bytes
    back = Message.from_dict(_through_json(data))
    assert type(back) is type(message)
    assert back == message
    assert back.to_dict() == data
    assert type(message).from_dict(data) == message


@settings(max_examples=20)
@given(messages())
def test_the_json_schema_accepts_every_message(message: Message) -> None:
    data = message.to_dict()
    _validator(None).validate(data)
    _validator(message.version).validate(data)  # and its own version's, the strictest


def test_the_form_covers_every_field_of_every_message() -> None:
    bookkeeping = {"transaction_id", "version", "namespace", "deviations", "peer_pairing"}
    for cls in [*mm7codec.MESSAGE_TYPES.values(), Fault]:
        names = {field.name for field in dataclasses.fields(cls)} - bookkeeping - {"extras"}
        assert names == set(_kinds(cls)), cls.__name__


def _expected_vectors() -> dict[str, Message]:
    r6_pairing = {"version": "6.8.0", "namespace": R6_4}
    return {
        "deliver-req": DeliverReq(
            transaction_id="mo-0001",
            **r6_pairing,
            mms_relay_server_id="mmsc.example.net",
            sender=Address("15553199144", display_only=False, id="from"),
            recipients=Recipients.of_groups(
                [
                    ("Cc", [Address("ops@example.com", "RFC2822Address")]),
                    ("To", [Address("12345", "ShortCode")]),
                ]
            ),
            previouslysentdateandtime=(
                datetime(2026, 11, 23, 9, tzinfo=UTC),
                Duration(minutes=30, negative=True),
            ),
            time_stamp=datetime(2026, 11, 23, 10, 15, 0, 250000, timezone(timedelta(hours=1))),
            subject="Grüße",
            ua_capabilities=UACapabilities("http://example.com/ua.xml", timedelta(hours=36)),
            content=Part.multipart(
                [
                    Part.from_bytes(b"<smil/>", "application/smil", content_id="s"),
                    Part.from_text("Grüße\r\n", content_location="note.txt"),
                    Part.from_bytes(b"\xff", "text/plain; charset=utf-8"),
                    dataclasses.replace(
                        Part.from_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00,", "image/gif"),
                        content_id="photo",
                        transfer_encoding="base64",
                    ),
                ],
                "related",
                content_id="mms",
                params={"type": "application/smil", "start": "<s>"},
            ),
            allow_adaptations=False,
        ),
        "fault": Fault(
            transaction_id="t-9",
            version="5.3.0",
            faultcode="Client",
            faultstring="Validation error",
            faultactor="mmsc",
            detail=RSErrorRsp(
                transaction_id="t-9",
                version="5.3.0",
                status=Status.of(4004, details="no Recipients"),
            ),
        ),
        "submit-req": SubmitReq(
            transaction_id="mt-42",
            version="5.6.0",
            vasp_id="vasp",
            sender_address=Address("12345", "ShortCode"),
            recipients=Recipients(to=["15553199144"], bcc=["15553199145"]),
            reply_charging=mm7codec.ReplyCharging(1000, Duration(days=2)),
            expiry_date=datetime(2026, 12, 1, tzinfo=UTC),
            delivery_report=True,
            priority="High",
            content=Part.from_bytes(b"Hello", "text/plain"),
        ),
    }


@pytest.mark.parametrize("name", sorted(_expected_vectors()))
def test_vectors_pin_the_documented_form(name: str) -> None:
    data = json.loads((VECTORS / "json" / f"{name}.json").read_text(encoding="utf-8"))
    expected = _expected_vectors()[name]
    assert Message.from_dict(data) == expected
    assert expected.to_dict() == data
    _validator(None).validate(data)
    _validator(expected.version).validate(data)


def test_subclasses_read_their_own_type_only() -> None:
    data = json.loads((VECTORS / "json" / "deliver-req.json").read_text(encoding="utf-8"))
    message: DeliverReq = DeliverReq.from_dict(data)  # typed as the subclass
    assert isinstance(message, DeliverReq)
    assert isinstance(Request.from_dict(data), DeliverReq)
    untyped = {key: value for key, value in data.items() if key != "type"}
    assert DeliverReq.from_dict(untyped) == message
    with pytest.raises(DecodeError, match="expected a SubmitReq, not a DeliverReq") as error:
        SubmitReq.from_dict(data)
    assert error.value.where == "type"
    with pytest.raises(DecodeError, match="needs its 'type'"):
        Message.from_dict(untyped)


def test_decoded_bookkeeping_comes_back() -> None:
    """Deviations and extras are written and read back, and so is a peer's odd pairing of
    version and namespace, without which the message would not re-encode."""
    sloppy = mm7codec.decode_http((SAMPLES / "sloppy-mmsc.http").read_bytes())
    assert sloppy.deviations
    data = sloppy.to_dict()
    assert [d["code"] for d in data["deviations"]] == [d.code for d in sloppy.deviations]
    assert Message.from_dict(data).deviations == sloppy.deviations

    odd = SubmitReq(
        version="6.8.0",
        namespace=R6_3,
        peer_pairing=("6.8.0", R6_3),
        recipients=Recipients(["15553199144"]),
        extras=(mm7codec.Extra("Tag", "urn:vendor", "t", after="Recipients"),),
    )
    data = odd.to_dict()
    assert data["peer_pairing"] == ["6.8.0", R6_3]
    back = Message.from_dict(_through_json(data))
    assert back.extras == odd.extras
    assert mm7codec.encode(back, keep_extras=True) == mm7codec.encode(odd, keep_extras=True)
    with pytest.raises(mm7codec.EncodeError):  # the pairing is what lets it encode
        mm7codec.encode(dataclasses.replace(back, peer_pairing=None))
    assert "peer_pairing" not in SubmitReq(recipients=Recipients(["15553199144"])).to_dict()


@pytest.mark.parametrize(
    ("part", "form"),
    [
        (Part.from_text("héllo"), {"text": "héllo"}),
        (Part.from_bytes(b"plain", "text/plain"), {"text": "plain"}),  # us-ascii by default
        (Part.from_bytes(b"caf\xe9", "text/plain; charset=iso-8859-1"), {"text": "café"}),
        (Part.from_bytes(b"caf\xe9", "text/plain"), {"base64": "Y2Fm6Q=="}),  # not ASCII
        (Part.from_bytes(b"\xff", "text/plain; charset=x-unknown"), {"base64": "/w=="}),
        (Part.from_bytes(b"GIF", "image/gif"), {"base64": "R0lG"}),
    ],
)
def test_bodies_are_text_when_their_charset_reads_them_back(
    part: Part, form: dict[str, str]
) -> None:
    written = SubmitReq(recipients=Recipients(["15553199144"]), content=part).to_dict()
    assert {k: v for k, v in written["content"].items() if k in ("text", "base64")} == form
    assert SubmitReq.from_dict(written).content == part


def _content(**content: Any) -> dict[str, Any]:
    return {"type": "SubmitReq", "recipients": ["15553199144"], "content": content}


def test_building_conveniences() -> None:
    """What a person writing the form by hand may leave out or shorten."""
    built = SubmitReq.from_dict(
        {
            "recipients": ["+1 555 319 9144"],
            "earliest_delivery_time": "PT1H",
            "content": {"text": "Grüße"},
        }
    )
    assert built.recipients == Recipients(["15553199144"])
    assert built.earliest_delivery_time == Duration(hours=1)
    assert built.content is not None and built.content.params == {"charset": "utf-8"}
    assert built.content.content_type == "text/plain" and built.content.text == "Grüße"
    response = mm7codec.SubmitRsp.from_dict({"status": 2002, "message_id": "m"})
    assert response.status == Status.of(2002)
    assert mm7codec.SubmitRsp.from_dict({"status": {"code": 2002, "text": None}}).status == Status(
        2002
    )
    code_only = mm7codec.extendedCancelRsp.from_dict({"status": {"code": 1000}})
    assert code_only.status == Status(1000)


def test_file_bodies_are_read_only_from_a_folder_given(tmp_path: Path) -> None:
    (tmp_path / "photo.gif").write_bytes(b"GIF89a")
    data = _content(path="photo.gif")
    with pytest.raises(DecodeError, match="only when from_dict is given base_dir") as error:
        Message.from_dict(data)
    assert error.value.where == "content.path"
    part = SubmitReq.from_dict(data, base_dir=tmp_path).content
    assert part is not None and part.body == b"GIF89a"
    assert (part.content_type, part.content_location) == ("image/gif", "photo.gif")
    with pytest.raises(DecodeError, match="no file") as error:
        Message.from_dict(_content(path="absent.gif"), base_dir=tmp_path)
    assert error.value.where == "content.path"


def test_file_bodies_are_read_only_from_inside_the_folder_given(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    (tmp_path / "secret.txt").write_bytes(b"not yours")
    (folder / "out").symlink_to(tmp_path / "secret.txt")
    for name in ("../secret.txt", str(tmp_path / "secret.txt"), "out"):
        with pytest.raises(DecodeError, match="outside base_dir") as error:
            Message.from_dict(_content(path=name), base_dir=folder)
        assert error.value.where == "content.path"


@pytest.mark.parametrize(
    "wire", ["mmstatus-outside-enumeration", "addresscoding-outside-enumeration"]
)
def test_values_outside_an_enumeration_keep_their_type_and_pass_the_schema(wire: str) -> None:
    """A lenient decode keeps such a value as an UnknownValue: its JSON is in the form, and
    reads back as an UnknownValue again (equality alone would not tell it from a str)."""
    vector = VECTORS / "soap" / wire
    message = mm7codec.decode((vector.with_suffix(".wire")).read_bytes(), "text/xml")
    data = message.to_dict()
    _validator(None).validate(data)
    _validator(message.version).validate(data)

    def unknown(m: Message) -> list[object]:
        values = [getattr(m, f.name) for f in dataclasses.fields(m)]
        values += [value.address_coding for value in values if isinstance(value, Address)]
        return [value for value in values if isinstance(value, mm7codec.UnknownValue)]

    found = unknown(message)
    assert found
    assert unknown(Message.from_dict(_through_json(data))) == found


@pytest.mark.parametrize(
    ("field", "text"),
    [("expiry_date", "2026-12-01T00:00:00"), ("expiry_date", "P"), ("expiry_date", "PT")],
)
def test_the_schema_refuses_dates_from_dict_refuses(field: str, text: str) -> None:
    data = {"type": "SubmitReq", "recipients": [], field: text}
    with pytest.raises(jsonschema.ValidationError):
        _validator(None).validate(data)
    with pytest.raises(DecodeError):
        Message.from_dict(data)


def test_a_version_s_schema_has_only_its_address_attributes() -> None:
    address = {"number": "15551234567", "address_coding": "obfuscated"}
    data = {"type": "SubmitReq", "recipients": [address]}
    _validator("6.8.0").validate(data)
    with pytest.raises(jsonschema.ValidationError):
        _validator("5.3.0").validate(data)
    _validator("5.3.0").validate({**data, "recipients": [{"number": "15551234567"}]})


def _read_only(value: object) -> object:
    """The JSON form with every object a read-only mapping rather than a dict."""
    if isinstance(value, dict):
        return types.MappingProxyType({key: _read_only(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_read_only(item) for item in value]
    return value


@given(messages())
def test_any_mapping_is_read(message: Message) -> None:
    """Every object of the form (addresses, recipients, parts, their parameters, the status)
    may be any Mapping, not only a dict."""
    assert Message.from_dict(_read_only(message.to_dict())) == message  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (
            _content(parts=[{"text": "a"}, {"text": "b", "content_type": "nope"}]),
            "content.parts[1].content_type",
            "is not a type/subtype",
        ),
        (_content(parts=[{"base64": "!"}]), "content.parts[0].base64", ""),
        (_content(text="é", params={"charset": "ascii"}), "content.text", "cannot be written"),
        (_content(text="x", params={"charset": "nope"}), "content.params.charset", "nope"),
        (_content(text="x", content_type="multipart/mixed"), "content.content_type", "parts"),
        (_content(parts=[], text="x"), "content", "exactly one of"),
        (
            _content(parts=[], content_type="multipart/related; type=x"),
            "content.content_type",
            "go in 'params'",
        ),
        (
            _content(text="café", content_type="text/plain; charset=iso-8859-1"),
            "content.content_type",
            "go in 'params'",
        ),
        (_content(parts={}), "content.parts", "expected a list"),
        (_content(params={"a": 1}, text="x"), "content.params.a", "expected a string"),
        (
            {"type": "DeliverReq", "sender": {"number": "1", "short_code": "2"}},
            "sender",
            "exactly one of",
        ),
        ({"type": "DeliverReq", "sender": {"number": 1}}, "sender.number", "expected a string"),
        (
            {"type": "SubmitReq", "recipients": {"groups": [{"to": [], "cc": []}]}},
            "recipients.groups[0]",
            "exactly one of",
        ),
        (
            {"type": "SubmitReq", "recipients": {"groups": [{"to": []}]}},
            "recipients",
            "at least one address",
        ),
        (
            {"type": "SubmitReq", "recipients": [], "delivery_report": "yes"},
            "delivery_report",
            "true or false",
        ),
        (
            {"type": "SubmitReq", "recipients": [], "expiry_date": "P1X"},
            "expiry_date",
            "xs:duration",
        ),
        (
            {"type": "SubmitReq", "recipients": [], "expiry_date": "2026-12-01T00:00:00"},
            "expiry_date",
            "needs its time zone offset",
        ),
        ({"type": "DeliveryReportReq", "date": "P1D"}, "date", "not a duration"),
        (_content(parts=[], content_type="multipart/"), "content.content_type", "type/subtype"),
        ({"type": "SubmitRsp", "status": {"text": "x"}}, "status", "needs its code"),
        ({"type": "SubmitRsp", "status": True}, "status", "expected an integer"),
        ({"type": "Fault", "detail": {"type": "SubmitReq"}}, "detail.type", "Response"),
        (
            {"type": "Fault", "detail": {"type": "SubmitRsp", "status": "x"}},
            "detail.status",
            "integer",
        ),
        (
            {"type": "SubmitReq", "recipients": [], "deviations": [{"code": "x"}]},
            "deviations[0].detail",
            "needs detail",
        ),
        (
            {"type": "SubmitReq", "recipients": [], "peer_pairing": ["6.8.0"]},
            "peer_pairing",
            "[version, namespace]",
        ),
        ({"type": "Nope"}, "type", "unknown message type 'Nope'"),
        ({"type": "SubmitReq", "fields": {}}, "fields", "old description shape"),
        ([], "(the top level)", "JSON object"),
    ],
)
def test_mistakes_name_their_json_path(data: Any, where: str, says: str) -> None:
    with pytest.raises(DecodeError) as error:
        Message.from_dict(data)
    assert error.value.where == where
    assert says in error.value.reason


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place below the top of ``data``: each key and index, at every depth."""
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    found = []
    for key, value in items:
        found.append((*prefix, key))
        found.extend(_paths(value, (*prefix, key)))
    return found


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """``data`` with the item at ``path`` replaced by ``value`` (``data`` left as it is)."""
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


@settings(max_examples=100)
@given(messages(), _JSON, st.data())
def test_any_damage_is_a_decode_error_or_a_message(
    message: Message, value: Any, data: st.DataObject
) -> None:
    """Any value put anywhere in the form (addresses, statuses, parts deep in the content
    tree...) gives a message or a DecodeError that names where, never another exception."""
    original = message.to_dict()
    places = [path for path in _paths(original) if path != ("type",)]
    path = data.draw(st.sampled_from(places), label="path")
    try:
        result = Message.from_dict(_replaced(original, path, value))
    except DecodeError as error:
        assert error.where
    else:
        assert isinstance(result, Message)


# -- the command line ---------------------------------------------------------------------------


def _run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """``main(argv)`` with ``stdin`` as standard input; (exit code, stdout, stderr)."""

    class _Stdin:
        buffer = io.BytesIO(stdin)

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = _Stdin()  # type: ignore[assignment]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=25)
@given(messages())
def test_decode_json_then_encode_gives_the_message_back(message: Message) -> None:
    content_type, body = mm7codec.encode(message)
    with tempfile.TemporaryDirectory() as folder:
        wire, again = Path(folder) / "wire.mime", Path(folder) / "again.http"
        wire.write_bytes(body)
        code, printed, _ = _run(["decode", str(wire), "--content-type", content_type, "--json"])
        assert code == 0
        code, _, err = _run(["encode", "-", "-o", str(again)], printed.encode("utf-8"))
        assert code == 0, err
        decoded = mm7codec.decode(body, content_type)
        assert mm7codec.decode_http(again.read_bytes()) == decoded == message


def test_encode_reports_a_bad_message_in_one_line_naming_the_json_path() -> None:
    bad = json.dumps(_content(parts=[{"text": "a"}, {"text": "b", "content_type": "nope"}]))
    code, _, err = _run(["encode", "-"], bad.encode())
    assert code == 2 and err.startswith("error: ") and len(err.splitlines()) == 1
    assert err.rstrip().endswith("(at content.parts[1].content_type)")
    code, _, err = _run(["encode", "-", "--json"], bad.encode())
    report = json.loads(err)
    assert code == 2 and report["status"] is None
    assert report["reason"].endswith("(at content.parts[1].content_type)")


def test_the_round_trip_as_a_pipe() -> None:
    run = [sys.executable, "-m", "mm7codec"]
    printed = subprocess.run(
        [*run, "decode", "--sample", "mo-photo", "--json"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    capture = subprocess.run(
        [*run, "encode", "-"], cwd=ROOT, input=printed, capture_output=True, check=True
    ).stdout
    expected = mm7codec.decode_http((SAMPLES / "mo-photo.http").read_bytes())
    assert mm7codec.decode_http(capture) == expected


def test_schema_command_prints_the_json_schema() -> None:
    code, printed, _ = _run(["schema", "--json"])
    assert code == 0 and json.loads(printed) == mm7codec.json_schema()
    code, printed, _ = _run(["schema", "--json", "--version", "5.3.0"])
    schema = json.loads(printed)
    assert code == 0 and schema == mm7codec.json_schema("5.3.0")
    assert "extendedCancelReq" not in schema["$defs"]
    code, _, err = _run(["schema", "--json", "--version", "9.9.9"])
    assert code == 2 and len(err.splitlines()) == 1
    assert json.loads(err)["error"] == "UsageError"


def test_the_schema_follows_the_spec_tables() -> None:
    old, new = mm7codec.json_schema("5.3.0")["$defs"], mm7codec.json_schema()["$defs"]
    assert "charged_party_id" not in old["SubmitReq"]["properties"]
    assert "charged_party_id" in new["SubmitReq"]["properties"]
    old_values = old["SubmitReq"]["properties"]["charged_party"]["anyOf"][0]["anyOf"][0]["enum"]
    new_values = new["SubmitReq"]["properties"]["charged_party"]["anyOf"][0]["anyOf"][0]["enum"]
    assert "ThirdParty" not in old_values and "ThirdParty" in new_values
    for fields in (old, new):
        assert fields["DeliveryReportReq"]["required"][:1] == ["type"]
        assert "recipient" in fields["DeliveryReportReq"]["required"]
    mm7codec.json_schema()["$defs"]["Part"]["properties"].clear()  # a copy: no effect below
    assert mm7codec.json_schema()["$defs"]["Part"]["properties"]


def test_the_bundled_json_samples_are_in_the_form() -> None:
    for sample in sorted(SAMPLES.glob("*.json")):
        data = json.loads(sample.read_text(encoding="utf-8"))
        _validator(None).validate(data)
        assert isinstance(Message.from_dict(data, base_dir=SAMPLES), Message)
