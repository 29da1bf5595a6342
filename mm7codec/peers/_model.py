"""What a peer profile says, as frozen dataclasses; the TOML files map onto them one to one.

Every fact carries ``source`` (a key of the profile's ``[sources]`` table, then where in it)
and ``confidence`` as the peer facts are tagged: ``V`` stated by the source, ``S`` only seen
in a published sample, ``I`` inferred from two stated facts. The loader checks every key and
type against these classes, so the classes are also the profile file's schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .._conversion import Conversion
    from .._messages import Message
    from ._findings import Finding, PeerStatus

__all__ = [
    "Base64Estimate",
    "Callbacks",
    "Confidence",
    "ContentRules",
    "DisplayOnlyRule",
    "ElementRule",
    "HeaderRule",
    "Level",
    "Operations",
    "PeerProfile",
    "RecipientRules",
    "Retry",
    "SizeLimit",
    "Source",
    "StatusEntry",
    "SubjectRules",
    "SubmitRules",
    "Transport",
    "Variant",
    "Versions",
]

Confidence = Literal["V", "S", "I"]
Level = Literal["error", "warning", "info"]
Retry = Literal["never", "later", "fix"]
Policy = Literal["pass", "strip", "error", "default", "required", "required_if"]
Measure = Literal["binary", "base64", "http_body"]
RecipientList = Literal["To", "Cc", "Bcc"]
AddressForm = Literal["Number", "ShortCode", "RFC2822Address"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where facts come from: a web page, or a file of a Git repository at a commit."""

    title: str
    url: str | None = None
    repo: str | None = None
    path: str | None = None
    commit: str | None = None
    as_of: str | None = None


@dataclass(frozen=True, slots=True)
class Variant:
    """A named sub-profile (Sinch ``10dlc`` vs ``standard-mms``) that some rules apply to."""

    description: str
    source: str
    confidence: Confidence
    #: Number types this offering uses; lint takes the first when none is given.
    number_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Versions:
    """Which MM7Version values (and namespaces) the peer accepts on submit."""

    #: The version to send when the message's own is not accepted.
    preferred: str
    source: str
    confidence: Confidence
    #: Accepted versions: this set, or the range accept_min..accept_max, or both.
    accept: tuple[str, ...] = ()
    accept_min: str | None = None
    accept_max: str | None = None
    #: Version -> namespace tail (``REL-6-MM7-1-4``) as the peer pairs them; versions not
    #: listed use the library's standard pairing.
    namespaces: Mapping[str, str] = field(default_factory=dict)
    #: How a namespace other than the expected one is reported.
    namespace_mismatch: Level = "warning"
    unsupported_version_code: int | None = None
    unsupported_namespace_code: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Operations:
    """The body elements the peer accepts from us (requests we send it)."""

    supported: tuple[str, ...]
    source: str
    confidence: Confidence
    unsupported_code: int | None = None


@dataclass(frozen=True, slots=True)
class ElementRule:
    """What the peer does with one SubmitReq element or attribute (``Element`` or
    ``Element@attribute``), in the peer's own words: pass, strip, error, default, required,
    or required only under a ``condition``."""

    policy: Policy
    source: str
    confidence: Confidence
    code: int | None = None
    #: The code is not in the rule's own table but inferred from the peer's status list.
    code_inferred: bool = False
    default: str | None = None
    condition: str | None = None
    #: Applies only in these variants (empty: always).
    variants: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class DisplayOnlyRule:
    """Group messages: exactly one recipient without ``displayOnly``; the others display
    only. Outside ``variants`` the recipient limit applies as usual."""

    variants: tuple[str, ...]
    source: str
    confidence: Confidence
    all_true_code: int | None = None
    many_false_code: int | None = None


@dataclass(frozen=True, slots=True)
class RecipientRules:
    source: str
    confidence: Confidence
    #: How many recipients the message may have (None: no documented limit).
    max: int | None = None
    too_many_code: int | None = None
    lists: tuple[RecipientList, ...] = ("To", "Cc", "Bcc")
    address_forms: tuple[AddressForm, ...] = ("Number", "ShortCode", "RFC2822Address")
    #: A regular expression every ``Number`` (recipient and sender) must match in full.
    number_pattern: str | None = None
    number_format: str = ""
    number_level: Level = "warning"
    display_only: DisplayOnlyRule | None = None


@dataclass(frozen=True, slots=True)
class SubjectRules:
    source: str
    confidence: Confidence
    max_length: int | None = None
    ascii_only: bool = False
    level: Level = "warning"
    note: str = ""


@dataclass(frozen=True, slots=True)
class SubmitRules:
    """Everything about the SubmitReq the peer accepts."""

    elements: Mapping[str, ElementRule] = field(default_factory=dict)
    recipients: RecipientRules | None = None
    subject: SubjectRules | None = None


@dataclass(frozen=True, slots=True)
class SizeLimit:
    """One size ceiling, measured as the peer measures it: ``binary`` (decoded media bytes),
    ``base64`` (the content as encoded for the wire) or ``http_body`` (the whole request).

    ``number_type``/``carrier`` select carrier tables; ``media`` (``image/*``) makes it a
    per-part limit. ``published`` is the peer's own figure, quoted in findings."""

    measure: Measure
    limit_bytes: int
    source: str
    confidence: Confidence
    number_type: str | None = None
    carrier: str | None = None
    media: str | None = None
    transcoding: bool | None = None
    level: Level = "error"
    code: int | None = None
    http_status: int | None = None
    published: str = ""


@dataclass(frozen=True, slots=True)
class Base64Estimate:
    """The peer's own rule of thumb for the wire size of a file: size x factor + overhead."""

    factor: float
    overhead_bytes: int
    source: str
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class ContentRules:
    source: str
    confidence: Confidence
    smil_required: bool = False
    smil_code: int | None = None
    #: Media types the peer takes (empty: not documented); multiparts and SMIL excepted.
    allowed_types: tuple[str, ...] = ()
    allowed_types_level: Level = "warning"
    size_limits: tuple[SizeLimit, ...] = ()
    base64_estimate: Base64Estimate | None = None
    #: Carrier name -> other names it goes by (matched without case or punctuation).
    carriers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """The peer's meaning for one status code, and what a sender should do about it."""

    text: str
    retry: Retry
    source: str
    confidence: Confidence
    meaning: str = ""
    #: The peer gives a standard code a narrower or different meaning.
    overrides_standard: bool = False
    #: The retry advice is ours, read from the meaning, not the peer's words.
    retry_inferred: bool = False


@dataclass(frozen=True, slots=True)
class HeaderRule:
    name: str
    direction: Literal["to_peer", "from_peer", "both"]
    source: str
    confidence: Confidence
    aliases: tuple[str, ...] = ()
    required: bool = False
    meaning: str = ""
    examples: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Transport:
    source: str
    confidence: Confidence
    endpoint: str | None = None
    tls: bool | None = None
    #: Mode (basic, bearer, ip_allowlist, url_credentials, body_vaspid) -> required/optional.
    auth: Mapping[str, Literal["required", "optional"]] = field(default_factory=dict)
    soapaction: Literal["empty-quoted", "namespace-uri", "any"] | None = None
    content_length_required: bool | None = None
    content_length_code: int | None = None
    chunked_allowed: bool | None = None
    first_part_must_be_soap: bool | None = None
    blank_200_reply_accepted: bool | None = None
    headers: tuple[HeaderRule, ...] = ()


@dataclass(frozen=True, slots=True)
class Callbacks:
    """How the peer posts MO and delivery reports to us, and when it retries them."""

    source: str
    confidence: Confidence
    success_requires: tuple[str, ...] = ()
    timeout_s: float | None = None
    retry_interval_s: float | None = None
    retry_max: int | None = None
    retry_on: tuple[str, ...] = ()
    pace: str = ""


@dataclass(frozen=True, slots=True)
class PeerProfile:
    """One peer's rules, loaded from its profile file; ``lint``, ``prepare`` and ``status``
    apply them."""

    id: str
    name: str
    role: Literal["rs", "vasp", "both"]
    as_of: str
    versions: Versions
    operations: Operations
    content: ContentRules
    description: str = ""
    aliases: tuple[str, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict)
    variants: Mapping[str, Variant] = field(default_factory=dict)
    submit: SubmitRules = field(default_factory=SubmitRules)
    status_codes: Mapping[int, StatusEntry] = field(default_factory=dict)
    transport: Transport | None = None
    callbacks: Callbacks | None = None

    def lint(
        self,
        message: Message,
        *,
        variant: str | None = None,
        number_type: str | None = None,
        carrier: str | None = None,
    ) -> list[Finding]:
        """Every way ``message`` breaks this peer's rules (empty when it breaks none).

        ``variant`` picks a sub-profile (``"10dlc"``); ``number_type`` and ``carrier`` pick
        the size tables that apply. Raises ``UsageError`` for a variant, number type or
        carrier the profile does not know.
        """
        from ._lint import lint

        return lint(self, message, variant=variant, number_type=number_type, carrier=carrier)

    def prepare(self, message: Message, *, variant: str | None = None) -> Conversion[Message]:
        """``message`` as this peer should receive it: in a version and namespace it
        accepts, without the elements it strips (each listed as a ``Loss``). Raises
        ``PeerRefusal`` (an ``EncodeError``) with every error finding when the peer would
        refuse the message anyway."""
        from ._prepare import prepare

        return prepare(self, message, variant=variant)

    def status(self, code: int) -> PeerStatus:
        """What ``code`` means at this peer (its own table first, then the standard one),
        and whether to retry: ``never``, ``later``, or ``fix`` (change the request)."""
        from ._status import status

        return status(self, code)
