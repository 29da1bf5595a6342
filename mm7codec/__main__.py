"""Command line: decode a captured MM7 message, extract its parts, or encode one from JSON.

python -m mm7codec decode FILE [--json] [--strict] [--extract DIR]
python -m mm7codec decode --sample mo-photo
python -m mm7codec encode DESCRIPTION.json [-o OUT] [--body-only]
python -m mm7codec samples
python -m mm7codec lint --peer sinch [--variant 10dlc] [--number-type short_code]
                        [--carrier AT&T] FILE
python -m mm7codec mmsc|vasp [--port P] [--auth USER:PASS] [--sloppy]
python -m mm7codec send URL FILE [--auth USER:PASS]
python -m mm7codec fuzz URL [--count N] [--auth USER:PASS] [--seed S]

What it prints may come from a peer (subjects, addresses, part names, deviation details, error
messages), so all of it goes through ``terminal_safe`` or JSON escapes; extracted parts are
written under names made of safe characters only, inside the folder given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from . import _describe
from ._decoder import decode
from ._describe import terminal_safe
from ._encoder import encode_stream
from ._errors import MM7Error
from ._http import decode_http, looks_like_http
from ._lexical import parse_relative_date
from ._messages import MESSAGE_TYPES, Message
from ._parts import Part
from ._spec import SPEC
from ._status import Status
from ._values import Address, Recipients, ReplyCharging, UACapabilities

SAMPLES = Path(__file__).with_name("samples")
#: The longest part name kept in an extracted file's name (file systems allow 255 bytes).
_NAME_LENGTH = 100


def _sniff_content_type(data: bytes) -> str:
    """A Content-Type for a bare body: XML, or a multipart whose boundary is its first line."""
    stripped = data.lstrip(b"\r\n\t ")
    if stripped.startswith(b"<"):
        return "text/xml"
    if stripped.startswith(b"--"):
        boundary = stripped.split(b"\n", 1)[0].rstrip(b"\r \t")[2:].decode("latin-1")
        return f'multipart/related; type="text/xml"; boundary="{boundary}"'
    raise MM7Error("cannot tell the body's type; pass --content-type")


def _load(path: Path, content_type: str | None, strict: bool) -> Message:
    data = path.read_bytes()
    if content_type is None and looks_like_http(data):
        return decode_http(data, strict=strict)
    return decode(data, content_type or _sniff_content_type(data), strict=strict)


def _file_name(index: int, name: str) -> str:
    """A file name for the ``index``-th part from the name the peer gave it: letters, digits,
    ".", "_" and "-" only (no separator, no control character), after a numeric prefix, so it
    can be neither a path nor "." or ".."."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    return f"{index:02d}-{safe[-_NAME_LENGTH:]}"


def _extract(message: Message, directory: Path) -> list[Path]:
    content: Part | None = getattr(message, "content", None)
    directory.mkdir(parents=True, exist_ok=True)
    folder = directory.resolve()
    written: list[Path] = []
    if content is None:
        return written
    leaves = [part for part in content.walk() if not part.is_multipart]
    for index, part in enumerate(leaves, 1):
        name = part.content_location or part.params.get("name") or part.content_id or "part"
        target = directory / _file_name(index, name)
        if target.resolve().parent != folder:  # a link left in the folder, say
            raise MM7Error(f"refusing to write {target}: it leads outside {directory}")
        with part.open() as source, target.open("wb") as out:
            while block := source.read(1 << 16):
                out.write(block)
        written.append(target)
    return written


def _cmd_decode(args: argparse.Namespace) -> int:
    path = SAMPLES / f"{args.sample}.http" if args.sample else Path(args.file)
    message = _load(path, args.content_type, args.strict)
    if args.json:
        print(_describe.render_json(message))
    else:
        print(_describe.render_text(message))
    if args.extract:
        for written in _extract(message, Path(args.extract)):
            print(terminal_safe(f"wrote {written}"), file=sys.stderr)
    return 0


# -- encode from a JSON description ------------------------------------------------------------


def _address(value: Any) -> Address:
    if isinstance(value, str):
        return Address(value)
    return Address(**value)


def _part(spec: dict[str, Any], base: Path) -> Part:
    common = {
        "content_id": spec.get("content_id"),
        "content_location": spec.get("content_location"),
        "params": spec.get("params"),
    }
    if "parts" in spec:
        return Part.multipart(
            [_part(child, base) for child in spec["parts"]],
            spec.get("multipart", "mixed"),
            **common,
        )
    if "path" in spec:
        return Part.from_path(base / spec["path"], spec.get("content_type"), **common)
    if "text" in spec:
        data = spec["text"].encode("utf-8")
        params = {"charset": "utf-8", **(spec.get("params") or {})}
        return Part.from_bytes(
            data,
            spec.get("content_type", "text/plain"),
            content_id=common["content_id"],
            content_location=common["content_location"],
            params=params,
        )
    raise MM7Error(f"a part needs 'path', 'text' or 'parts': {spec}")


def _field_value(kind: str, value: Any) -> Any:
    if kind in ("Address", "AddressText"):
        return _address(value)
    if kind == "Recipients":
        return Recipients(**{k: tuple(_address(a) for a in v) for k, v in value.items()})
    if kind == "Status":
        return Status.of(**value) if isinstance(value, dict) else Status.of(int(value))
    if kind == "StatusCodeOnly":
        return Status(**value) if isinstance(value, dict) else Status(int(value))
    if kind == "dateTime":
        return datetime.fromisoformat(value)
    if kind == "relativeDate":
        return parse_relative_date(value)[0]
    if kind == "ReplyCharging":
        deadline = value.get("deadline")
        return ReplyCharging(
            value.get("size"), None if deadline is None else parse_relative_date(deadline)[0]
        )
    if kind == "UACapabilities":
        stamp = value.get("time_stamp")
        return UACapabilities(
            value.get("ua_prof"), None if stamp is None else parse_relative_date(stamp)[0]
        )
    if kind == "DeliveryCondition":
        return tuple(int(v) for v in value)
    if kind == "UserAgents":
        return tuple(_address(v) for v in value)
    if kind == "DateTimes":
        return tuple(parse_relative_date(v)[0] for v in value)
    return value


def _build(description: dict[str, Any], base: Path) -> Message:
    name = description["type"]
    cls = MESSAGE_TYPES.get(name)
    if cls is None or name not in SPEC.messages:
        raise MM7Error(f"unknown message type {name!r}; one of {sorted(MESSAGE_TYPES)}")
    types: dict[str, str] = {}
    for element in SPEC.messages[name].elements:
        for member in element.children if element.is_group else (element,):
            types[member.field] = member.type
    fields: dict[str, Any] = {}
    for key, value in description.get("fields", {}).items():
        if key not in types and key != "allow_adaptations":
            raise MM7Error(f"{name} has no field {key!r}")
        fields[key] = _field_value(types.get(key, ""), value)
    if "content" in description:
        fields["content"] = _part(description["content"], base)
    for key in ("transaction_id", "version", "namespace"):
        if key in description:
            fields[key] = description[key]
    return cls(**fields)


def _cmd_encode(args: argparse.Namespace) -> int:
    path = Path(args.description)
    message = _build(json.loads(path.read_text(encoding="utf-8")), path.parent)
    encoded = encode_stream(message)
    out = sys.stdout.buffer if args.output in (None, "-") else open(args.output, "wb")  # noqa: SIM115
    try:
        if args.body_only:
            print(f"Content-Type: {encoded.content_type}", file=sys.stderr)
        else:
            head = [
                "POST /mm7 HTTP/1.1",
                f"Content-Type: {encoded.content_type}",
                'SOAPAction: ""',
            ]
            if encoded.content_length is not None:
                head.append(f"Content-Length: {encoded.content_length}")
            out.write(("\r\n".join(head) + "\r\n\r\n").encode("ascii"))
        for chunk in encoded.chunks():
            out.write(chunk)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return 0


def _load_message(path: Path, content_type: str | None = None) -> Message:
    """A message from a JSON description, a captured HTTP message or a bare body."""
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip().startswith(b"{"):
        return _build(json.loads(data.decode("utf-8")), path.parent)
    return _load(path, content_type, strict=False)


def _cmd_samples(_args: argparse.Namespace) -> int:
    for sample in sorted(SAMPLES.glob("*.http")):
        print(sample.stem)
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    """Findings of a peer profile on a capture or a JSON description; 1 when any is an error."""
    from . import peers  # the peer layer sits above the codec: loaded only for this command

    profile = peers.get(args.peer)
    message = _load_message(Path(args.file), args.content_type)
    findings = profile.lint(
        message, variant=args.variant, number_type=args.number_type, carrier=args.carrier
    )
    for finding in findings:
        print(terminal_safe(str(finding)))
    if not findings:
        print(f"no findings: {profile.name} accepts this {type(message).__name__} as it is")
    return 1 if any(finding.level == "error" for finding in findings) else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mm7codec", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    decode_cmd = commands.add_parser("decode", help="decode a body or a captured HTTP message")
    source = decode_cmd.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="the body, or a whole HTTP capture")
    source.add_argument("--sample", help="decode a sample shipped with mm7codec (see 'samples')")
    decode_cmd.add_argument("--content-type", help="Content-Type of a bare body (else sniffed)")
    decode_cmd.add_argument("--json", action="store_true", help="machine-readable output")
    decode_cmd.add_argument("--strict", action="store_true", help="refuse every deviation")
    decode_cmd.add_argument("--extract", metavar="DIR", help="write the content parts to DIR")
    decode_cmd.set_defaults(run=_cmd_decode)

    encode_cmd = commands.add_parser("encode", help="encode a message from a JSON description")
    encode_cmd.add_argument("description", help="JSON: type, version, fields, content")
    encode_cmd.add_argument("-o", "--output", help="output file (default: standard output)")
    encode_cmd.add_argument(
        "--body-only", action="store_true", help="write the body; Content-Type goes to stderr"
    )
    encode_cmd.set_defaults(run=_cmd_encode)

    samples_cmd = commands.add_parser("samples", help="list the bundled sample messages")
    samples_cmd.set_defaults(run=_cmd_samples)

    lint_cmd = commands.add_parser("lint", help="check a message against a peer's rules")
    lint_cmd.add_argument("file", help="a capture, a body, or a JSON description")
    lint_cmd.add_argument(
        "--peer", required=True, help="profile id, e.g. sinch (see mm7codec.peers)"
    )
    lint_cmd.add_argument("--variant", help="the peer's sub-profile, e.g. 10dlc")
    lint_cmd.add_argument("--number-type", help="short_code, 10dlc, ...: picks the size tables")
    lint_cmd.add_argument("--carrier", help="the recipient's carrier, e.g. AT&T")
    lint_cmd.add_argument("--content-type", help="Content-Type of a bare body (else sniffed)")
    lint_cmd.set_defaults(run=_cmd_lint)

    from . import cli  # sockets and test peers: loaded only when the command line runs

    cli.register(commands, _load_message)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except MM7Error as error:
        print(terminal_safe(f"error: {type(error).__name__}: {error}"), file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(terminal_safe(f"error: {error}"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
