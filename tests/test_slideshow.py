"""Part.slideshow and Slide: SMIL-rooted content built from slides, and read back."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mm7codec
from mm7codec import DecodeError, EncodeError, Part, Recipients, Slide, SubmitReq

from .complexity import assert_linear


def _jpeg(size: int = 300, seed: int = 1) -> Part:
    return Part.from_bytes(bytes((seed + i) % 256 for i in range(size)), "image/jpeg")


def _through_the_wire(content: Part) -> Part:
    message = SubmitReq(recipients=Recipients(to=["15551234567"]), content=content)
    content_type, body = mm7codec.encode(message)
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert isinstance(decoded, SubmitReq) and decoded.content is not None
    return decoded.content


def test_slides_survive_encoding_and_decoding() -> None:
    image, audio = _jpeg(), Part.from_bytes(b"#!AMR\n" + bytes(40), "audio/amr")
    video = Part.from_bytes(b"\x00\x00\x00\x18ftyp3gp4" + bytes(30), "video/3gpp")
    slides = [
        Slide(image=image, text="Hello, world", duration=5),
        Slide(text=Part.from_text("second <slide> & more"), audio=audio, duration=2.5),
        Slide(video=video),
    ]
    show = Part.slideshow(slides, content_id="show")
    decoded = _through_the_wire(show)
    read = Slide.from_slideshow(decoded)
    assert read == Slide.from_slideshow(show)
    assert [s.text for s in read] == ["Hello, world", "second <slide> & more", None]
    assert [s.duration for s in read] == [5, 2.5, None]
    assert read[0].image is not None and read[0].image.body == image.body
    assert read[1].audio is not None and read[1].audio.body == audio.body
    assert read[2].video is not None and read[2].video.content_type == "video/3gpp"
    assert read[2].image is None and read[0].video is None


def test_smil_parses_and_names_every_part_by_a_linked_id() -> None:
    show = Part.slideshow(
        [Slide(image=_jpeg(), text="one"), Slide(image=_jpeg(seed=9), text="two", duration=1)]
    )
    assert show.content_type == "multipart/related"
    assert show.params["type"] == "application/smil"
    root, *media = show.parts
    assert show.params["start"] == f"<{root.content_id}>"
    assert root.content_type == "application/smil"
    document = ET.fromstring(root.body)
    assert document.tag == "smil"
    regions = {r.get("id") for r in document.iter("region")}
    assert regions == {"Image", "Text"}
    sources = [e.get("src") for e in document.iter() if e.get("src") is not None]
    assert sources == [f"cid:{part.content_id}" for part in media]
    for part in media:
        assert part.content_id == part.content_location
    assert len({part.content_id for part in show.parts}) == len(show.parts)
    assert [par.get("dur") for par in document.iter("par")] == [None, "1000ms"]


def test_a_callers_file_name_is_kept_when_it_is_safe_and_unique() -> None:
    kept = Part.from_bytes(b"x" * 10, "image/png", content_location="logo.png")
    unsafe = Part.from_bytes(b"y" * 10, "image/png", content_location='bad "name".png')
    again = Part.from_bytes(b"z" * 10, "image/png", content_location="logo.png")
    show = Part.slideshow([Slide(image=kept), Slide(image=unsafe), Slide(image=again)])
    names = [part.content_location for part in show.parts[1:]]
    assert names == ["logo.png", "slide2-image.png", "slide3-image.png"]


@pytest.mark.parametrize(
    ("slides", "complaint"),
    [
        ([], "at least one slide"),
        ([Slide()], "empty slide"),
        ([Slide(image=_jpeg(), video=Part.from_bytes(b"v", "video/mp4"))], "not both"),
        ([Slide(text="t", duration=0)], "millisecond or more"),
        ([Slide(text="t", duration=0.0004)], "millisecond or more"),
        ([Slide(text="t", duration=float("inf"))], "millisecond or more"),
        ([Slide(text="t", duration=float("nan"))], "millisecond or more"),
        ([Slide(text=Part.from_bytes(b"x", "image/gif"))], "not text/*"),
        ([Slide(image=Part.multipart([_jpeg()]))], "single part"),
    ],
)
def test_impossible_slides_are_refused(slides: list[Slide], complaint: str) -> None:
    with pytest.raises(EncodeError, match=complaint):
        Part.slideshow(slides)


def test_a_peers_smil_that_names_parts_by_location_is_read() -> None:
    smil = (
        b'<smil><head><layout><region id="Image"/></layout></head><body>'
        b'<par dur="5000ms"><img src="photo.jpg" region="Image"/><text src="t.txt"/></par>'
        b"</body></smil>"
    )
    content = Part.multipart(
        [
            Part.from_bytes(smil, "application/smil", content_id="smil"),
            Part.from_bytes(b"jpeg", "image/jpeg", content_id="x1", content_location="photo.jpg"),
            Part.from_text("caption", content_id="t.txt"),
        ],
        "related",
        params={"start": "<smil>", "type": "application/smil"},
    )
    [slide] = Slide.from_slideshow(content)
    assert slide.image is not None and slide.image.body == b"jpeg"
    assert slide.text == "caption" and slide.duration == 5


@pytest.mark.parametrize(
    ("smil", "complaint"),
    [
        (b'<smil><body><par><img src="cid:missing"/></par></body></smil>', "no part has"),
        (b"<smil><body><par>", "does not parse"),
        (b"<html/>", "no <smil><body>"),
        (b'<smil><body><par dur="soon"/></body></smil>', "not a clock value"),
        (b'<?xml version="1.0" encoding="punycode"?><smil/>', "encoding"),
        (b'<!DOCTYPE s [<!ENTITY a "b">]><smil><body/></smil>', "does not parse"),
    ],
)
def test_broken_smil_is_a_decode_error(smil: bytes, complaint: str) -> None:
    content = Part.multipart([Part.from_bytes(smil, "application/smil", content_id="s")], "related")
    with pytest.raises(DecodeError, match=complaint):
        Slide.from_slideshow(content)


def test_content_without_smil_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="no SMIL"):
        Slide.from_slideshow(Part.multipart([_jpeg()], "related"))


_media = st.binary(min_size=1, max_size=200)
_slides = st.builds(
    Slide,
    image=st.none() | _media.map(lambda b: Part.from_bytes(b, "image/gif")),
    text=st.none() | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))),
    audio=st.none() | _media.map(lambda b: Part.from_bytes(b, "audio/amr")),
    duration=st.none() | st.integers(1, 600_000).map(lambda ms: ms / 1000),
).filter(lambda s: s.image is not None or s.text is not None or s.audio is not None)


@given(st.lists(_slides, min_size=1, max_size=5))
def test_any_slides_come_back_the_same(slides: list[Slide]) -> None:
    read = Slide.from_slideshow(_through_the_wire(Part.slideshow(slides)))
    assert len(read) == len(slides)
    for given_slide, back in zip(slides, read, strict=True):
        assert back.text == given_slide.text
        assert back.duration == given_slide.duration
        for role in ("image", "audio"):
            sent, got = getattr(given_slide, role), getattr(back, role)
            assert (sent is None) == (got is None)
            if sent is not None:
                assert got.body == sent.body and got.content_type == sent.content_type


def test_a_doctype_without_entities_is_read() -> None:
    smil = b'<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 2.0//EN" "x"><smil><body><par/></body></smil>'
    content = Part.multipart([Part.from_bytes(smil, "application/smil", content_id="s")], "related")
    assert len(Slide.from_slideshow(content)) == 1


def test_reading_durations_is_linear() -> None:
    def build(n: int) -> Part:
        smil = b'<smil><body><par dur="1' + b" " * n + b'x"/></body></smil>'
        return Part.multipart([Part.from_bytes(smil, "application/smil", content_id="s")])

    def run(content: Part) -> None:
        with pytest.raises(DecodeError):
            Slide.from_slideshow(content)

    assert_linear(build, run, 20_000, what="SMIL dur with a run of spaces")
