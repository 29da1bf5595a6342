"""Time and memory of the decoder on the hostile inputs of the security work, for any checkout.

    python -m benchmarks.hostile                 # this checkout
    PYTHONPATH=../old python benchmarks/hostile.py --scale 0.1   # an older one, smaller inputs

Each case prints its wall time and traced peak memory; a case still running after
``--timeout`` seconds (in a child process) is reported as such, since the point of some of
these inputs was that older code never finished. Absolute figures depend on the machine:
compare two checkouts on the same one.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import time
import tracemalloc
from collections.abc import Callable

import mm7codec

NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP = (
    f'<?xml version="1.0"?><e:Envelope xmlns:e="{ENV}"><e:Header><m:TransactionID xmlns:m="{NS}">'
    f't</m:TransactionID></e:Header><e:Body><DeliverReq xmlns="{NS}"><MM7Version>6.8.0'
    '</MM7Version><Sender><Number>15553199144</Number></Sender>{extra}<Content href="cid:c"/>'
    "</DeliverReq></e:Body></e:Envelope>"
)
RELATED = 'multipart/related; type="text/xml"; start="<s>"; boundary="b"'


def _multipart(parts: list[bytes], extra: str = "") -> bytes:
    head = b"--b\r\nContent-Type: text/xml\r\nContent-ID: <s>\r\n\r\n"
    body = head + SOAP.format(extra=extra).encode() + b"\r\n"
    for part in parts:
        body += b"--b\r\n" + part + b"\r\n"
    return body + b"--b--\r\n"


def _attachment(encoding: bytes, payload: bytes, header: bytes = b"") -> bytes:
    return (
        b"Content-Type: application/octet-stream\r\nContent-ID: <c>\r\n"
        + header
        + b"Content-Transfer-Encoding: "
        + encoding
        + b"\r\n\r\n"
        + payload
    )


def _streamed(body: bytes, content_type: str, chunk: int = 64 * 1024) -> None:
    decoder = mm7codec.Decoder(content_type)
    for start in range(0, len(body), chunk):
        decoder.feed(body[start : start + chunk])
    decoder.close()


def _one_shot(body: bytes, content_type: str, strict: bool = False) -> None:
    with contextlib.suppress(mm7codec.MM7Error):
        mm7codec.decode(body, content_type, strict=strict)


def cases(scale: float) -> dict[str, Callable[[], None]]:
    """Name -> a call that decodes one hostile input (built before timing starts)."""

    def n(size: int) -> int:
        return max(1, int(size * scale))

    no_equals = _multipart(
        [b"Content-Type: text/plain; " + b"a" * 8000 + b"\r\n\r\nx"] * n(10)
        + [_attachment(b"8bit", b"x")]
    )
    words = _multipart(
        [b"Content-Location: " + b"=?a?q?b" * 1150 + b"\r\nContent-Type: text/plain\r\n\r\nx"]
        * n(100)
        + [_attachment(b"8bit", b"x")]
    )
    padded_base64 = _multipart([_attachment(b"base64", b"AA==" * n(1 << 20))])
    long_name = "n" * 100_000
    unknown = f"<{long_name}>" + "<u/>" * 9000 + f"</{long_name}>"
    deviations = SOAP.format(extra=unknown).encode()
    qp = _multipart([_attachment(b"quoted-printable", (b"abc=41" * n(6 << 20))[: n(32 << 20)])])
    # punycode decodes what follows the last "-": a long run there is its quadratic case
    # (the whole stays under max_envelope_size, or the limit would refuse it first).
    punycode = (
        b'<?xml version="1.0" encoding="punycode"?><a>'
        + b"x" * n(120 << 10)
        + b"</a>-"
        + b"a" * n(120 << 10)
    )
    chunked = (
        b"POST /mm7 HTTP/1.1\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"-4\r\n<a/>\r\n0\r\n\r\n"
    )
    return {
        "1 no-= parameter runs (8 KiB headers)": lambda: _one_shot(no_equals, RELATED),
        "2 base64 AA== one-shot": lambda: _one_shot(padded_base64, RELATED),
        "2 base64 AA== 64 KiB chunks": lambda: _streamed(padded_base64, RELATED),
        "3 deviations under a 100 KB name, lenient": lambda: _one_shot(deviations, "text/xml"),
        "3 deviations under a 100 KB name, strict": lambda: _one_shot(
            deviations, "text/xml", strict=True
        ),
        "4 chunk size -4": lambda: _http(chunked),
        "5 QP without line breaks, 64 KiB chunks": lambda: _streamed(qp, RELATED),
        "6 RFC 2047 word starts": lambda: _one_shot(words, RELATED),
        "7 envelope declared punycode": lambda: _one_shot(punycode, "text/xml"),
    }


def _http(capture: bytes) -> None:
    with contextlib.suppress(mm7codec.MM7Error):
        mm7codec.decode_http(capture)


def _measure(name: str, scale: float, results: multiprocessing.Queue[tuple[float, int]]) -> None:
    run = cases(scale)[name]
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    results.put((elapsed, peak))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="input size factor")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    args = parser.parse_args()
    for name in cases(0.001):
        results: multiprocessing.Queue[tuple[float, int]] = multiprocessing.Queue()
        child = multiprocessing.Process(target=_measure, args=(name, args.scale, results))
        child.start()
        child.join(args.timeout)
        if child.is_alive():
            child.kill()
            print(f"{name:45} still running after {args.timeout:g} s (stopped)")
            continue
        elapsed, peak = results.get()
        print(f"{name:45} {elapsed:9.3f} s  {peak / 2**20:8.1f} MiB peak")


if __name__ == "__main__":
    main()
