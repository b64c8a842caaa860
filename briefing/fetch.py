"""Fetching pages and feeds over HTTP(S) with httpx: connect and read timeouts and a deadline for the
whole response, a bounded number of redirects, the body read as a stream and refused at the size bound,
the content type checked before the body is read, a User-Agent naming the tool and its version, and
conditional requests (ETag / Last-Modified) so an unchanged feed costs one 304."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlparse

from briefing import __version__
from briefing.errors import FetchError, InputError
from briefing.settings import Settings

PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "text/plain",
    "text/html",
}  # (some servers send feeds as text/html or text/plain)
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5"
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"


def user_agent(settings: Settings) -> str:
    return settings.fetch_user_agent or f"briefing/{__version__} (news briefing tool; python-httpx)"


def check_url(url: str) -> str:
    u = urlparse(url.strip())
    if u.scheme not in {"http", "https"} or not u.hostname:
        raise InputError(
            f"{url!r} is not an http(s) URL", "give a full address such as https://example.com/news/article.html"
        )
    return url.strip()


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified)
    content_type: str  # the media type alone, lower case
    charset: str | None
    body: bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _media_type(header: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = header or "application/octet-stream"
    return msg.get_content_type().lower(), msg.get_param("charset")


class Fetcher:
    """One HTTP client for a command; counts the requests it made and the 304s it got."""

    def __init__(self, settings: Settings):
        import httpx

        s = settings
        self.settings = s
        self.requests = 0
        self.not_modified = 0
        self.client = httpx.Client(
            follow_redirects=True,
            max_redirects=s.fetch_max_redirects,
            timeout=httpx.Timeout(s.fetch_timeout_s, connect=s.fetch_connect_timeout_s),
            headers={"User-Agent": user_agent(s)},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def get(
        self, url: str, kinds: set[str], accept: str, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET url; a FetchError (one line) for an error status, a timeout, a redirect loop, a body over the bound
        or a content type not in kinds. With etag/last_modified a 304 comes back as Response(status=304)."""
        import httpx

        url = check_url(url)
        s = self.settings
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.requests += 1
        deadline = time.monotonic() + s.fetch_timeout_s
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                final = str(r.url)
                if r.status_code == 304:
                    self.not_modified += 1
                    return Response(final, 304, "", None, b"", etag, last_modified)
                if r.status_code >= 400:
                    raise FetchError(
                        f"{url}: HTTP {r.status_code} {r.reason_phrase}".rstrip(),
                        "check the address" if r.status_code < 500 else "the server failed; try again later",
                    )
                ctype, charset = _media_type(r.headers.get("content-type", ""))
                if ctype not in kinds:
                    what = "a web page" if kinds is PAGE_TYPES else "an RSS or Atom feed"
                    raise FetchError(
                        f"{url}: the server sent {ctype}, not {what}", "give the address of an article page or a feed"
                    )
                length = r.headers.get("content-length")
                if length and length.isdigit() and int(length) > s.fetch_max_bytes:
                    raise FetchError(
                        f"{url}: {int(length):,} bytes, over the limit of {s.fetch_max_bytes:,}",
                        "raise BRIEFING_FETCH_MAX_BYTES if it really is one article",
                    )
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > s.fetch_max_bytes:
                        raise FetchError(
                            f"{url}: more than {s.fetch_max_bytes:,} bytes, over the limit",
                            "raise BRIEFING_FETCH_MAX_BYTES if it really is one article",
                        )
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{url}: not received within {s.fetch_timeout_s:g} s",
                            "the server is too slow; try again later or raise BRIEFING_FETCH_TIMEOUT_S",
                        )
                return Response(
                    final,
                    r.status_code,
                    ctype,
                    charset,
                    bytes(body),
                    r.headers.get("etag"),
                    r.headers.get("last-modified"),
                )
        except httpx.TooManyRedirects:
            raise FetchError(
                f"{url}: more than {s.fetch_max_redirects} redirects (a redirect loop?)",
                "open it in a browser to see where it leads",
            ) from None
        except httpx.TimeoutException as exc:
            connect = isinstance(exc, httpx.ConnectTimeout)
            what, limit = (
                ("no connection", s.fetch_connect_timeout_s) if connect else ("no response", s.fetch_timeout_s)
            )
            raise FetchError(
                f"{url}: {what} within {limit:g} s",
                "the server is too slow or down; try again later or raise BRIEFING_FETCH_TIMEOUT_S",
            ) from None
        except httpx.HTTPError as exc:
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            raise FetchError(f"{url}: cannot fetch ({reason})", "check the address and the network") from None
