"""An MM7 endpoint as an ASGI application (ASGI 3, HTTP and lifespan scopes), for any ASGI
server.

The same behaviour as ``mm7codec.wsgi.app``: the body streams into a ``Decoder`` event by
event, the handler answers each decoded request, Faults answer what cannot be decoded or
fails. The handler may be a coroutine function; a plain function runs in a worker thread so
that a slow one does not stall the event loop.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeAlias, cast

from ._answer import HttpAnswer
from ._limits import DEFAULT_LIMITS, Limits
from ._receiving import AsyncHandler, Auth, Handler, HandlerResult, Receiver, Side

__all__ = ["app"]

Scope: TypeAlias = MutableMapping[str, Any]
Event: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Event]]
Send: TypeAlias = Callable[[Event], Awaitable[None]]
Application: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]


def app(
    handler: Handler | AsyncHandler,
    *,
    auth: Auth | None = None,
    limits: Limits | None = None,
    side: Side = "vasp",
    strict: bool = False,
    spool_dir: str | os.PathLike[str] | None = None,
) -> Application:
    """An ASGI application answering MM7 requests with ``handler`` (see ``mm7codec.wsgi.app``
    for the arguments)."""
    receiver = Receiver(auth, limits or DEFAULT_LIMITS, side, strict, spool_dir)

    async def call(request: Any) -> HandlerResult:
        if inspect.iscoroutinefunction(handler):
            return await cast(AsyncHandler, handler)(request)
        return await asyncio.to_thread(cast(Handler, handler), request)

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"mm7codec.asgi serves HTTP, not {scope['type']!r}")
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", ())
        }
        begun = receiver.begin(
            scope.get("method", ""), headers.get("content-type"), headers.get("authorization")
        )
        if isinstance(begun, HttpAnswer):
            await _send(send, begun)
            return
        while True:
            event = await receive()
            if event["type"] == "http.disconnect":
                return  # the peer is gone: nobody to answer; the decoder's spool goes with it
            begun.feed(bytes(event.get("body", b"")))
            if begun.refused is not None or not event.get("more_body", False):
                break
        outcome = begun.close()
        if isinstance(outcome, HttpAnswer):
            await _send(send, outcome)
            return
        try:
            result = await call(outcome)
        except Exception:
            answer = receiver.failed(outcome)
        else:
            answer = receiver.answer(outcome, result)
        await _send(send, answer)

    return application


async def _send(send: Send, answer: HttpAnswer) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": answer.status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers],
        }
    )
    await send({"type": "http.response.body", "body": answer.body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        event = await receive()
        if event["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif event["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
