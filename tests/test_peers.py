"""Peer profiles: the loader, and the Sinch profile checked fact by fact against the peer facts
(../shared/mm7/PEERS.md section 1), restated here as the expected outcomes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import mm7codec
from mm7codec import Address, Duration, Part, Recipients, ReplyCharging, Slide, SubmitReq, peers
from mm7codec.peers import Finding, PeerRefusal, ProfileError

SINCH = peers.get("sinch")


def _submit(**fields: Any) -> SubmitReq:
    """A SubmitReq Sinch accepts as it is: 6.8.0, API key, short code, one recipient, SMIL."""
    base: dict[str, Any] = {
        "version": "6.8.0",
        "vasp_id": "api-key",
        "vas_id": "12345mms",
        "sender_address": Address("12345", "ShortCode"),
        "recipients": Recipients(to=["15551234567"]),
        "subject": "Hello",
        "content": Part.slideshow([Slide(text="Hello!")], content_id="mms"),
    }
    base.update(fields)
    return SubmitReq(**base)


def _at(findings: list[Finding], where: str) -> list[tuple[str, int | None]]:
    return [(f.level, f.code) for f in findings if f.where == where]


def test_the_clean_message_has_no_errors_or_warnings() -> None:
    findings = SINCH.lint(_submit())
    assert [f for f in findings if f.level != "info"] == []


# -- loading -----------------------------------------------------------------------------------


def test_every_shipped_profile_loads_and_is_listed() -> None:
    assert peers.available() == ("3gpp", "nokia-mc5", "nowsms", "sinch", "telnyx", "vibes")
    for name in peers.available():
        profile = peers.get(name)
        assert profile.id == name
        assert profile.sources, name


def test_aliases_and_unknown_names() -> None:
    assert peers.get("mblox") is SINCH
    assert peers.get(" Sinch ") is SINCH
    with pytest.raises(ProfileError, match="available: 3gpp, nokia-mc5"):
        peers.get("acme")


def test_a_users_profile_file_loads_like_a_shipped_one(tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    shutil.copy(peers._loader.PROFILES / "sinch.toml", copy)
    assert peers.load(copy) == SINCH


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (peers._loader.PROFILES / "sinch.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "where", "complaint"),
    [
        (
            '[submit.elements.ApplicID]\npolicy = "strip"',
            '[submit.elements.ApplicID]\npolcy = "strip"',
            "submit.elements.ApplicID.polcy",
            "unknown key",
        ),
        ("limit_bytes = 1400000", 'limit_bytes = "1.4 MB"', "limit_bytes", "expected an integer"),
        ("max = 1\n", "max = true\n", "submit.recipients.max", "expected an integer, got a b"),
        ('policy = "strip"', 'policy = "drop"', "submit.elements.ApplicID.policy", "not one of"),
        ('preferred = "6.8.0"', "", "versions.preferred", "missing"),
        ('source = "SC short code table"', 'source = "XX table"', "source", "'XX' is not in"),
        ('variants = ["10dlc"]', 'variants = ["11dlc"]', "variants[0]", "'11dlc' is not in"),
        ("[submit.elements.LinkedID]", "[submit.elements.LinkID]", "LinkID", "not a SubmitReq"),
        ('supported = ["SubmitReq"]', 'supported = ["SendReq"]', "supported", "not an MM7"),
        ('accept_max = "6.8.0"', 'accept_max = "6.8"', "accept_max", "not an MM7Version"),
        ('"6.8.0" = "REL-6-MM7-1-4"', '"6.8.0" = "REL-6-MM7-9"', "namespaces.6.8.0", "unknown"),
        ('carrier = "AT&T"', 'carrier = "Sprint"', "carrier", "not in content.carriers"),
        ("[status_codes.1000]", "[status_codes.OK]", "status_codes.OK", "numeric key"),
        ("number_pattern = '[1-9]", "number_pattern = '([1-9]", "number_pattern", "missing )"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_key(
    tmp_path: Path, old: str, new: str, where: str, complaint: str
) -> None:
    with pytest.raises(ProfileError) as raised:
        peers.load(_broken(tmp_path, old, new))
    assert raised.value.where is not None and where in raised.value.where
    assert complaint in str(raised.value)


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("id = [", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        peers.load(path)


# -- Sinch: the unsupported-elements table, row by row -----------------------------------------

_TABLE: list[tuple[str, str, Any, str | None, int | None]] = [
    # (row, field path, value, level the row gives, code)
    ("ApplicID", "applic_id", "app", "warning", None),
    ("AuxApplicInfo", "aux_applic_info", "aux", "warning", None),
    ("ChargedParty", "charged_party", "Sender", "error", 3002),
    ("ChargedPartyID", "charged_party_id", "payer", "error", 3002),
    ("ContentClass", "content_class", "image-basic", "warning", None),
    ("DeliveryCondition", "delivery_condition", (1,), "warning", None),
    ("DeliveryReport", "delivery_report", False, "info", None),
    ("DistributionIndicator", "distribution_indicator", True, "warning", None),
    ("DRMContent", "drm_content", True, "warning", None),
    ("EarliestDeliveryTime", "earliest_delivery_time", Duration(days=1), "warning", None),
    ("ExpiryDate", "expiry_date", Duration(days=1), "info", None),
    ("LinkedID", "linked_id", "mo-1", "warning", None),
    ("MessageClass", "message_class", "Personal", None, None),
    ("Priority", "priority", "High", None, None),
    ("ReadReply", "read_reply", True, "warning", None),
    ("ReplyApplicID", "reply_applic_id", "reply-app", "warning", None),
    ("ReplyCharging", "reply_charging", ReplyCharging(size=100), "error", 2565),
    ("replyChargingSize", "reply_charging.size", ReplyCharging(size=100), "error", 2565),
    (
        "replyDeadline",
        "reply_charging.deadline",
        ReplyCharging(deadline=Duration(days=2)),
        "error",
        2565,
    ),
    ("ServiceCode", "service_code", "svc", None, None),
    ("TimeStamp", "time_stamp", None, "info", None),
]


@pytest.mark.parametrize(
    ("row", "path", "value", "level", "code"), _TABLE, ids=[r[0] for r in _TABLE]
)
def test_each_unsupported_element_row_gives_its_level(
    row: str, path: str, value: Any, level: str | None, code: int | None
) -> None:
    field = path.split(".")[0]
    message = _submit(**({field: value} if value is not None else {}))
    found = _at(SINCH.lint(message), path)
    assert found == ([] if level is None else [(level, code)]), row


def test_the_table_has_the_21_rows_of_the_peer_facts() -> None:
    policies = [rule.policy for name, rule in SINCH.submit.elements.items()]
    assert policies.count("strip") == 10
    assert policies.count("error") == 5
    assert policies.count("default") == 3
    assert policies.count("pass") == 3


def test_missing_smil_is_an_error() -> None:
    plain = _submit(content=Part.multipart([Part.from_text("no smil")], "mixed"))
    errors = [f for f in SINCH.lint(plain) if f.level == "error"]
    assert [(f.where, f.code) for f in errors] == [("content", None)]
    assert "SMIL" in errors[0].message


def test_missing_mandatory_elements_give_their_codes() -> None:
    findings = SINCH.lint(_submit(vasp_id=None, sender_address=None, content=None))
    assert _at(findings, "vasp_id") == [("error", 2564)]
    assert _at(findings, "sender_address") == [("error", 2504)]
    assert _at(findings, "content") == [("error", 2506)]
    assert _at(SINCH.lint(_submit(recipients=Recipients())), "recipients") == [("error", 2502)]


@pytest.mark.parametrize("variant", [None, "standard-mms"])
def test_two_recipients_outside_10dlc_is_2503(variant: str | None) -> None:
    message = _submit(recipients=Recipients(to=["15551234567"], cc=["15551234568"]))
    assert _at(SINCH.lint(message, variant=variant), "recipients") == [("error", 2503)]


def test_the_display_only_rule_on_10dlc() -> None:
    def group(*display_only: bool | None) -> SubmitReq:
        numbers = [Address(f"1555123456{i}", display_only=d) for i, d in enumerate(display_only)]
        return _submit(recipients=Recipients(to=numbers))

    def lint(message: SubmitReq) -> list[tuple[str, int | None]]:
        return _at(SINCH.lint(message, variant="10dlc"), "recipients")

    assert lint(group(None, True, True)) == []
    assert lint(group(True, False)) == []
    assert lint(group(True, True)) == [("error", 2571)]
    assert lint(group(None, False, True)) == [("error", 2572)]
    # The same group outside 10DLC: one request per recipient, and displayOnly is not honoured.
    assert _at(SINCH.lint(group(None, True)), "recipients") == [
        ("error", 2503),
        ("warning", None),
    ]


def test_number_format_and_subject_are_warnings() -> None:
    findings = SINCH.lint(
        _submit(
            recipients=Recipients(to=[Address("+15551234567")]), subject="Sale \N{FIRE}" + "!" * 80
        )
    )
    assert _at(findings, "recipients") == [("warning", None)]
    assert _at(findings, "subject") == [("warning", None), ("warning", None)]


# -- Sinch: sizes by number type and carrier ---------------------------------------------------


def _with_image(size: int) -> SubmitReq:
    image = Part.from_bytes(bytes(size), "image/jpeg")
    return _submit(content=Part.slideshow([Slide(image=image, text="Hi")]))


def _wire_content_size(message: SubmitReq) -> int:
    sizes = mm7codec.encode_stream(message).part_sizes
    assert None not in sizes
    return sum(s for s in sizes if s is not None)


def _largest_image_within(limit: int) -> int:
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if _wire_content_size(_with_image(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def test_just_under_and_just_over_a_carriers_limit_for_a_number_type() -> None:
    [att] = [
        limit
        for limit in SINCH.content.size_limits
        if limit.carrier == "AT&T" and limit.number_type == "short_code"
    ]
    under = _with_image(_largest_image_within(att.limit_bytes))
    over = _with_image(_largest_image_within(att.limit_bytes) + 1)
    assert _wire_content_size(under) <= att.limit_bytes < _wire_content_size(over)

    def sizes(message: SubmitReq, **choice: str) -> list[Finding]:
        found = SINCH.lint(message, **choice)
        return [f for f in found if f.where == "content" and "limit" in f.message]

    assert sizes(under, number_type="short_code", carrier="AT&T") == []
    [error] = sizes(over, number_type="short_code", carrier="AT&T")
    assert error.level == "error"
    assert f"{_wire_content_size(over):,} bytes" in error.message
    assert "1,400,000-byte limit" in error.message
    assert "largest part: content/parts[1] (image/jpeg" in error.message
    assert "own estimate" in error.message
    # Without a carrier, the same overflow is a risk on AT&T only, not a refusal.
    assert [f.level for f in sizes(over, number_type="short_code")] == ["warning"]
    # T-Mobile's short code and AT&T's 10DLC limits are higher.
    assert sizes(over, number_type="short_code", carrier="T-Mobile") == []
    assert sizes(over, variant="10dlc", carrier="att") == []


def test_size_tables_need_a_number_type_and_known_names() -> None:
    findings = SINCH.lint(_submit())
    assert any(f.level == "info" and "number_type=" in f.message for f in findings)
    with pytest.raises(mm7codec.UsageError, match="carrier 'Sprint'"):
        SINCH.lint(_submit(), number_type="short_code", carrier="Sprint")
    with pytest.raises(mm7codec.UsageError, match="number type 'landline'"):
        SINCH.lint(_submit(), number_type="landline")
    with pytest.raises(mm7codec.UsageError, match="no variant '5g'"):
        SINCH.lint(_submit(), variant="5g")


def test_a_per_medium_upload_limit_names_the_part() -> None:
    findings = SINCH.lint(_with_image(1_000_001))
    assert _at(findings, "content/parts[1]") == [("warning", None)]
    assert _at(SINCH.lint(_with_image(1_000_000)), "content/parts[1]") == []


# -- Sinch: versions, operations, prepare, status ---------------------------------------------


def test_versions_and_operations() -> None:
    assert _at(SINCH.lint(_submit(version="5.2.0")), "version") == [("error", 2505)]
    assert _at(SINCH.lint(_submit(version="5.3.0")), "version") == []
    odd = _submit(namespace=mm7codec.SUPPORTED_VERSIONS[0].namespace or "")
    assert _at(SINCH.lint(odd), "namespace") == [("warning", None)]
    cancel = mm7codec.CancelReq(message_id="m1")
    assert [(f.level, f.code) for f in SINCH.lint(cancel)] == [("error", 2512)]


_STRIPPED = {
    "applic_id": "app",
    "aux_applic_info": "aux",
    "content_class": "image-basic",
    "delivery_condition": (1, 2),
    "distribution_indicator": False,
    "drm_content": True,
    "earliest_delivery_time": Duration(hours=1),
    "linked_id": "mo-1",
    "read_reply": True,
    "reply_applic_id": "reply-app",
}
_KEPT = {"message_class": "Personal", "priority": "High", "service_code": "svc"}


def test_prepare_strips_and_lists_exactly_the_stripped_elements() -> None:
    message = _submit(**_STRIPPED, **_KEPT, delivery_report=False)
    prepared = SINCH.prepare(message)
    assert {loss.field: loss.value for loss in prepared.losses} == _STRIPPED
    assert all("strips" in loss.reason for loss in prepared.losses)
    assert prepared.message == replace(message, **dict.fromkeys(_STRIPPED))
    assert [f for f in SINCH.lint(prepared.message) if f.level != "info"] == []


def test_prepare_keeps_an_accepted_message_and_refuses_what_sinch_refuses() -> None:
    clean = _submit()
    assert SINCH.prepare(clean).message is clean  # nothing to change: the same object
    assert SINCH.prepare(clean).losses == ()
    with pytest.raises(PeerRefusal) as raised:
        SINCH.prepare(_submit(charged_party="Sender", content=None))
    assert isinstance(raised.value, mm7codec.EncodeError)
    errors = {(f.where, f.code) for f in raised.value.findings if f.level == "error"}
    assert errors == {("charged_party", 3002), ("content", 2506)}
    assert raised.value.status_code in (3002, 2506)


@pytest.mark.parametrize(
    ("code", "retry", "vendor"),
    [
        (1000, "never", False),
        (2000, "fix", True),  # Sinch: invalid IP address or protocol
        (2503, "fix", True),
        (2505, "fix", True),
        (2560, "fix", True),
        (2569, "later", True),
        (2571, "fix", True),
        (2572, "fix", True),
        (3001, "never", True),  # Sinch: number blacklisted, do not retry
        (3510, "later", True),
        (3520, "never", True),
        (4006, "later", False),
        (4001, "fix", False),  # not in Sinch's list: the standard meaning
        (2999, "fix", False),  # in no table: by class
    ],
)
def test_status_gives_sinchs_meaning_and_retry_advice(code: int, retry: str, vendor: bool) -> None:
    status = SINCH.status(code)
    assert (status.code, status.retry, status.vendor) == (code, retry, vendor)
    assert status.text


def test_status_texts_are_sinchs_own() -> None:
    assert SINCH.status(3001).text == "Number blacklisted"
    assert peers.get("3gpp").status(3001).text == "Not Possible"
    assert SINCH.status(2503).meaning.startswith("Send separate messages")


def test_the_codec_never_imports_the_peer_layer() -> None:
    script = "import sys, mm7codec; print(sorted(m for m in sys.modules if 'peers' in m))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
