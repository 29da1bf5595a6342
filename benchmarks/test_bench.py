"""pytest-benchmark suites: mm7codec against the stdlib path and the raw limit, same bytes,
same run. Absolute times mean nothing on a shared machine; ``report.py`` turns a run into
ratios and checks the targets.
"""

from __future__ import annotations

import email.policy
import time
from typing import Any

import pytest

import mm7codec

from .baselines import (
    elementtree_floor,
    envelope_pieces,
    plain_join_floor,
    raw_limit_decode,
    raw_limit_encode,
    raw_limit_prepare,
    soap_part,
    stdlib_decode,
    wrapped_base64_floor,
)
from .corpus import Case, cases
from .corpus import case as named_case

CHUNK = 64 * 1024
CASES = cases()
IDS = [c.name for c in CASES]


def _run(benchmark: Any, case: Case, function: Any, *args: Any) -> None:
    # Large cases get a fixed number of rounds so a run stays within minutes.
    if len(case.body) > 4 * 1024 * 1024:
        benchmark.pedantic(function, args=args, rounds=7, iterations=1, warmup_rounds=1)
    elif len(case.body) > 256 * 1024:
        benchmark.pedantic(function, args=args, rounds=30, iterations=1, warmup_rounds=2)
    else:
        benchmark(function, *args)


def test_settle_before_measuring() -> None:
    """Not a measurement: a second of decoding first, so the first case timed does not also
    pay for the processor leaving idle (seen as a first median twice the same code's later)."""
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:
        for case in CASES:
            if case.small:
                mm7codec.decode(case.body, case.content_type)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decode(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "mm7codec.decode"
    _run(benchmark, case, mm7codec.decode, case.body, case.content_type)


def _streamed(case: Case) -> mm7codec.Message:
    decoder = mm7codec.Decoder(case.content_type)
    body = case.body
    for start in range(0, len(body), CHUNK):
        decoder.feed(body[start : start + CHUNK])
    return decoder.close()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decoder_64k_chunks(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "mm7codec.Decoder 64K"
    _run(benchmark, case, _streamed, case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stdlib_default_policy(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "stdlib email(default)+ET"
    _run(benchmark, case, stdlib_decode, case, email.policy.default)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stdlib_compat32(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "stdlib email(compat32)+ET"
    _run(benchmark, case, stdlib_decode, case, email.policy.compat32)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_raw_limit(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "raw limit (expat+find+binascii)"
    boundaries = raw_limit_prepare(case)
    _run(benchmark, case, raw_limit_decode, case, boundaries)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_encode(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "mm7codec.encode"
    _run(benchmark, case, mm7codec.encode, case.message)


def _encode_inputs(case: Case) -> tuple[bytes, list[bytes]]:
    """The envelope and the leaf payloads the encode baselines start from (made before timing)."""
    content = getattr(case.message, "content", None)
    payloads = [] if content is None else [p.body for p in content.walk() if not p.is_multipart]
    envelope = mm7codec._soap_encode.encode_envelope(case.message, "x")
    return envelope, payloads


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_raw_encode(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "raw encode (binascii+join)"
    _run(benchmark, case, raw_limit_encode, case, *_encode_inputs(case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_elementtree_floor(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "floor: ElementTree over the envelope"
    _run(benchmark, case, elementtree_floor, soap_part(case))


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.has_content], ids=[c.name for c in CASES if c.has_content]
)
def test_wrapped_base64_floor(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "floor: 76-column base64+join"
    _run(benchmark, case, wrapped_base64_floor, *_encode_inputs(case))


def _reply_and_encode(message: mm7codec.Request) -> tuple[str, bytes]:
    # A SubmitRsp requires the MessageID the relay gives the message.
    given = {"message_id": "m-1"} if isinstance(message, mm7codec.SubmitReq) else {}
    return mm7codec.encode(message.reply(**given))


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if isinstance(c.message, mm7codec.Request)],
    ids=[c.name for c in CASES if isinstance(c.message, mm7codec.Request)],
)
def test_reply_and_encode(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "reply()+encode"
    message = mm7codec.decode(case.body, case.content_type)
    assert isinstance(message, mm7codec.Request)
    _run(benchmark, case, _reply_and_encode, message)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.small], ids=[c.name for c in CASES if c.small]
)
def test_plain_join_floor(benchmark: Any, case: Case) -> None:
    benchmark.group = case.name
    benchmark.extra_info["impl"] = "floor: envelope by plain join"
    envelope, _ = _encode_inputs(case)
    _run(benchmark, case, plain_join_floor, envelope_pieces(envelope))


#: The receiver's hot path, timed as one: an MO and a delivery report arrive, each is decoded,
#: answered with ``reply()`` and the answer encoded.
RECEIVED = ("deliver-30k", "delivery-report")


def _receive(received: tuple[Case, ...]) -> None:
    for each in received:
        message = mm7codec.decode(each.body, each.content_type)
        assert isinstance(message, mm7codec.Request)
        mm7codec.encode(message.reply())


def _raw_limit_of_both(received: tuple[Case, ...], boundaries: list[list[bytes]]) -> None:
    for each, found in zip(received, boundaries, strict=True):
        raw_limit_decode(each, found)


def test_receiver_hot_path(benchmark: Any) -> None:
    benchmark.group = "receiver"
    benchmark.extra_info["impl"] = "decode+reply()+encode"
    received = tuple(named_case(name) for name in RECEIVED)
    benchmark(_receive, received)


def test_receiver_raw_limit(benchmark: Any) -> None:
    benchmark.group = "receiver"
    benchmark.extra_info["impl"] = "raw limit (expat+find+binascii)"
    received = tuple(named_case(name) for name in RECEIVED)
    benchmark(_raw_limit_of_both, received, [raw_limit_prepare(each) for each in received])
