"""``mm7codec.message_types`` and ``mm7codec.fields``: the spec tables as public API, held to
what the encoder actually writes."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec.strategies import messages

EXTENDED = {"extendedCancelReq", "extendedCancelRsp", "extendedReplaceReq", "extendedReplaceRsp"}
VERSIONS = [str(v) for v in mm7codec.SUPPORTED_VERSIONS]


def test_release_6_operations_only_in_release_6() -> None:
    for version in mm7codec.SUPPORTED_VERSIONS:
        names = {cls.__name__ for cls in mm7codec.message_types(version)}
        assert names <= set(mm7codec.MESSAGE_TYPES)
        if version.major == 5:
            assert names == set(mm7codec.MESSAGE_TYPES) - EXTENDED
        else:
            assert names == set(mm7codec.MESSAGE_TYPES)
    assert mm7codec.SubmitReq in mm7codec.message_types(mm7codec.MM7Version.parse("5.3.0"))


def test_fields_follow_the_schema_of_each_version() -> None:
    old = {f.name: f for f in mm7codec.fields("SubmitReq", "5.3.0")}
    new = {f.name: f for f in mm7codec.fields(mm7codec.SubmitReq, mm7codec.LATEST_VERSION)}
    assert old["distribution_indicator"].element == "DistributionProtection"
    assert new["distribution_indicator"].element == "DistributionIndicator"
    assert (old["sender_address"].type, new["sender_address"].type) == ("AddressText", "Address")
    assert old["sender_address"].group == "SenderIdentification"
    assert old["sender_address"].confidence and old["sender_address"].source
    assert new["vasp_id"].confidence and new["vasp_id"].source  # the group table's
    assert "applic_id" not in old and "applic_id" in new
    assert old["recipients"].required and old["recipients"].repeated
    assert not old["subject"].required and not old["subject"].repeated
    assert "Other" not in old["charged_party"].values and "Other" in new["charged_party"].values
    assert old["subject"].python_type == "str | None"
    assert [f.name for f in mm7codec.fields("SubmitReq", "5.3.0")][:4] == [
        "version",
        "vasp_id",
        "vas_id",
        "sender_address",
    ]


@pytest.mark.parametrize(
    ("message_type", "version"),
    [
        ("SubmitReq", "5.2.0"),
        ("SubmitReq", "6.8"),
        ("NoSuchReq", "6.8.0"),
        ("extendedCancelReq", "5.3.0"),
    ],
)
def test_unknown_version_or_type_is_a_usage_error(message_type: str, version: str) -> None:
    with pytest.raises(mm7codec.UsageError):
        mm7codec.fields(message_type, version)


def _top_elements(body: bytes, content_type: str) -> list[str]:
    if not content_type.startswith("text/xml"):
        start = body.index(b"\r\n\r\n") + 4
        body = body[start : body.index(b"\r\n--", start)]
    entry = ElementTree.fromstring(body)[1][0]
    return [child.tag.rsplit("}", 1)[-1] for child in entry]


@settings(max_examples=100)
@given(
    st.sampled_from(VERSIONS).flatmap(
        lambda v: st.sampled_from([c.__name__ for c in mm7codec.message_types(v)]).flatmap(
            lambda name: messages(v, name)
        )
    )
)
def test_what_fields_lists_is_what_the_encoder_writes(message: mm7codec.Message) -> None:
    listed = mm7codec.fields(type(message), message.version)
    for info in listed:
        if info.required:
            assert getattr(message, info.name) is not None, info.name
    expected = []
    for info in listed:
        if info.name == "content":
            present = getattr(message, "content", None) is not None
        else:
            present = getattr(message, info.name) is not None
        outer = info.group or info.element
        if (present or info.group) and outer not in expected:
            expected.append(outer)
    content_type, body = mm7codec.encode(message)
    written = _top_elements(body, content_type)
    # A group (SenderIdentification) is always written, set members or not.
    assert [name for name in written if name not in expected] == []
    assert [name for name in expected if name not in written] == []
