"""``status``: a status code as one peer means it, and whether to retry.

The peer's own table decides first (vendor codes, and standard codes it gives a narrower
meaning); then the standard table of the ``3gpp`` profile; then the code's class.
"""

from __future__ import annotations

from .._status import StatusCode, as_status_code, status_text
from ._findings import PeerStatus
from ._model import PeerProfile, Retry

__all__ = ["status"]

#: Retry advice by the thousands digit, for codes no table lists.
_BY_CLASS: dict[int, Retry] = {1: "never", 2: "fix", 3: "later", 4: "later"}


def status(profile: PeerProfile, code: int) -> PeerStatus:
    from ._loader import get

    entry = profile.status_codes.get(code)
    if entry is not None:
        return PeerStatus(
            code,
            entry.text,
            entry.meaning or entry.text,
            entry.retry,
            vendor=entry.overrides_standard or not isinstance(as_status_code(code), StatusCode),
            source=entry.source,
            confidence=entry.confidence,
        )
    standard = get("3gpp")
    if profile is not standard and code in standard.status_codes:
        return standard.status(code)
    text = status_text(code)
    return PeerStatus(code, text, text, _BY_CLASS.get(code // 1000, "never"), vendor=False)
