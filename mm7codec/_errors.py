"""The one exception hierarchy of mm7codec.

Every error says what was wrong (the message), where (an element path or a byte offset) and
which MM7 status code a server should answer with (``status_code``), so that a gateway can turn
any failure into a proper RSErrorRsp/VASPErrorRsp or SOAP Fault without guessing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ._conversion import Loss
    from ._deviations import Deviation
    from ._messages import Fault

__all__ = [
    "AddressError",
    "DecodeError",
    "DeviationError",
    "EncodeError",
    "LimitExceeded",
    "MM7Error",
    "UsageError",
]

# Status codes used as defaults; the full table lives in _status.StatusCode.
_MESSAGE_FORMAT_CORRUPT = 2007
_VALIDATION_ERROR = 4004
_CLIENT_ERROR = 2000


class MM7Error(ValueError):
    """Root of every error this library raises on purpose.

    ``where`` is an element path (``/Envelope/Body/SubmitReq/Recipients``) or a MIME location;
    ``offset`` is a byte offset into the input when one is known; ``status_code`` is the MM7
    status a server should put in its error response.
    """

    default_status_code = _CLIENT_ERROR

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        offset: int | None = None,
        status_code: int | None = None,
    ) -> None:
        self.reason = message
        self.where = where
        self.offset = offset
        self.status_code = self.default_status_code if status_code is None else status_code
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other constructor arguments than the rendered message that ends up
        # in ``args``; rebuild from the attributes instead, so every error pickles (errors
        # cross process pools and task queues in gateways).
        return (_restore, (type(self), self.args, self.__dict__))

    def _render(self) -> str:
        location = []
        if self.where:
            location.append(f"at {self.where}")
        if self.offset is not None:
            location.append(f"byte {self.offset}")
        suffix = f" ({', '.join(location)})" if location else ""
        return f"{self.reason}{suffix} [MM7 status {self.status_code}]"


def _restore(cls: type[MM7Error], args: tuple[Any, ...], state: dict[str, Any]) -> MM7Error:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class DecodeError(MM7Error):
    """The input is malformed, hostile, or not an MM7 message we can read.

    ``transaction_id``, ``version`` and ``namespace`` are filled in when decoding got far enough
    to see them, so a server can still answer the peer in its own terms (``fault()``).
    """

    default_status_code = _MESSAGE_FORMAT_CORRUPT

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        offset: int | None = None,
        status_code: int | None = None,
        transaction_id: str | None = None,
        version: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.transaction_id = transaction_id
        self.version = version
        self.namespace = namespace
        super().__init__(message, where=where, offset=offset, status_code=status_code)

    def fault(self, side: Literal["vasp", "rs"] = "vasp") -> Fault:
        """The SOAP Fault that answers the input this error refused.

        ``side`` is who answers: a VASP puts a ``VASPErrorRsp`` in the Fault's detail, a relay
        or server (``"rs"``) an ``RSErrorRsp``. The Fault carries this error's status code, its
        reason as the Status Details (never the byte offset or other internal detail), and the
        peer's TransactionID, MM7Version and namespace when the input showed them (otherwise a
        fresh TransactionID and the latest version). Send it with HTTP 500.
        """
        from ._messages import error_fault

        return error_fault(
            side,
            self.status_code,
            details=self.reason,
            transaction_id=self.transaction_id,
            version=self.version,
            namespace=self.namespace,
        )


class DeviationError(DecodeError):
    """Strict mode met deviations from the standard that lenient mode would have tolerated.

    ``deviations`` lists all of them, in the order met (the same records lenient decoding puts
    on the message); ``deviation`` is the first.
    """

    def __init__(self, deviations: tuple[Deviation, ...]) -> None:
        self.deviations = deviations
        self.deviation = deviations[0]
        listed = "; ".join(f"{d.code}: {d.detail}" for d in deviations[:10])
        more = f"; and {len(deviations) - 10} more" if len(deviations) > 10 else ""
        super().__init__(
            f"strict mode: {len(deviations)} deviation(s): {listed}{more}",
            where=self.deviation.where or None,
            status_code=self.deviation.status_code,
        )


class LimitExceeded(DecodeError):  # noqa: N818 - the name says what happened
    """A configured limit was passed; ``limit`` is the name of the limit (a ``Limits`` field)."""

    def __init__(
        self,
        limit: str,
        value: int,
        *,
        where: str | None = None,
        offset: int | None = None,
        status_code: int | None = None,
    ) -> None:
        self.limit = limit
        self.value = value
        super().__init__(
            f"limit {limit}={value} exceeded", where=where, offset=offset, status_code=status_code
        )


class EncodeError(MM7Error):
    """The message cannot be encoded as valid MM7 for its version (our caller's mistake).

    ``field`` names the message field at fault (``"subject"``, ``"recipients"``, ``"version"``)
    when the error is about one, so no caller parses the text. ``losses`` lists, for a
    conversion refused with ``allow_loss=False``, every value the target cannot carry (as
    ``Loss`` records); it is empty otherwise.
    """

    default_status_code = _VALIDATION_ERROR

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        offset: int | None = None,
        status_code: int | None = None,
        field: str | None = None,
        losses: tuple[Loss, ...] = (),
    ) -> None:
        self.field = field
        self.losses = losses
        super().__init__(message, where=where, offset=offset, status_code=status_code)


class UsageError(MM7Error):
    """The library was called in the wrong order (for example ``feed`` after ``close``)."""


class AddressError(MM7Error):
    """A value that cannot be the address it claims to be (see ``normalize_number``)."""

    default_status_code = 2002
