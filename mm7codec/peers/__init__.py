"""Peer profiles: what each MM7 aggregator or MMSC accepts, as data, and the tools that apply it.

    >>> from mm7codec import peers
    >>> sinch = peers.get("sinch")
    >>> for finding in sinch.lint(message, variant="10dlc"):    # doctest: +SKIP
    ...     print(finding)
    >>> prepared = sinch.prepare(message)                        # doctest: +SKIP
    >>> sinch.status(3510).retry
    'later'

Profiles are TOML files shipped in this package (``available()`` lists them), each fact with
its source and confidence. ``load(path)`` reads a profile of your own in the same form. This
layer sits above the codec: the codec never imports it. The profile's parts (``Versions``,
``SubmitRules``, ``StatusEntry``...) are exported for annotations: read them, do not build them.
"""

from ._findings import Finding, PeerRefusal, PeerStatus, ProfileError
from ._loader import available, get, load
from ._model import (
    Base64Estimate,
    Callbacks,
    ContentRules,
    DisplayOnlyRule,
    ElementRule,
    HeaderRule,
    Operations,
    PeerProfile,
    RecipientRules,
    SizeLimit,
    Source,
    StatusEntry,
    SubjectRules,
    SubmitRules,
    Transport,
    Variant,
    Versions,
)

__all__ = [
    "Base64Estimate",
    "Callbacks",
    "ContentRules",
    "DisplayOnlyRule",
    "ElementRule",
    "Finding",
    "HeaderRule",
    "Operations",
    "PeerProfile",
    "PeerRefusal",
    "PeerStatus",
    "ProfileError",
    "RecipientRules",
    "SizeLimit",
    "Source",
    "StatusEntry",
    "SubjectRules",
    "SubmitRules",
    "Transport",
    "Variant",
    "Versions",
    "available",
    "get",
    "load",
]
