"""Command line: decode a captured MM7 message, extract its parts, or encode one from JSON.

python -m mm7codec decode FILE|- [--json] [--strict] [--extract DIR]
python -m mm7codec decode --sample mo-photo
python -m mm7codec encode MESSAGE.json|- [-o OUT] [--body-only] [--host HOST] [--json]
python -m mm7codec schema --json [--version 6.8.0]
python -m mm7codec samples
python -m mm7codec lint --peer sinch [--variant 10dlc] [--number-type short_code]
                        [--carrier AT&T] FILE
python -m mm7codec mmsc|vasp [--port P] [--auth USER:PASS] [--sloppy]
python -m mm7codec send URL FILE [--auth USER:PASS]
python -m mm7codec fuzz URL [--count N] [--auth USER:PASS] [--seed S]

``decode --json`` prints a message in the one JSON form (``Message.to_dict``) and ``encode``
reads that form (``Message.from_dict``), so ``decode --json x | encode -`` gives the message
back; ``schema --json`` prints the JSON Schema of the form.

What it prints may come from a peer (subjects, addresses, part names, deviation details, error
messages), so all of it goes through ``terminal_safe`` or JSON escapes; extracted parts are
written under names made of safe characters only, inside the folder given.

Whatever goes wrong, a command prints one line (a JSON object with ``--json``) on standard
error and exits with 2: never a traceback. Errors about the input as MM7 carry the MM7 status
a peer would get; mistakes in how the command was called carry none.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import _describe
from ._decoder import decode
from ._encoder import encode_stream
from ._errors import DecodeError, MM7Error
from ._http import decode_http, looks_like_http
from ._json_schema import json_schema
from ._messages import Message
from ._parts import Part
from ._repr import terminal_safe

SAMPLES = Path(__file__).with_name("samples")
#: The longest part name kept in an extracted file's name (file systems allow 255 bytes).
_NAME_LENGTH = 100
#: The standard library's own media type table, not the system's: the same on every machine.
_MEDIA_TYPES = mimetypes.MimeTypes()
# ... which lacks the types MMS carries most after images and text.
for _media_type, _extension in (
    ("application/smil", ".smil"),
    ("audio/amr", ".amr"),
    ("audio/3gpp", ".3gp"),
    ("video/3gpp", ".3gp"),
    ("video/3gpp2", ".3g2"),
    ("text/x-vcalendar", ".vcs"),
):
    _MEDIA_TYPES.add_type(_media_type, _extension)
#: "-" as a file argument: standard input.
_STDIN = "-"


class _InputError(Exception):
    """A mistake in how a command was called or in its JSON description: reported as one
    line without an MM7 status (it concerns no peer)."""


class _Parser(argparse.ArgumentParser):
    """Reports a usage mistake as one line, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, terminal_safe(f"{self.prog}: error: {message}") + "\n")


def _read_input(name: str) -> bytes:
    """The bytes of file ``name``, or of standard input for ``-``."""
    if name == _STDIN:
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def _sniff_content_type(data: bytes) -> str:
    """A Content-Type for a bare body: XML, or a multipart whose boundary is its first line."""
    stripped = data.lstrip(b"\r\n\t ")
    if stripped.startswith(b"<"):
        return "text/xml"
    if stripped.startswith(b"--"):
        boundary = stripped.split(b"\n", 1)[0].rstrip(b"\r \t")[2:].decode("latin-1")
        return f'multipart/related; type="text/xml"; boundary="{boundary}"'
    raise _InputError("cannot tell the body's type; pass --content-type")


def _load(path: Path, content_type: str | None, strict: bool) -> Message:
    return _load_bytes(path.read_bytes(), content_type, strict)


def _load_bytes(data: bytes, content_type: str | None, strict: bool) -> Message:
    if content_type is None and looks_like_http(data):
        return decode_http(data, strict=strict)
    return decode(data, content_type or _sniff_content_type(data), strict=strict)


def _file_name(index: int, name: str, media_type: str = "") -> str:
    """A file name for the ``index``-th part from the name the peer gave it: letters, digits,
    ".", "_" and "-" only (no separator, no control character), after a numeric prefix, so it
    can be neither a path nor "." or "..". It ends in an extension of ``media_type`` when one
    is known: a name without one gets it, and a name whose extension belongs to another type
    (``photo.exe`` labelled image/jpeg) gets it added, so the file opens as what it was sent as.
    """
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-_NAME_LENGTH:]
    extensions = _MEDIA_TYPES.guess_all_extensions(media_type) if media_type else []
    if extensions and not safe.lower().endswith(tuple(extensions)):
        safe += _MEDIA_TYPES.guess_extension(media_type) or extensions[0]
    return f"{index:02d}-{safe}"


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
        target = directory / _file_name(index, name, part.content_type)
        if target.resolve().parent != folder:  # a link left in the folder, say
            raise MM7Error(f"refusing to write {target}: it leads outside {directory}")
        with part.open() as source, target.open("wb") as out:
            while block := source.read(1 << 16):
                out.write(block)
        written.append(target)
    return written


def _sample(name: str) -> Path:
    path = SAMPLES / f"{name}.http"
    if not path.is_file() or Path(name).name != name:
        names = ", ".join(sorted(sample.stem for sample in SAMPLES.glob("*.http")))
        raise _InputError(f"no sample {name!r}; the samples are: {names}")
    return path


def _cmd_decode(args: argparse.Namespace) -> int:
    data = _sample(args.sample).read_bytes() if args.sample else _read_input(args.file)
    message = _load_bytes(data, args.content_type, args.strict)
    if args.json:
        print(_describe.render_json(message.to_dict()))
    else:
        print(_describe.render_text(message))
    if args.extract:
        for written in _extract(message, Path(args.extract)):
            print(terminal_safe(f"wrote {written}"), file=sys.stderr)
    return 0


# -- encode from the JSON form -----------------------------------------------------------------


def _message_from_json(data: bytes, base: Path) -> Message:
    """The message the JSON form in ``data`` describes (``Message.from_dict``); parts given by
    ``path`` are read relative to ``base``."""
    try:
        description = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _InputError(f"not a JSON description: {error}") from None
    try:
        return Message.from_dict(description, base_dir=base)
    except DecodeError as error:
        where = f" (at {error.where})" if error.where else ""
        raise _InputError(f"{error.reason}{where}") from None


def _cmd_encode(args: argparse.Namespace) -> int:
    # Part paths are read from inside the description's folder (the current one for stdin).
    base = Path.cwd() if args.description == _STDIN else Path(args.description).parent
    message = _message_from_json(_read_input(args.description), base)
    encoded = encode_stream(message)
    out = sys.stdout.buffer if args.output in (None, "-") else open(args.output, "wb")  # noqa: SIM115
    try:
        if args.body_only:
            print(f"Content-Type: {encoded.content_type}", file=sys.stderr)
        else:
            head = [
                "POST /mm7 HTTP/1.1",
                f"Host: {args.host}",
                f"Content-Type: {encoded.content_type}",
                'SOAPAction: ""',
            ]
            if encoded.content_length is not None:
                head.append(f"Content-Length: {encoded.content_length}")
            out.write(("\r\n".join(head) + "\r\n\r\n").encode("ascii"))
        for chunk in encoded.chunks():
            out.write(chunk)
    finally:
        if args.output not in (None, "-"):
            out.close()
    return 0


def _load_message(path: Path, content_type: str | None = None) -> Message:
    """A message from a JSON description, a captured HTTP message or a bare body."""
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip().startswith(b"{"):
        return _message_from_json(data, path.parent)
    return _load(path, content_type, strict=False)


def _cmd_schema(args: argparse.Namespace) -> int:
    print(_describe.render_json(json_schema(args.version)))
    return 0


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
    parser = _Parser(prog="python -m mm7codec", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    decode_cmd = commands.add_parser("decode", help="decode a body or a captured HTTP message")
    source = decode_cmd.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "file", nargs="?", help="the body, or a whole HTTP capture ('-': standard input)"
    )
    source.add_argument("--sample", help="decode a sample shipped with mm7codec (see 'samples')")
    decode_cmd.add_argument("--content-type", help="Content-Type of a bare body (else sniffed)")
    decode_cmd.add_argument("--json", action="store_true", help="machine-readable output")
    decode_cmd.add_argument("--strict", action="store_true", help="refuse every deviation")
    decode_cmd.add_argument("--extract", metavar="DIR", help="write the content parts to DIR")
    decode_cmd.set_defaults(run=_cmd_decode)

    encode_cmd = commands.add_parser("encode", help="encode a message given in the JSON form")
    encode_cmd.add_argument(
        "description", help="the JSON form, as decode --json prints it ('-': standard input)"
    )
    encode_cmd.add_argument(
        "--host", default="localhost", help="the Host header of the capture (default: localhost)"
    )
    encode_cmd.add_argument("-o", "--output", help="output file (default: standard output)")
    encode_cmd.add_argument(
        "--body-only", action="store_true", help="write the body; Content-Type goes to stderr"
    )
    encode_cmd.add_argument("--json", action="store_true", help="report errors as JSON")
    encode_cmd.set_defaults(run=_cmd_encode)

    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of the JSON form")
    schema_cmd.add_argument(
        "--version", help="only this MM7Version's messages and fields (default: every version)"
    )
    schema_cmd.add_argument(
        "--json", action="store_true", help="the JSON Schema (the one output; errors as JSON)"
    )
    schema_cmd.set_defaults(run=_cmd_schema)

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
    except BrokenPipeError:  # the reader went away (| head): nothing to say, nowhere to say it
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's flush is quiet
        return 1
    except Exception as error:  # the command line's one place for every failure
        _report_failure(error, as_json=bool(getattr(args, "json", False)))
        return 2


def _report_failure(error: Exception, *, as_json: bool) -> None:
    """One line on standard error: the error's kind, its reason, and its MM7 status when it
    concerns MM7 input (an ``MM7Error``); a JSON object with ``--json``."""
    status = error.status_code if isinstance(error, MM7Error) else None
    reason = error.reason if isinstance(error, MM7Error) else str(error) or type(error).__name__
    kind = type(error).__name__
    if as_json:
        line = json.dumps({"error": kind, "reason": reason, "status": status})
    elif isinstance(error, _InputError):
        line = terminal_safe(f"error: {reason}")
    else:  # an MM7Error's text says where, and ends with its MM7 status
        line = terminal_safe(f"error: {kind}: {error if status is not None else reason}")
    print(" ".join(line.splitlines()), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
