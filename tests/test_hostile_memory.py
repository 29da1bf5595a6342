"""Bounded memory, whatever the input and however the decode ends.

Deviation records hold bounded text and are bounded in number (past ``max_deviations`` one last
record says how many more there were), in lenient and strict mode alike.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

import mm7codec
from mm7codec import Limits
from mm7codec._deviations import MAX_DEVIATION_TEXT, DeviationLog

from .complexity import assert_linear
from .test_hostile import MIB, NS, envelope, report

ROOT = Path(__file__).resolve().parent.parent
#: Generous limits for the growth tests, so that the larger input is decoded, not refused.
ROOMY = Limits(max_envelope_size=16 * MIB, max_xml_elements=1_000_000, max_xml_text=16 * MIB)
#: A marker's length: "... (123456 more characters)".
MARKER = 40


def submit(extra: str) -> bytes:
    """A valid SubmitReq envelope with ``extra`` among its children."""
    return envelope(
        f'<SubmitReq xmlns="{NS}"><MM7Version>6.8.0</MM7Version>'
        f"<Recipients><To><Number>15553199144</Number></To></Recipients>{extra}</SubmitReq>"
    )


def long_name_with_children(name_length: int, children: int) -> bytes:
    """Finding 3's shape: many unknown children under one element with a very long name."""
    name = "H" * name_length
    return submit(f"<{name}>{'<a/>' * children}</{name}>")


def decode_lenient_or_strict(data: bytes, strict: bool, limits: Limits = ROOMY) -> object:
    try:
        return mm7codec.decode(data, "text/xml", strict=strict, limits=limits)
    except mm7codec.DeviationError as error:
        return error


def traced_peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- deviation records: bounded text --------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_many_unknown_children_under_a_long_name_hold_little_memory(strict: bool) -> None:
    # Each record used to copy the whole path, long name included: this envelope of 100 KiB
    # made the decoder hold about 60 MiB (finding 3 at a third of its size).
    data = long_name_with_children(20_000, 3_000)
    peak = traced_peak(lambda: decode_lenient_or_strict(data, strict, mm7codec.DEFAULT_LIMITS))
    assert peak < 8 * MIB, f"peak {peak / MIB:.1f} MiB for a {len(data) // 1024} KiB envelope"


def test_long_texts_are_cut_and_the_cut_is_said() -> None:
    name = "N" * 5_000
    message = mm7codec.decode(submit(f"<{name}><{name}>text</{name}></{name}>"), "text/xml")
    wrapper, inner = message.deviations[:2]
    assert (wrapper.code, inner.code) == ("unexpected-wrapper", "unknown-element")
    # Each name in a path is cut to 100 characters, saying how many more it had.
    assert wrapper.where == f"/Envelope/Body/SubmitReq/{'N' * 100}... (4900 more characters)"
    assert inner.where == f"{wrapper.where}/{'N' * 100}... (4900 more characters)"
    assert inner.detail.startswith(f"<{'N' * 100}... (4900 more characters)> is not part of")
    assert wrapper.detail.endswith(" more characters)")
    assert len(wrapper.detail) <= MAX_DEVIATION_TEXT + MARKER


def test_every_recorded_text_is_bounded() -> None:
    log = DeviationLog(strict=False)
    log.report("c", "d" * 10_000, "w" * (MAX_DEVIATION_TEXT + 1))
    log.report("c", "d" * MAX_DEVIATION_TEXT, "w" * MAX_DEVIATION_TEXT)
    cut, whole = log.records
    assert (
        cut.detail
        == "d" * MAX_DEVIATION_TEXT + f"... ({10_000 - MAX_DEVIATION_TEXT} more characters)"
    )
    assert cut.where == "w" * MAX_DEVIATION_TEXT + "... (1 more characters)"
    assert (whole.detail, whole.where) == ("d" * MAX_DEVIATION_TEXT, "w" * MAX_DEVIATION_TEXT)


def test_the_strict_error_message_is_bounded() -> None:
    data = long_name_with_children(100_000, 2_000)
    with pytest.raises(mm7codec.DeviationError) as raised:
        mm7codec.decode(data, "text/xml", strict=True)
    assert len(str(raised.value)) < 12 * (MAX_DEVIATION_TEXT + MARKER)
    assert len(raised.value.deviations) == mm7codec.DEFAULT_LIMITS.max_deviations + 1


# -- deviation records: bounded count -------------------------------------------------------


def _with_unknown_children(count: int) -> bytes:
    """A delivery report, valid but for ``count`` unknown elements."""
    return envelope(
        report("".join(f"<Unknown{index}>{index}</Unknown{index}>" for index in range(count)))
    )


def test_max_deviations_at_the_limit_keeps_all_and_one_past_says_how_many_more() -> None:
    data = _with_unknown_children(12)
    needed = len(mm7codec.decode(data, "text/xml").deviations)
    assert needed == 12
    at_limit = mm7codec.decode(data, "text/xml", limits=Limits(max_deviations=needed))
    assert [d.code for d in at_limit.deviations] == ["unknown-element"] * needed

    past = mm7codec.decode(data, "text/xml", limits=Limits(max_deviations=needed - 1))
    assert past.deviations[:-1] == at_limit.deviations[:-1]
    last = past.deviations[-1]
    assert last.code == "more-deviations"
    assert last.detail == "1 more deviation(s) not recorded (max_deviations=11)"

    with pytest.raises(mm7codec.DeviationError) as raised:
        mm7codec.decode(data, "text/xml", strict=True, limits=Limits(max_deviations=needed - 1))
    assert raised.value.deviations == past.deviations


def test_max_deviations_counts_every_dropped_record() -> None:
    data = _with_unknown_children(50)
    message = mm7codec.decode(data, "text/xml", limits=Limits(max_deviations=3))
    assert len(message.deviations) == 4
    assert message.deviations[-1].detail.startswith("47 more deviation(s)")
    nothing_kept = mm7codec.decode(data, "text/xml", limits=Limits(max_deviations=0))
    assert [d.code for d in nothing_kept.deviations] == ["more-deviations"]


def test_past_the_bound_no_text_is_built() -> None:
    built: list[str] = []

    def text(value: str) -> Callable[[], str]:
        return lambda: built.append(value) or value

    log = DeviationLog(strict=False, limit=2)
    for index in range(5):
        log.report("c", text(f"detail {index}"), text(f"where {index}"))
    assert built == ["detail 0", "where 0", "detail 1", "where 1"]
    assert [d.detail for d in log.records][:2] == ["detail 0", "detail 1"]
    assert log.records[-1].detail == "3 more deviation(s) not recorded (max_deviations=2)"


# -- deviation-heavy envelopes: linear time -------------------------------------------------


def _out_of_order(n: int) -> bytes:
    """Known elements in reverse schema order, with unknown ones between them."""
    known = [
        "<Content href='cid:c'/>",
        "<Subject>s</Subject>",
        "<Priority>High</Priority>",
        "<DeliveryReport>true</DeliveryReport>",
        "<ServiceCode>x</ServiceCode>",
    ]
    filler = "<Stray>t</Stray>" * (n // len(known))
    return submit("".join(element + filler for element in known))


DEVIATION_HEAVY: list[tuple[str, Callable[[int], bytes], int]] = [
    ("many unknown children", lambda n: submit("<Unknown>t</Unknown>" * n), 2_000),
    ("long name, many children", lambda n: long_name_with_children(20 * n, n), 1_000),
    (
        "long name, many wrappers",
        lambda n: submit(f"<{'W' * 20 * n}>{'<a><b/></a>' * n}</{'W' * 20 * n}>"),
        1_000,
    ),
    ("many out-of-order elements", _out_of_order, 2_000),
]


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(
    ("what", "build", "n"), DEVIATION_HEAVY, ids=[c[0] for c in DEVIATION_HEAVY]
)
def test_deviation_heavy_envelopes_decode_in_linear_time(
    what: str, build: Callable[[int], bytes], n: int, strict: bool
) -> None:
    assert_linear(build, lambda data: decode_lenient_or_strict(data, strict), n, what=what)
