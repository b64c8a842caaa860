"""A total deadline for one HTTP request to a model endpoint. httpx's timeouts bound each network read, so
a server that sends one byte every second could hold a request for ever; this transport fails the request
with a timeout once `seconds` have passed since it was sent, however the bytes arrive."""

from __future__ import annotations

import importlib
import time


def httpx_module():
    """The httpx package the openai client is built on (openai 3 ships its own fork, httpx2)."""
    import openai

    return importlib.import_module(openai.DefaultHttpxClient.__mro__[1].__module__.split(".")[0])


def deadline_client(seconds: float):
    """An http_client for openai.OpenAI whose every request ends within `seconds` (plus one read)."""
    import openai

    httpx = httpx_module()

    class DeadlineStream(httpx.SyncByteStream):
        def __init__(self, inner, request, deadline: float):
            self.inner, self.request, self.deadline = inner, request, deadline

        def __iter__(self):
            for chunk in self.inner:
                if time.monotonic() > self.deadline:
                    raise httpx.ReadTimeout(f"no complete answer within {seconds:g} s", request=self.request)
                yield chunk

        def close(self) -> None:
            self.inner.close()

    class DeadlineTransport(httpx.HTTPTransport):
        def handle_request(self, request):
            deadline = time.monotonic() + seconds
            response = super().handle_request(request)
            if time.monotonic() > deadline:
                response.close()
                raise httpx.ReadTimeout(f"no answer within {seconds:g} s", request=request)
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                request=request,
                stream=DeadlineStream(response.stream, request, deadline),
                extensions=response.extensions,
            )

    return openai.DefaultHttpxClient(transport=DeadlineTransport(), timeout=seconds)
