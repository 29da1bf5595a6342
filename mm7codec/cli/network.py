"""The command line's network commands: run a fake MMSC or VASP, send a message, fuzz a
receiver. They stand on the edge and the test peers (sockets, threads, Hypothesis), so they
live in this package above the codec, and ``__main__`` loads them only when it runs."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import _describe
from .._decoder import decode
from .._errors import MM7Error
from .._messages import Fault, Message, Request
from .._receiving import default_reply, log_name
from .._repr import terminal_safe
from ..client import Client, FaultError, TransportError
from ..testing import FakeMMSC, FakeVASP

__all__ = ["register"]

Loader = Callable[[Path], Message]


def _credentials(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    user, colon, password = value.partition(":")
    if not colon:
        raise argparse.ArgumentTypeError("--auth takes USER:PASSWORD")
    return user, password


def register(commands: Any, load: Loader) -> None:
    """Add mmsc, vasp, send and fuzz to the ``commands`` sub-parsers; ``load`` reads a message
    from a file (a JSON description or a capture)."""
    for name, peer in (("mmsc", "a fake MMSC"), ("vasp", "a fake VASP")):
        serve = commands.add_parser(name, help=f"run {peer} on 127.0.0.1, logging each exchange")
        serve.add_argument("--port", type=int, default=0, help="port (default: any free one)")
        serve.add_argument("--auth", metavar="USER:PASS", help="require HTTP Basic credentials")
        serve.add_argument("--sloppy", action="store_true", help="answer in real peers' dialect")
        serve.add_argument(
            "--requests", type=int, metavar="N", help="stop after N requests (default: never)"
        )
        serve.set_defaults(run=_cmd_serve, peer=name)

    send = commands.add_parser("send", help="send a message (JSON or capture), print the answer")
    send.add_argument("url")
    send.add_argument("file", help="a JSON description (see 'encode') or a captured request")
    send.add_argument("--auth", metavar="USER:PASS")
    send.add_argument("--soap-action", help="the SOAPAction the peer wants (default: empty)")
    send.add_argument("--timeout", type=float, default=10.0)
    send.set_defaults(run=lambda args: _cmd_send(args, load))

    fuzz = commands.add_parser("fuzz", help="post generated, dialect and mutated MO requests")
    fuzz.add_argument("url", help="the VASP endpoint to test (yours, on a test host)")
    fuzz.add_argument("--count", type=int, default=200, help="requests to send (default 200)")
    fuzz.add_argument("--auth", metavar="USER:PASS")
    fuzz.add_argument("--seed", type=int, help="repeat a run exactly")
    fuzz.add_argument(
        "--save",
        metavar="DIR",
        default="mm7-fuzz-failures",
        help="where failing requests are written as HTTP captures (default: mm7-fuzz-failures)",
    )
    fuzz.add_argument("--timeout", type=float, default=10.0, help="seconds an answer may take")
    fuzz.set_defaults(run=_cmd_fuzz)


def _cmd_serve(args: argparse.Namespace) -> int:
    kind = FakeMMSC if args.peer == "mmsc" else FakeVASP
    peer = kind(auth=_credentials(args.auth), sloppy=args.sloppy, port=args.port)
    answered: list[Request] = []

    def logged(request: Request) -> Any:
        answer = default_reply(request)
        code = f" -> {answer.status.code} {answer.status.text or ''}".rstrip()
        line = f"{time.strftime('%H:%M:%S')} {log_name(request)}{code}"
        print(terminal_safe(line), flush=True)
        answered.append(request)
        return answer

    peer.respond_with(logged)
    with peer:
        print(f"serving {peer.__class__.__name__} at {peer.url} (Ctrl-C stops)", flush=True)
        try:
            while args.requests is None or len(answered) < args.requests:
                time.sleep(0.05)
        except KeyboardInterrupt:
            pass
    return 0


def _cmd_send(args: argparse.Namespace, load: Loader) -> int:
    message = load(Path(args.file))
    if not isinstance(message, Request):
        raise MM7Error(f"{type(message).__name__} is not a request; only requests are sent")
    client = Client(
        args.url,
        auth=_credentials(args.auth),
        timeout=args.timeout,
        soap_action=args.soap_action,
    )
    try:
        response = client.send(message)
    except FaultError as error:
        print(_describe.render_text(error.fault))
        return 1
    print(_describe.render_text(response))
    return 0 if response.status.is_success else 1


# -- fuzzing a receiver -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Probe:
    """One request sent, and what went wrong with its answer ("" when nothing did)."""

    kind: str
    dialects: tuple[str, ...]
    content_type: str
    body: bytes
    expected: str
    problem: str


def _mutate(body: bytes, how: str, where: int) -> bytes:
    if not body:
        return body
    at = where % len(body)
    if how == "flip":
        return body[:at] + bytes([body[at] ^ 0x20]) + body[at + 1 :]
    if how == "truncate":
        return body[:at]
    if how == "insert":
        return body[:at] + b"<!--\x00&amp;<" + body[at:]
    return body.replace(b"</env:Envelope>", b"")  # "unclosed"


def _expectation(content_type: str, body: bytes) -> Request | None:
    """What a receiver must answer: the request our lenient decoder reads, or None for a
    Fault."""
    try:
        message = decode(body, content_type)
    except MM7Error:
        return None
    return message if isinstance(message, Request) else None


def _post(client: Client, content_type: str, body: bytes, expected: Request | None) -> str:
    """Send one request; return what is wrong with the answer, or "" if nothing is."""
    started = time.monotonic()
    try:
        answer = client.post(content_type, body)
    except TransportError as error:
        return error.reason
    if time.monotonic() - started > client.timeout:
        return f"answered after {time.monotonic() - started:.1f} s"
    try:
        got: Message | None = decode(answer.body, answer.header("Content-Type") or "")
    except MM7Error as error:
        return f"HTTP {answer.status}, not MM7: {error.reason}"
    if expected is None:
        if answer.status != 500 or not isinstance(got, Fault):
            return f"HTTP {answer.status} {type(got).__name__} for invalid input (want 500 Fault)"
        return ""
    if answer.status != 200 or not isinstance(got, expected.response_type):
        return (
            f"HTTP {answer.status} {type(got).__name__} "
            f"(want 200 {expected.response_type.__name__})"
        )
    if got.transaction_id != expected.transaction_id:
        return f"TransactionID {got.transaction_id!r} (want {expected.transaction_id!r})"
    return ""


def _cmd_fuzz(args: argparse.Namespace) -> int:
    try:
        from hypothesis import HealthCheck, Phase, given, seed, settings
        from hypothesis import strategies as st

        from ..strategies import WireMessage, wire_messages
    except ImportError:
        print("error: fuzz needs Hypothesis: pip install 'mm7codec[fuzz]'", file=sys.stderr)
        return 2
    probes: list[_Probe] = []
    client = Client(args.url, auth=_credentials(args.auth), timeout=args.timeout)
    mutations = st.none() | st.tuples(
        st.sampled_from(["flip", "truncate", "insert", "unclosed"]), st.integers(0, 1 << 30)
    )

    @settings(
        max_examples=args.count,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(wire_messages(sent_by="mmsc"), mutations)
    def probe(wire: WireMessage, mutation: tuple[str, int] | None) -> None:
        body = wire.body if mutation is None else _mutate(wire.body, *mutation)
        kind = "mutated" if mutation else "dialect" if wire.dialects else "generated"
        expected = _expectation(wire.content_type, body)
        problem = _post(client, wire.content_type, body, expected)
        wanted = "Fault" if expected is None else expected.response_type.__name__
        probes.append(_Probe(kind, wire.dialects, wire.content_type, body, wanted, problem))

    run = probe if args.seed is None else seed(args.seed)(probe)
    run()
    return _report(probes, Path(args.save), urlsplit(args.url).path or "/")


def _report(probes: list[_Probe], folder: Path, path: str) -> int:
    failed = [(number, p) for number, p in enumerate(probes, 1) if p.problem]
    kinds = {
        kind: sum(p.kind == kind for p in probes) for kind in ("generated", "dialect", "mutated")
    }
    print(
        f"{len(probes)} requests ({', '.join(f'{n} {k}' for k, n in kinds.items())}): "
        f"{len(failed)} failed"
    )
    if not failed:
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'#':>5}  {'kind':9}  {'wanted':18}  problem  (request saved in {folder}/)")
    for number, p in failed:
        saved = folder / f"{number:05d}.http"
        head = f"POST {path} HTTP/1.1\r\nContent-Type: {p.content_type}\r\n"
        saved.write_bytes(f"{head}Content-Length: {len(p.body)}\r\n\r\n".encode() + p.body)
        dialects = f" [{', '.join(p.dialects)}]" if p.dialects else ""
        print(f"{number:5d}  {p.kind:9}  {p.expected:18}  {terminal_safe(p.problem)}{dialects}")
    return 1
