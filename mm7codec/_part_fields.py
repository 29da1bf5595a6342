"""What a MIME part's header fields say, read alike by the push parser's part builder and by
the one-pass reader of whole bodies: each hands its own ``report`` (the one-pass reader's
stops at the first word, so the push parser then reads the body and says it)."""

from __future__ import annotations

from ._mime import Report
from ._mime.headers import decode_words, parse_content_type, strip_angle_brackets
from ._mime.transfer import TransferDecoder, make_decoder
from ._parts import Headers

__all__ = ["read_part_head", "read_part_ids"]

# The part headers the decoder reads, each of which a part may carry once.
_SINGLE_HEADERS = frozenset(
    {"content-type", "content-transfer-encoding", "content-id", "content-location"}
)


def read_part_head(
    fields: list[tuple[str, str]], report: Report
) -> tuple[Headers, str, dict[str, str], TransferDecoder]:
    """The headers, media type, parameters (the part's own to change) and transfer decoder of
    a part, from its header fields: what is known before its body is read."""
    headers = Headers(fields)
    if headers.repeats_a_name():
        _report_repeats(fields, report)
    media_type, params = parse_content_type(headers.get("content-type", "text/plain"), report)
    transfer = make_decoder(headers.get("content-transfer-encoding"), report)
    return headers, media_type, params, transfer


def _report_repeats(fields: list[tuple[str, str]], report: Report) -> None:
    """Report a header the decoder reads given more than once: the first is used, and a
    second Content-Transfer-Encoding or Content-Type is a known way to make a scanner and the
    recipient read a part differently."""
    seen: dict[str, str] = {}
    for name, value in fields:
        key = name.lower()
        if key not in _SINGLE_HEADERS:
            continue
        if key in seen:
            report(
                "duplicate-header",
                f"{name} is given again ({value[:40]!r}); the first ({seen[key][:40]!r}) is used",
            )
        else:
            seen[key] = value


def read_part_ids(headers: Headers, report: Report) -> tuple[str | None, str | None]:
    """The part's Content-ID (without its angle brackets) and Content-Location (its encoded
    words decoded)."""
    content_id = headers.get("content-id")
    if content_id is not None:
        content_id, bracketed = strip_angle_brackets(content_id)
        if not bracketed:
            report("content-id-without-brackets", f"Content-ID {content_id!r}")
    location = headers.get("content-location")
    if location is not None:
        location = decode_words(location, report)
    return content_id, location
