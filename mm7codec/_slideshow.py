"""MMS slideshows: slides in, a SMIL-rooted ``multipart/related`` out, and back.

Handsets render MMS content by its SMIL presentation: a layout with one region for the visual
(image or video) and one for text, and a ``<par>`` per slide naming its media. This module
writes the SMIL that handsets render (the SMIL 2.0 MMS profile as commonly sent: no namespace,
``root-layout`` plus two regions, ``dur`` in milliseconds on each ``par``), gives every media
part a Content-ID and an identical Content-Location so that either way of resolving ``src``
finds it, and reads such a presentation back into slides.
"""

from __future__ import annotations

import math
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from ._errors import DecodeError, EncodeError, LimitExceeded
from ._lexical import escape_attribute
from ._limits import DEFAULT_LIMITS
from ._parts import Part
from ._xml import local_name
from ._xml_encoding import to_utf8

__all__ = ["Slide", "slideshow"]

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SMIL_NAME = "slideshow.smil"
_LAYOUT = (
    "<head><layout>"
    '<root-layout width="100%" height="100%"/>'
    '<region id="Image" left="0" top="0" width="100%" height="80%" fit="meet"/>'
    '<region id="Text" left="0" top="80%" width="100%" height="20%" fit="scroll"/>'
    "</layout></head>"
)
#: Extensions of MMS media types the platform's table may not know.
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "audio/amr": ".amr",
    "audio/mpeg": ".mp3",
    "video/3gpp": ".3gp",
    "video/mp4": ".mp4",
}
#: SMIL media element -> the Slide attribute it fills.
_ROLE_OF = {"img": "image", "image": "image", "video": "video", "text": "text", "audio": "audio"}
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s)?")


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: at most one visual (``image`` or ``video``), optional ``text`` (a ``str`` or
    a text part), optional ``audio``, and how long it shows (``duration`` in seconds, kept to
    the millisecond; None leaves it to the handset)."""

    image: Part | None = None
    text: str | Part | None = None
    audio: Part | None = None
    video: Part | None = None
    duration: float | None = None

    @classmethod
    def from_slideshow(cls, content: Part) -> tuple[Slide, ...]:
        """The slides of a SMIL-rooted content part (as ``Part.slideshow`` builds it or a
        peer sends it); text comes back as ``str``. Raises ``DecodeError`` when there is no
        SMIL, it does not parse, or it names a part the content does not have."""
        return _read(content)


def slideshow(slides: Iterable[Slide], *, content_id: str | None = None) -> Part:
    """A ``multipart/related`` whose root is the SMIL presentation of ``slides``, followed
    by every media part, each with a Content-ID and the same Content-Location."""
    slides = tuple(slides)
    if not slides:
        raise EncodeError("a slideshow needs at least one slide", where="slides")
    taken = {_SMIL_NAME}
    media: list[Part] = []
    pars: list[str] = []
    for number, slide in enumerate(slides, 1):
        where = f"slides[{number - 1}]"
        _check(slide, where)
        elements: list[str] = []
        for role, tag, region, part in _roles(slide):
            named = _named(part, f"slide{number}-{role}", taken, where)
            media.append(named)
            src = escape_attribute(f"cid:{named.content_id}")
            region_attr = f' region="{region}"' if region else ""
            elements.append(f'<{tag} src="{src}"{region_attr}/>')
        dur = "" if slide.duration is None else f' dur="{round(slide.duration * 1000)}ms"'
        pars.append(f"<par{dur}>{''.join(elements)}</par>")
    smil = f"<smil>{_LAYOUT}<body>{''.join(pars)}</body></smil>".encode()
    root = Part.from_bytes(
        smil,
        "application/smil",
        content_id=_SMIL_NAME,
        content_location=_SMIL_NAME,
        params={"charset": "utf-8"},
    )
    return Part.multipart(
        [root, *media],
        "related",
        content_id=content_id,
        params={"type": "application/smil", "start": f"<{_SMIL_NAME}>"},
    )


def _check(slide: Slide, where: str) -> None:
    if slide.image is not None and slide.video is not None:
        raise EncodeError("a slide shows one visual: an image or a video, not both", where=where)
    if slide.image is None and slide.video is None and slide.text is None and slide.audio is None:
        raise EncodeError("an empty slide", where=where)
    if slide.duration is not None and not (
        math.isfinite(slide.duration) and slide.duration >= 0.001
    ):
        raise EncodeError(
            f"duration {slide.duration!r} is not a time of a millisecond or more", where=where
        )
    for role in ("image", "audio", "video"):
        part = getattr(slide, role)
        if part is not None and part.is_multipart:
            raise EncodeError(f"the {role} must be a single part, not a multipart", where=where)
    if isinstance(slide.text, Part) and not slide.text.content_type.startswith("text/"):
        raise EncodeError(f"text part is {slide.text.content_type}, not text/*", where=where)


def _roles(slide: Slide) -> list[tuple[str, str, str, Part]]:
    """(role, SMIL element, region, part) for each medium of the slide, in SMIL order."""
    found: list[tuple[str, str, str, Part]] = []
    if slide.image is not None:
        found.append(("image", "img", "Image", slide.image))
    if slide.video is not None:
        found.append(("video", "video", "Image", slide.video))
    if slide.text is not None:
        text = Part.from_text(slide.text) if isinstance(slide.text, str) else slide.text
        found.append(("text", "text", "Text", text))
    if slide.audio is not None:
        found.append(("audio", "audio", "", slide.audio))
    return found


def _named(part: Part, stem: str, taken: set[str], where: str) -> Part:
    """The part with one unique, URL-safe name as both its Content-ID and Content-Location:
    the caller's Content-Location when it is such a name, else one made from ``stem``."""
    wanted = part.content_location
    if wanted is None or not _SAFE_NAME.fullmatch(wanted) or wanted in taken:
        extension = (
            _EXTENSIONS.get(part.content_type)
            or mimetypes.guess_extension(part.content_type)
            or ".bin"
        )
        wanted = f"{stem}{extension}"
        if wanted in taken:
            raise EncodeError(f"two parts would both be named {wanted!r}", where=where)
    taken.add(wanted)
    return replace(part, content_id=wanted, content_location=wanted)


# -- reading ------------------------------------------------------------------------------------


def _smil_root(content: Part) -> Part:
    start = content.params.get("start", "").strip().strip("<>")
    leaves = [part for part in content.parts if not part.is_multipart]
    for part in leaves:
        if start and part.content_id == start:
            return part
    for part in leaves:
        if part.content_type == "application/smil":
            return part
    raise DecodeError("the content has no SMIL part", where="content")


def _resolve(src: str, parts: Sequence[Part]) -> Part:
    if src.lower().startswith("cid:"):
        wanted = unquote(src[4:])
        for part in parts:
            if part.content_id == wanted:
                return part
    else:
        for attribute in ("content_location", "content_id"):
            for part in parts:
                if getattr(part, attribute) == src:
                    return part
    raise DecodeError(f"the SMIL names {src!r}, which no part has", where="content")


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    match = _DURATION.fullmatch(value.strip())
    if match is None:
        raise DecodeError(f"SMIL duration {value!r} is not a clock value", where="content")
    number = float(match[1])
    return number / 1000 if match[2] == "ms" else number


def _read(content: Part) -> tuple[Slide, ...]:
    smil = _smil_root(content)
    if (smil.size or 0) > DEFAULT_LIMITS.max_envelope_size:
        raise LimitExceeded("max_envelope_size", DEFAULT_LIMITS.max_envelope_size)
    # SMIL often carries a DOCTYPE, which the envelope parser refuses; defusedxml allows it
    # but no entity. The encoding goes through the same allow-list as envelopes, and the
    # parser is told UTF-8, so no codec is looked up by the name the document declares.
    parser = DefusedXMLParser(encoding="utf-8")
    try:
        parser.feed(to_utf8(smil.body))
        document: Element = parser.close()
    except (ParseError, DefusedXmlException) as error:
        raise DecodeError(f"the SMIL does not parse: {error}", where="content") from None
    body = next((child for child in document if local_name(child) == "body"), None)
    if local_name(document) != "smil" or body is None:
        raise DecodeError("the SMIL has no <smil><body>", where="content")
    media = [part for part in content.parts if part is not smil]
    slides: list[Slide] = []
    for par in body:
        children = list(par) if local_name(par) == "par" else [par]
        found: dict[str, Part] = {}
        for element in children:
            role = _ROLE_OF.get(local_name(element))
            src = element.get("src")
            if role is None or src is None:
                continue
            found[role] = _resolve(src, media)
        text = found.get("text")
        slides.append(
            Slide(
                image=found.get("image"),
                text=None if text is None else text.text,
                audio=found.get("audio"),
                video=found.get("video"),
                duration=_seconds(par.get("dur")) if local_name(par) == "par" else None,
            )
        )
    return tuple(slides)
