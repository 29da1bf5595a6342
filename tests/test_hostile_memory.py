"""Bounded memory and no file left behind, whatever the input and however the decode ends.

Deviation records hold bounded text and are bounded in number (past ``max_deviations`` one last
record says how many more there were); part bodies held in memory are bounded across parts
(``max_memory_held``: past it, parts spool); spool files are anonymous, so a decoder dropped
mid-body or a killed process leaves nothing on disk; decoded messages pickle, deep-copy and go
through ``dataclasses.asdict``.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

import mm7codec
from mm7codec import Limits
from mm7codec._deviations import MAX_DEVIATION_TEXT, DeviationLog
from mm7codec.strategies import messages

from .complexity import assert_linear
from .conftest import SAMPLES
from .helpers import decode_any
from .test_hostile import MIB, NS, SOAP_PART, envelope, multipart, related, report
from .test_samples import EXPECTED

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
    assert wrapper.detail == f"<{'N' * 100}... (4900 more characters)> is not part of SubmitReq"


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


# -- memory held across parts ---------------------------------------------------------------


def _small_parts(sizes: list[int]) -> bytes:
    parts = [
        f"Content-Type: image/gif\r\nContent-ID: <p{index}>\r\n\r\n".encode() + b"g" * size
        for index, size in enumerate(sizes)
    ]
    return multipart([SOAP_PART, *parts])


def _spooled(message: mm7codec.Message) -> list[bool]:
    content = message.content  # type: ignore[attr-defined]
    return [type(part.source).__name__ == "SpooledBody" for part in content.parts]


def test_max_memory_held_at_the_limit_keeps_parts_and_one_past_spools(tmp_path: Path) -> None:
    data = _small_parts([3_000, 2_000, 1_000])
    root_size = len(SOAP_PART.split(b"\r\n\r\n", 1)[1])
    held = root_size + 6_000  # every part, the SOAP root included, is held until the end

    def decoded(limit: int) -> mm7codec.Message:
        limits = Limits(max_memory_held=limit)
        return mm7codec.decode(data, related(), limits=limits, spool_dir=tmp_path)

    at_limit = decoded(held)
    assert _spooled(at_limit) == [False, False, False]
    one_past = decoded(held - 1)
    assert _spooled(one_past) == [False, False, True]
    well_past = decoded(root_size + 3_000)
    assert _spooled(well_past) == [False, True, True]
    assert at_limit == one_past == well_past
    assert list(tmp_path.iterdir()) == []


def test_memory_held_across_many_small_parts_is_bounded(tmp_path: Path) -> None:
    # 40 parts each well below the spool threshold: 4 MiB in all, only 1 MiB of it in memory.
    data = _small_parts([100 * 1024] * 40)
    limits = Limits(max_memory_held=MIB)

    def stream() -> mm7codec.Message:
        decoder = mm7codec.Decoder(related(), limits=limits, spool_dir=tmp_path)
        for start in range(0, len(data), 64 * 1024):
            decoder.feed(data[start : start + 64 * 1024])
        return decoder.close()

    tracemalloc.start()
    try:
        message = stream()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB and kept < 3 * MIB // 2, (peak, kept)
    assert sum(_spooled(message)) >= 30
    parts = message.content.parts  # type: ignore[attr-defined]
    assert [part.body for part in parts] == [b"g" * 100 * 1024] * 40


# -- no file left behind --------------------------------------------------------------------


def _spooling_body() -> tuple[bytes, bytes]:
    """The first half of a body whose second part is being spooled, and the rest."""
    video = b"Content-Type: video/3gpp\r\n\r\n" + b"v" * (3 * MIB)
    body = multipart([SOAP_PART, video])
    return body[: 2 * MIB], body[2 * MIB :]


def _open_descriptors() -> list[str]:
    """What this process has open (the descriptor that lists them is gone by the readlink)."""
    names = []
    for descriptor in os.listdir("/proc/self/fd"):
        try:
            names.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        except FileNotFoundError:
            continue
    return sorted(names)


needs_proc = pytest.mark.skipif(
    not os.path.isdir("/proc/self/fd"), reason="open files are listed from /proc (Linux only)"
)


def test_an_abandoned_decoder_leaves_the_spool_folder_empty(tmp_path: Path) -> None:
    half, _ = _spooling_body()
    decoder = mm7codec.Decoder(related(), spool_dir=tmp_path)
    decoder.feed(half)
    assert decoder._ctx.spool_file is not None, "the second part should be spooling"
    assert list(tmp_path.iterdir()) == [], "a spool file has no name on disk, even while used"
    del decoder
    gc.collect()
    assert list(tmp_path.iterdir()) == []


@needs_proc
def test_an_abandoned_decoder_closes_its_spool_file_without_waiting_for_the_collector(
    tmp_path: Path,
) -> None:
    half, _ = _spooling_body()
    before = _open_descriptors()
    decoder = mm7codec.Decoder(related(), spool_dir=tmp_path)
    decoder.feed(half)
    during = _open_descriptors()
    opened = [name for name in during if name not in before]
    # The spool file is opened in spool_dir, and has no name there.
    assert len(opened) == 1 and opened[0].startswith(str(tmp_path)), opened
    assert opened[0].endswith("(deleted)"), opened
    enabled = gc.isenabled()
    gc.disable()
    try:
        del decoder
        assert _open_descriptors() == before
    finally:
        if enabled:
            gc.enable()


_KILLED_CHILD = textwrap.dedent(
    """
    import sys, time
    import mm7codec
    decoder = mm7codec.Decoder('multipart/related; boundary="b"', spool_dir=sys.argv[1])
    decoder.feed(b'--b\\r\\nContent-Type: text/xml\\r\\n\\r\\n<x/>\\r\\n--b\\r\\n'
                 b'Content-Type: video/3gpp\\r\\n\\r\\n' + b'v' * (3 << 20))
    assert decoder._ctx.spool_file is not None
    print('spooling', flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_a_process_killed_mid_decode_leaves_the_spool_folder_empty(
    tmp_path: Path, signal_number: int
) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        env=environment,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == b"spooling\n"
            child.send_signal(signal_number)
            assert child.wait(timeout=30) == -signal_number
        finally:
            child.kill()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_decode_closes_its_spool_file_at_once(tmp_path: Path) -> None:
    half, _ = _spooling_body()
    decoder = mm7codec.Decoder(related(), spool_dir=tmp_path)
    decoder.feed(half)
    spool_file = decoder._ctx.spool_file
    with pytest.raises(mm7codec.DecodeError):
        decoder.close()
    assert spool_file is not None and spool_file._file.closed


# -- Part.save, and reading spooled parts ---------------------------------------------------


def _decoded_with_spooled_video(tmp_path: Path) -> tuple[mm7codec.Message, bytes]:
    video = bytes(range(256)) * 8_000
    body = multipart([SOAP_PART, b"Content-Type: video/3gpp\r\n\r\n" + video])
    limits = Limits(spool_threshold=MIB)
    return mm7codec.decode(body, related(), limits=limits, spool_dir=tmp_path / "spool"), video


def test_part_save_writes_the_body_to_a_path_of_the_callers_choice(tmp_path: Path) -> None:
    (tmp_path / "spool").mkdir()
    message, video = _decoded_with_spooled_video(tmp_path)
    part = message.content  # type: ignore[attr-defined]
    assert type(part.source).__name__ == "SpooledBody"
    assert part.save(tmp_path / "clip.3gp") == len(video)  # os.PathLike
    assert (tmp_path / "clip.3gp").read_bytes() == video
    assert part.save(str(tmp_path / "again.3gp")) == len(video)  # str
    assert (tmp_path / "again.3gp").read_bytes() == video
    small = mm7codec.Part.from_text("hello")
    assert small.save(tmp_path / "hello.txt") == 5
    assert (tmp_path / "hello.txt").read_bytes() == b"hello"
    with pytest.raises(mm7codec.UsageError, match="multipart"):
        mm7codec.Part.multipart([small]).save(tmp_path / "nothing")
    assert list((tmp_path / "spool").iterdir()) == []


def test_spooled_parts_read_independently_and_seek(tmp_path: Path) -> None:
    (tmp_path / "spool").mkdir()
    message, video = _decoded_with_spooled_video(tmp_path)
    part = message.content  # type: ignore[attr-defined]
    with part.open() as first, part.open() as second:
        assert first.read(1000) == video[:1000]
        assert second.read(10) == video[:10]
        assert first.read(10) == video[1000:1010]
        second.seek(-5, os.SEEK_END)
        assert second.read() == video[-5:]
    assert part.body == video


# -- pickle, deepcopy, asdict ---------------------------------------------------------------


def _check_copies(message: mm7codec.Message) -> None:
    restored = pickle.loads(pickle.dumps(message))
    assert restored == message
    assert restored.deviations == message.deviations
    assert copy.deepcopy(message) == message
    as_dict = dataclasses.asdict(message)
    assert set(as_dict) == {f.name for f in dataclasses.fields(message)}
    content = getattr(message, "content", None)
    if content is not None:
        for before, after in zip(content.walk(), restored.content.walk(), strict=True):
            assert after.body == before.body
            assert type(after.source).__name__ in ("NoneType", "BytesBody", "ChunksBody")


def test_a_decoded_message_pickles_with_its_spooled_bytes(tmp_path: Path) -> None:
    (tmp_path / "spool").mkdir()
    message, video = _decoded_with_spooled_video(tmp_path)
    _check_copies(message)
    restored = pickle.loads(pickle.dumps(message))
    assert type(restored.content.source).__name__ == "BytesBody"  # type: ignore[attr-defined]
    assert restored.content.body == video  # type: ignore[attr-defined]
    del message
    gc.collect()
    assert restored.content.body == video  # type: ignore[attr-defined]


@pytest.mark.parametrize("transfer", ["binary", "8bit", "base64", "quoted-printable"])
def test_decoded_parts_keep_bytes_not_views(transfer: str) -> None:
    # Parts sent as they are used to keep views of the fed buffer, which do not pickle.
    payload = b"payload \x00\xff line\r\n" * 500
    body = multipart(
        [
            SOAP_PART,
            f"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: {transfer}"
            f"\r\n\r\n".encode()
            + (mm7codec._mime.transfer.encode_base64(payload) if transfer == "base64" else payload),
        ]
    )
    decoder = mm7codec.Decoder(related())
    for start in range(0, len(body), 1000):
        decoder.feed(body[start : start + 1000])
    message = decoder.close()
    _check_copies(message)  # before anything reads the body
    if transfer != "quoted-printable":
        assert message.content.body == payload  # type: ignore[attr-defined]


@settings(max_examples=20)
@given(messages())
def test_every_decoded_message_pickles_deep_copies_and_converts(message: mm7codec.Message) -> None:
    content_type, body = mm7codec.encode(message)
    _check_copies(mm7codec.decode(body, content_type))


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"peer samples not found at {SAMPLES}")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_peer_samples_pickle_deep_copy_and_convert(name: str, tmp_path: Path) -> None:
    content_type = EXPECTED[name][0]
    data = (SAMPLES / name).read_bytes()
    _check_copies(decode_any(data, content_type))
    # Once more with every part spooled.
    limits = Limits(spool_threshold=0)
    _check_copies(decode_any(data, content_type, limits=limits, spool_dir=tmp_path))
