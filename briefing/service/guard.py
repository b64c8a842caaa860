"""Auth and body size, before any route: a bearer token on every path but the health checks, and request
bodies over the limit refused with 413."""

from __future__ import annotations

import hmac

from briefing.service.errors import error_response, internal_error

OPEN_PATHS = {"/healthz", "/readyz"}  # no auth


class Guard:
    """Bearer token on every path but the health checks; request bodies over max_bytes → 413
    (by Content-Length, or counted while buffering a chunked body)."""

    def __init__(self, app, token: str | None, max_bytes: int):
        self.app, self.token, self.max_bytes = app, token.encode() if token else None, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if (
            self.token is not None
            and scope["path"] not in OPEN_PATHS
            and not self._authorized(headers.get(b"authorization", b""))
        ):
            return await error_response(
                401,
                "missing or wrong bearer token",
                "send the header Authorization: Bearer <BRIEFING_API_TOKEN>",
                {"WWW-Authenticate": "Bearer"},
            )(scope, receive, send)
        too_large = error_response(
            413,
            f"request body over the limit of {self.max_bytes:,} bytes",
            "send smaller documents, one request each, or raise BRIEFING_MAX_REQUEST_BYTES",
        )
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return await error_response(400, "bad Content-Length header", None)(scope, receive, send)
            if int(length) > self.max_bytes:
                return await too_large(scope, receive, send)
            return await self._run(scope, receive, send)
        chunks, size, more = [], 0, True  # no Content-Length: read the body up to the limit, then replay it
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_bytes:
                return await too_large(scope, receive, send)
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replayed():
            return replay.pop() if replay else await receive()

        return await self._run(scope, replayed, send)

    async def _run(self, scope, receive, send):
        """Any exception no handler took → a generic 500 here, so uvicorn does not drop the connection."""
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            await internal_error(scope["method"], scope["path"], exc)(scope, receive, send)

    def _authorized(self, header: bytes) -> bool:
        scheme, _, value = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(value.strip(), self.token)
