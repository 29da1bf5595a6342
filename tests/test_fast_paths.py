"""Every shortcut taken for speed gives exactly what the general path gives.

The decoder reads the usual shapes (a canonical date, a plain XML document, a simple
Content-Type) without the general machinery; these properties compare the two on inputs
built to reach the shortcut and on inputs built to miss it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from datetime import datetime
from random import Random
from unittest import mock

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import mm7codec
from mm7codec import _soap_decode, strategies
from mm7codec._deviations import DeviationLog
from mm7codec._field_checks import _check, _fixed_tuple, _MismatchError, _plain
from mm7codec._lexical import (
    _USUAL_DATETIME,
    format_datetime,
    parse_datetime,
    parse_datetime_in_general,
)
from mm7codec._limits import DEFAULT_LIMITS
from mm7codec._mime.headers import (
    _simple_parameters,
    parse_content_type,
    parse_parameters_in_general,
    read_content_type,
)
from mm7codec._soap_encode import _RESOLVED, _every_element, encode_envelope
from mm7codec._spec import SPEC
from mm7codec._status import as_status_code
from mm7codec._xml import _parse_carefully, _provably_plain, parse


def _read(function: Callable[[str], tuple[datetime, list[str]]], text: str) -> object:
    """What a reader gives, with the time zone object itself (equal datetimes may differ in
    it), or that it refused the text."""
    try:
        value, notes = function(text)
    except ValueError:
        return "refused"
    return value, value.tzinfo, notes


@given(st.from_regex(_USUAL_DATETIME, fullmatch=True))
def test_usual_datetimes_read_as_in_general(text: str) -> None:
    assert _read(parse_datetime, text) == _read(parse_datetime_in_general, text)


@given(strategies.datetimes())
def test_written_datetimes_take_the_shortcut(value: datetime) -> None:
    text = format_datetime(value)
    assert _USUAL_DATETIME.fullmatch(text)
    assert parse_datetime(text) == (value, [])


def _tree(element: ElementTree.Element) -> object:
    return (
        element.tag,
        sorted(element.attrib.items()),
        element.text or "",
        element.tail or "",
        [_tree(child) for child in element],
    )


@given(strategies.messages())
def test_plain_envelopes_parse_as_carefully(message: mm7codec.Message) -> None:
    has_content = getattr(message, "content", None) is not None
    envelope = encode_envelope(message, "content" if has_content else None)
    # Documents with more "=" than one element may hold attributes take the careful path.
    assume(_provably_plain(envelope, DEFAULT_LIMITS))
    assert _tree(parse(envelope, DEFAULT_LIMITS)) == _tree(
        _parse_carefully(envelope, None, DEFAULT_LIMITS)
    )


@given(st.binary(max_size=200), st.sampled_from([b"<!", b"<?pi x?>", b"\x00", b"\xff\xfe"]))
def test_documents_with_markup_declarations_are_never_plain(noise: bytes, marker: bytes) -> None:
    document = b'<?xml version="1.0"?><a>' + noise + marker + noise + b"</a>"
    if marker == b"\xff\xfe":
        document = marker + document
    assert not _provably_plain(document, DEFAULT_LIMITS)


# Characters that matter to parameter syntax, and a few that do not.
_PARAMETER_TEXT = st.text(alphabet=' \t\r\n;="\\*?\x0b\xa0abcXYZ-_./<>()=', max_size=40)


@given(_PARAMETER_TEXT)
def test_simple_parameters_read_as_in_general(text: str) -> None:
    simple = _simple_parameters(text)
    if simple is not None:
        reported: list[str] = []
        assert simple == parse_parameters_in_general(text, lambda code, _: reported.append(code))
        assert reported == []


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9<>@/.=_-]{0,20}", fullmatch=True),
        max_size=4,
    ),
    st.booleans(),
)
def test_written_parameters_take_the_shortcut(params: dict[str, str], quoted: bool) -> None:
    text = "".join(
        f'; {name}="{value}"' if quoted else f"; {name}={value}"
        for name, value in params.items()
        if quoted or (value and "=?" not in value)
    )
    if "=?" in text:
        return
    simple = _simple_parameters(text)
    assert simple is not None
    reported: list[str] = []
    assert simple == parse_parameters_in_general(text, lambda code, _: reported.append(code))
    assert reported == []


def test_processing_instructions_before_the_root_are_never_plain() -> None:
    for document in (
        b'<?xml-stylesheet href="x"?><a/>',
        b"<?pi x?><a/>",
        b'<?xml version="1.0"?><?pi x?><a/>',
    ):
        assert not _provably_plain(document, DEFAULT_LIMITS), document
        with pytest.raises(mm7codec.DecodeError, match="processing instruction"):
            parse(document, DEFAULT_LIMITS)


@given(
    st.sampled_from(["text/xml", "multipart/related", "image/JPEG", "text", " a/b ", "x/y;"]),
    _PARAMETER_TEXT,
)
def test_content_types_read_again_give_what_reading_gives(media: str, params: str) -> None:
    value = media + params
    for _ in range(2):  # the second time, a value with nothing to report is remembered
        reported: list[str] = []
        expected: list[str] = []
        media_type, parsed = parse_content_type(
            value, lambda code, _, into=reported: into.append(code)
        )
        fresh = read_content_type(value, lambda code, _, into=expected: into.append(code))
        assert (media_type, parsed) == fresh[:2]
        assert reported == expected
        parsed["boundary"] = "changed by the caller"  # the caller's own dict


_ITEM_HINTS = st.sampled_from([str, int, bool, type(None), mm7codec.Address])
_ITEM_VALUES = st.one_of(
    st.text(max_size=3), st.integers(), st.booleans(), st.none(), st.just(mm7codec.Address("1"))
)


def _checked(check: Callable[[object], object], value: object) -> object:
    try:
        kept = check(value)
    except _MismatchError:
        return "refused"
    return kept, kept is value


@given(
    st.lists(_ITEM_HINTS, min_size=1, max_size=3),
    st.lists(_ITEM_VALUES, max_size=4),
    st.booleans(),
)
def test_fixed_tuples_check_as_in_general(
    hints: list[type], items: list[object], as_tuple: bool
) -> None:
    value = tuple(items) if as_tuple else items
    checks = [_check(hint) for hint in hints]
    shortcut = _fixed_tuple(checks, [_plain(hint) for hint in hints])
    general = _fixed_tuple(checks, [frozenset()] * len(hints))  # never takes the shortcut
    assert _checked(shortcut, value) == _checked(general, value)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Content-ID", "content-id", "X-A", "x-a", "B"]), st.text(max_size=3)
        ),
        max_size=5,
    )
)
def test_headers_know_whether_a_name_repeats(items: list[tuple[str, str]]) -> None:
    # The decoder checks for repeated part headers only when this says some name repeats.
    names = [name.lower() for name, _ in items]
    assert mm7codec.Headers(items).repeats_a_name() == (len(set(names)) != len(names))


def test_elements_resolved_once_are_as_resolved_each_time() -> None:
    for message in SPEC.messages.values():
        for element in _every_element(message.elements):
            for schema, resolved in enumerate(_RESOLVED[id(element)]):
                if element.exists_in(schema):
                    assert resolved == element.resolved(schema)
                else:
                    assert resolved is None


_ElementReader = Callable[[ElementTree.Element, str, str, _soap_decode._Context], object]
_ValueReader = Callable[[str, str, _soap_decode._Context, str], object]


def _outcome(read: Callable[[_soap_decode._Context], object]) -> object:
    """What a reader gives on a fresh context: its value or its error, and its deviations."""
    log = DeviationLog(False)
    try:
        value = read(_soap_decode._Context(log, None))
    except mm7codec.DecodeError as error:
        value = ("error", str(error), error.where)
    return value, log.records


def _reads_as_general(fast: _ElementReader, general: _ValueReader, text: str) -> bool:
    node = ElementTree.Element("E")
    node.text = text
    return _outcome(lambda ctx: fast(node, "E", "/B", ctx)) == _outcome(
        lambda ctx: general(text, "/B/E", ctx, "<E>")
    )


@given(
    st.sampled_from(["true", "false", "True", "FALSE", " true", "1", "0", "yes", ""])
    | st.text(max_size=8),
    st.sampled_from(["2026-11-23T10:00:00Z", "2026-11-23T10:00:00", "2026-11-23T10:00:00.1234567Z"])
    | st.text(max_size=30),
    st.sampled_from(["1000", " 1000\n", "\uff11\uff10", "0", "", "9" * 18, "9" * 19, "-1"])
    | st.text(max_size=20),
)
def test_leaf_readers_report_as_the_value_readers(boolean: str, moment: str, number: str) -> None:
    """The element readers skip writing the element's path unless something is reported:
    the value, the error and the deviations are those of the general value readers."""
    assert _reads_as_general(_soap_decode._boolean, _soap_decode._boolean_value, boolean)
    assert _reads_as_general(_soap_decode._datetime, _soap_decode._datetime_value, moment)
    assert _reads_as_general(_soap_decode._positive_integer, _soap_decode._integer_value, number)


def _decoded_or_refused(body: bytes, content_type: str, strict: bool) -> object:
    """Everything a decode gives: every field (deviations and extras too), or the error."""
    try:
        message = mm7codec.decode(body, content_type, strict=strict)
    except mm7codec.MM7Error as error:
        return ("error", type(error).__name__, str(error), error.where, error.status_code)
    values = (getattr(message, field) for field in message.__dataclass_fields__)
    return type(message), [(type(value), value, repr(value)) for value in values]


def _without_plans(read: Callable[[], object]) -> object:
    with mock.patch.object(_soap_decode._BodyTable, "plan", lambda *_: None):
        return read()


def _compare_plan_and_loop(body: bytes, content_type: str) -> None:
    for strict in (False, True):
        planned = _decoded_or_refused(body, content_type, strict)
        looped = _without_plans(lambda s=strict: _decoded_or_refused(body, content_type, s))
        assert planned == looped


@given(strategies.wire_messages())
def test_bodies_read_by_their_plan_as_by_the_general_loop(wire: strategies.WireMessage) -> None:
    _compare_plan_and_loop(wire.body, wire.content_type)


@given(
    strategies.wire_messages(content=False, dialects=False),
    st.randoms(use_true_random=False),
    st.sampled_from(["shuffle", "repeat", "drop", "unqualify", "unknown", "pad"]),
)
def test_reshaped_bodies_read_as_by_the_general_loop(
    wire: strategies.WireMessage, random: Random, change: str
) -> None:
    """Bodies whose shape no plan takes (out of order, repeated, missing, unqualified or
    unknown children) still read exactly as the general loop reads them, and so do padded
    values, which a plan reads."""
    assume(wire.content_type.startswith("text/xml"))
    root = ElementTree.fromstring(wire.body)
    entry = root[-1][0]
    children = list(entry)
    assume(len(children) > 1)
    chosen = random.randrange(1, len(children))  # MM7Version stays first
    if change == "shuffle":
        rest = children[1:]
        random.shuffle(rest)
        children[1:] = rest
    elif change == "repeat":
        children.insert(chosen, children[chosen])
    elif change == "drop":
        del children[chosen]
    elif change == "pad":
        for child in children[1:]:
            for element in child.iter():
                if element.text:
                    element.text = f" {element.text}\n"
    elif change == "unqualify":
        children[chosen].tag = children[chosen].tag.rpartition("}")[2]
    else:
        unknown = ElementTree.Element(entry.tag.rpartition("}")[0] + "}Unknown")
        unknown.text = "x"
        children.insert(chosen, unknown)
    entry[:] = children
    _compare_plan_and_loop(ElementTree.tostring(root), wire.content_type)


def test_plans_are_kept_up_to_their_bound() -> None:
    """Past _MAX_PLANS shapes per message type and schema the plans are forgotten, so a
    sender choosing shapes cannot grow the table, and the newest shape is kept."""
    spec = SPEC.messages["DeliveryReportReq"]
    table = _soap_decode._BodyTable.of(spec)
    schema = len(SPEC.namespaces) - 1
    # Every element of the schema, in schema order.
    names = [tag for tag, (_name, slot) in table.qualified[schema].items() if not slot.absent]
    required = {
        tag
        for tag, (_name, slot) in table.qualified[schema].items()
        if any(slot.field == field for field, _, _ in table.required_fields[schema])
    }
    optional = [tag for tag in names if tag not in required]
    shapes = {
        tuple(tag for tag in names if tag in required or mask >> optional.index(tag) & 1)
        for mask in range(2 ** len(optional))
    }
    assert len(shapes) > _soap_decode._MAX_PLANS
    for shape in sorted(shapes):
        assert table.plan(schema, shape) is not None
        assert shape in table.plans[schema]  # the newest is kept
        assert len(table.plans[schema]) <= _soap_decode._MAX_PLANS


@given(
    st.text(max_size=20),
    st.sampled_from(["Number", "ShortCode", "RFC2822Address"]),
    st.none() | st.booleans(),
    st.none() | st.sampled_from(["encrypted", "obfuscated"]),
    st.none() | st.text(max_size=5),
)
def test_addresses_built_into_their_slots_equal_constructed_ones(
    value: str, kind: str, display_only: bool | None, coding: str | None, identifier: str | None
) -> None:
    built = _soap_decode._new_address(value, kind, display_only, coding, identifier)
    made = mm7codec.Address(value, kind, display_only, coding, identifier)  # type: ignore[arg-type]
    assert (built, repr(built)) == (made, repr(made))


@given(st.integers(0, 10**18), st.none() | st.text(max_size=10), st.none() | st.text(max_size=10))
def test_statuses_built_into_their_slots_equal_constructed_ones(
    code: int, text: str | None, details: str | None
) -> None:
    built = _soap_decode._new_status(code, text, details)
    made = mm7codec.Status(code, text, details)
    assert (built, type(built.code), repr(built)) == (made, type(made.code), repr(made))


def test_status_codes_are_the_enumeration_members() -> None:
    for member in mm7codec.StatusCode:
        assert as_status_code(int(member)) is member
    assert type(as_status_code(2501)) is int
