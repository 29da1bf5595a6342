"""The seeded benchmark corpus: realistic MM7 traffic, generated (never taken from peers).

Each case is encoded once with mm7codec; the baselines then read the very same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import mm7codec

SEED = 23140
STAMP = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    name: str
    message: mm7codec.Message
    content_type: str
    body: bytes
    has_content: bool
    small: bool


def _payload(size: int, salt: int) -> bytes:
    return random.Random(SEED + salt).randbytes(size)


def _smil() -> mm7codec.Part:
    smil = (
        '<smil><head><layout><root-layout width="320" height="480"/>'
        '<region id="Image" top="0" left="0" height="75%" width="100%"/>'
        '<region id="Text" top="75%" left="0" height="25%" width="100%"/></layout></head>'
        '<body><par dur="5000ms"><img src="cid:image" region="Image"/>'
        '<text src="cid:text" region="Text"/></par></body></smil>'
    )
    return mm7codec.Part.from_bytes(smil.encode(), "application/smil", content_id="smil")


def _deliver(image_size: int) -> mm7codec.DeliverReq:
    return mm7codec.DeliverReq(
        transaction_id=f"mo-{image_size}",
        version="6.8.0",
        mms_relay_server_id="mmsc.example.net",
        linked_id="link-7",
        sender=mm7codec.Address("15553199144"),
        recipients=mm7codec.Recipients(to=[mm7codec.Address("12345", "ShortCode")]),
        time_stamp=STAMP,
        priority="Normal",
        subject="Photo",
        content=mm7codec.Part.multipart(
            [
                _smil(),
                mm7codec.Part.from_text("Greetings from the beach!", content_id="text"),
                mm7codec.Part.from_bytes(
                    _payload(image_size, image_size), "image/jpeg", content_id="image"
                ),
            ],
            "related",
            content_id="mms",
            params={"type": "application/smil", "start": "<smil>"},
        ),
    )


def _messages() -> list[tuple[str, mm7codec.Message]]:
    report = mm7codec.DeliveryReportReq(
        transaction_id="dr-1",
        version="6.8.0",
        mms_relay_server_id="mmsc.example.net",
        message_id="041502073667",
        recipient=mm7codec.Address("15553199144"),
        sender=mm7codec.Address("12345", "ShortCode"),
        date=STAMP,
        mm_status="Retrieved",
        status_text="Delivered",
    )
    video = mm7codec.SubmitReq(
        transaction_id="mt-video",
        version="6.8.0",
        vasp_id="api-key-0001",
        vas_id="12345",
        sender_address=mm7codec.Address("12345", "ShortCode"),
        recipients=mm7codec.Recipients(to=["15553199144"]),
        subject="Video",
        delivery_report=True,
        content=mm7codec.Part.multipart(
            [
                mm7codec.Part.from_text("Watch this", content_id="text"),
                mm7codec.Part.from_bytes(
                    _payload(20 * 1024 * 1024, 3), "video/3gpp", content_id="video"
                ),
            ],
            "mixed",
            content_id="mms",
        ),
    )
    submit_rsp = mm7codec.SubmitRsp(
        transaction_id="mt-1", version="6.8.0", message_id="041502073667"
    )
    return [
        ("delivery-report", report),
        ("deliver-30k", _deliver(30 * 1024)),
        ("deliver-1m", _deliver(1024 * 1024)),
        ("submit-20m", video),
        ("submit-rsp", submit_rsp),
    ]


@cache
def cases() -> tuple[Case, ...]:
    built = []
    for name, message in _messages():
        content_type, body = mm7codec.encode(message)
        has_content = getattr(message, "content", None) is not None
        built.append(Case(name, message, content_type, body, has_content, len(body) < 4096))
    return tuple(built)


def case(name: str) -> Case:
    return next(c for c in cases() if c.name == name)
