"""specs/mm7.toml and the code agree: one source of truth, checked."""

from __future__ import annotations

import dataclasses
import tomllib

import mm7codec
from mm7codec._messages import MESSAGE_TYPES
from mm7codec._spec import _SOURCE_TREE, SPEC

COMMON = {"transaction_id", "version", "namespace", "deviations", "peer_pairing", "extras"}


def test_every_spec_message_has_a_class_with_exactly_its_fields() -> None:
    assert set(SPEC.messages) == set(MESSAGE_TYPES)
    for name, spec in SPEC.messages.items():
        cls = MESSAGE_TYPES[name]
        assert cls.__name__ == name
        fields = {f.name for f in dataclasses.fields(cls)}
        expected = set(spec.fields) | COMMON
        if "content" in spec.fields:
            expected.add("allow_adaptations")  # the Content element's attribute
        if issubclass(cls, mm7codec.Response):
            assert "status" in spec.fields
        assert fields == expected, name


def test_required_elements_are_required_fields() -> None:
    for name, spec in SPEC.messages.items():
        cls = MESSAGE_TYPES[name]
        by_name = {f.name: f for f in dataclasses.fields(cls)}
        for element in spec.elements:
            if element.is_group or element.field in ("version", "status"):
                continue
            has_default = by_name[element.field].default is not dataclasses.MISSING
            # A required element that decoding tolerates missing (recorded) defaults to None.
            must_be_given = element.required and not element.missing_recorded
            assert has_default != must_be_given, (name, element.element)


def test_status_code_table_matches_the_enum() -> None:
    assert [(c, n) for c, n, _ in SPEC.status_codes] == [
        (int(member), member.name) for member in mm7codec.StatusCode
    ]


def test_namespaces_and_versions() -> None:
    assert len(SPEC.namespaces) == 11
    assert SPEC.releases == (5,) * 6 + (6,) * 5
    assert [v for v, _ in SPEC.versions] == [str(v) for v in mm7codec.SUPPORTED_VERSIONS]
    # Each namespace is used by at least one version, and versions never go back in schema.
    indexes = [index for _, index in SPEC.versions]
    assert indexes == sorted(indexes)
    assert set(indexes) == set(range(11))


def test_every_element_entry_names_its_confidence() -> None:
    with _SOURCE_TREE.open("rb") as handle:
        raw = tomllib.load(handle)
    for name, table in raw["messages"].items():
        assert table.get("conf"), name
        for entry in table["elements"]:
            assert entry.get("conf"), (name, entry["element"])
            assert entry["occurs"] in ("1", "?")


def test_release6_only_operations_start_at_the_first_release6_schema() -> None:
    first_rel6 = SPEC.releases.index(6)
    for name in (
        "extendedCancelReq",
        "extendedCancelRsp",
        "extendedReplaceReq",
        "extendedReplaceRsp",
    ):
        assert SPEC.messages[name].since == first_rel6
