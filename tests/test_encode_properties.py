"""Typed failure only, encode side: whatever text or number a message holds, ``encode`` either
refuses it with ``EncodeError`` or writes bytes that a strict decoder reads back as the very
message that was built (every part's bytes and every parameter included).

The messages come from ``mm7codec.strategies.messages``; hostile values are then put into
their text and number fields and into every attribute of their parts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from hypothesis import event, given, note, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import Fault, Headers, Part
from mm7codec._spec import SPEC
from mm7codec.strategies import messages, parts

# Characters that have broken encoders: controls (C0, DEL, C1), line breaks of every kind,
# lone surrogates, non-characters, MIME and XML syntax, and what URL and RFC 2231 readers
# unescape.
_SPECIAL = [
    "\x00",
    "\x01",
    "\x08",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9f",
    "\t",
    "\r",
    "\n",
    " ",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "é",
    "%",
    '"',
    "\\",
    "'",
    "*",
    ";",
    "=",
    "?",
    "<",
    ">",
    "&",
]
# Whole pieces of syntax that readers interpret: encoded words (complete, broken, nested in
# quotes), RFC 2231 sections, a boundary prefix, the MM1 number suffix, cid: URLs.
_FRAGMENTS = [
    "\r\n",
    "%41",
    "%%",
    "]]>",
    "&#0;",
    "&amp;",
    "=?utf-8?q?=2E=2E/evil?=",
    "=?utf-8?b?Li4vZXZpbA==?=",
    "=?iso-8859-1?q?caf=E9?=",
    "=?utf-8?q?",
    "?=",
    "=?",
    "''",
    "utf-8''%41",
    "*0*=",
    "--=_mm7codec_2_",
    "/TYPE=PLMN",
    "cid:",
    "name*=x",
    ' charset="x"',
]


def hostile_text() -> st.SearchStrategy[str]:
    """Text built to be misread: the special characters and fragments above mixed with any
    Unicode (surrogates included), padded or not, sometimes far past every length limit."""
    alphabet = st.characters(codec=None, categories=None) | st.sampled_from(_SPECIAL)
    piece = st.sampled_from(_FRAGMENTS) | st.text(alphabet, max_size=6)
    mixed = st.lists(piece, max_size=6).map("".join)
    padded = st.tuples(st.sampled_from(["", " ", "\t", "\r\n"]), mixed, st.sampled_from(["", " "]))
    long = st.tuples(
        st.sampled_from(["a", "=?", "é", "%", " "]), st.sampled_from([3000, 9000])
    ).map(lambda pair: pair[0] * pair[1])
    return st.one_of(mixed, padded.map("".join), long, st.sampled_from(_FRAGMENTS))


def hostile_integers() -> st.SearchStrategy[int]:
    return st.one_of(
        st.integers(),
        st.sampled_from([0, -1, 10**18 - 1, 10**18, 2**63, 2**64, 10**4299, 10**5000]),
    )


def _parameter_names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            ["name", "charset", "CHARSET", "Name", "boundary", "BOUNDARY", "name*", "name*0"]
        ),
        st.sampled_from(["name*1*", "filename", "start", "type", "x-a"]),
        hostile_text(),
    )


def _sometimes(data: st.DataObject, label: str) -> bool:
    """One time in four: most values stay valid, so most messages still encode."""
    return data.draw(st.integers(0, 3), label=label) == 0


def _mutate_part(part: Part, data: st.DataObject) -> Part:
    changes: dict[str, Any] = {}
    if _sometimes(data, "mutate content_id"):
        changes["content_id"] = data.draw(hostile_text(), label="content_id")
    if _sometimes(data, "mutate content_location"):
        changes["content_location"] = data.draw(hostile_text(), label="content_location")
    if _sometimes(data, "mutate params"):
        params = dict(part.params)
        for name in list(params):
            if data.draw(st.booleans()):
                params[name] = data.draw(hostile_text(), label=f"param {name}")
        extra = data.draw(
            st.dictionaries(_parameter_names(), hostile_text(), max_size=2), label="params"
        )
        changes["params"] = {**params, **extra}
    if _sometimes(data, "mutate headers"):
        pairs = st.tuples(hostile_text(), hostile_text())
        changes["headers"] = Headers(data.draw(st.lists(pairs, max_size=2), label="headers"))
    if part.parts:
        changes["parts"] = tuple(_mutate_part(child, data) for child in part.parts)
    return dataclasses.replace(part, **changes)


# A message's version and namespace pick its schema; an unknown namespace is written on
# purpose (a reply echoes what the peer sent) and a strict reader reports it, so those two
# are left alone. A Fault's namespace is free text and is mutated.
_SKIPPED_FIELDS = frozenset({"deviations", "version", "namespace"})
_FAULT_SKIPPED_FIELDS = frozenset({"deviations", "version"})


def _mutate(value: Any, data: st.DataObject, where: str) -> Any:
    """``value`` with some of its text and numbers, at any depth, replaced by hostile ones."""
    if isinstance(value, Part):
        return _mutate_part(value, data)
    if isinstance(value, str):
        if _sometimes(data, f"mutate {where}?"):
            return data.draw(hostile_text(), label=where)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if _sometimes(data, f"mutate {where}?"):
            return data.draw(hostile_integers(), label=where)
        return value
    if isinstance(value, tuple):
        return tuple(_mutate(item, data, f"{where}[{i}]") for i, item in enumerate(value))
    if isinstance(value, mm7codec.Recipients):  # its kinds are structure, its addresses data
        return mm7codec.Recipients.of_groups(
            (kind, _mutate(addresses, data, f"{where}.{kind}")) for kind, addresses in value.groups
        )
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _mutate(getattr(value, field.name), data, f"{where}.{field.name}")
            for field in dataclasses.fields(value)
            if field.init
            and field.name
            not in (_FAULT_SKIPPED_FIELDS if isinstance(value, Fault) else _SKIPPED_FIELDS)
        }
        return dataclasses.replace(value, **changes)
    return value


def _without_boundary(part: Part) -> Part:
    """A multipart's boundary is the encoder's choice (documented on ``Part``)."""
    params: Mapping[str, str] = part.params
    if part.is_multipart:
        params = {k: v for k, v in part.params.items() if k != "boundary"}
    return dataclasses.replace(
        part, params=params, parts=tuple(_without_boundary(child) for child in part.parts)
    )


def _as_sent(message: mm7codec.Message) -> mm7codec.Message:
    """What the wire can carry of ``message``: a Fault's detail has no TransactionID of its
    own, and a Fault's namespace and version are its detail's (a Fault without a detail has
    no MM7Version on the wire: it reads as the newest version of its namespace, else the
    newest of all)."""
    if isinstance(message, Fault):
        if message.detail is None:
            versions = [
                mm7codec.MM7Version.parse(text)
                for text, index in SPEC.versions
                if SPEC.namespaces[index] == message.namespace
            ]
            newest = str(max(versions)) if versions else mm7codec.LATEST_VERSION
            return dataclasses.replace(message, version=newest)
        detail = dataclasses.replace(message.detail, transaction_id=message.transaction_id)
        return dataclasses.replace(
            message,
            detail=detail,
            version=detail.version,
            namespace=detail.namespace,
        )
    content = getattr(message, "content", None)
    if isinstance(content, Part):
        return dataclasses.replace(message, content=_without_boundary(content))  # type: ignore[call-arg]
    return message


def _check_round_trip(message: mm7codec.Message) -> None:
    try:
        content_type, body = mm7codec.encode(message)
    except mm7codec.EncodeError as error:
        note(f"refused: {error}")
        event("refused", error.reason.split(" ")[0])
        return
    event("encoded")
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded == _as_sent(message)
    content = getattr(message, "content", None)
    if isinstance(content, Part):
        sent = list(_without_boundary(content).walk())
        received = list(decoded.content.walk())  # type: ignore[attr-defined]
        assert [dict(p.params) for p in received] == [dict(p.params) for p in sent]
        assert [p.body for p in received] == [p.body for p in sent]


@settings(max_examples=75)
@given(messages(), st.data())
def test_hostile_values_anywhere_encode_exactly_or_are_refused(
    message: mm7codec.Message, data: st.DataObject
) -> None:
    _check_round_trip(_mutate(message, data, type(message).__name__))


@settings(max_examples=75)
@given(parts(), st.data())
def test_hostile_part_attributes_encode_exactly_or_are_refused(
    content: Part, data: st.DataObject
) -> None:
    if content.content_id is None:  # left out, the encoder would make one up
        content = dataclasses.replace(content, content_id="content@x")
    message = mm7codec.SubmitReq(
        transaction_id="t-1",
        recipients=mm7codec.Recipients(to=["15553199144"]),
        content=_mutate_part(content, data),
    )
    _check_round_trip(message)
