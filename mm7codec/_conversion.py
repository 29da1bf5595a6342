"""The result of turning a message into another form (another version, or the form a given
peer accepts): the new message and every value that did not survive the trip.

A conversion never drops a value silently: what the target cannot carry is listed as a
``Loss`` so the caller can decide whether sending without it is acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from ._messages import Message

__all__ = ["Conversion", "Loss"]

MessageT = TypeVar("MessageT", bound=Message)


@dataclass(frozen=True, slots=True)
class Loss:
    """One value left out of a converted message: which field (or part path), the value it
    had, and why the target does not carry it."""

    field: str
    value: object
    reason: str


@dataclass(frozen=True, slots=True)
class Conversion(Generic[MessageT]):
    """A converted ``message`` and the ``losses`` the conversion took (empty when nothing was
    left out)."""

    message: MessageT
    losses: tuple[Loss, ...] = ()

    @property
    def lossless(self) -> bool:
        return not self.losses
