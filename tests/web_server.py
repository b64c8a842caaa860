"""A loopback web server for the fetch and feed tests: the fixture pages and feeds of tests/data/web/
(with {base} in feeds replaced by the server's address), ETag / Last-Modified with 304 answers, and the
bad cases: 404, 500, a slow answer, a redirect loop, a 50 MB body, a PDF, an image. Every request is
logged (path, status, the conditional headers it sent) so tests can count them."""

from __future__ import annotations

import datetime
import hashlib
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

from servers import HOST

WEB = Path(__file__).resolve().parent / "data" / "web"
LAST_MODIFIED = "Mon, 08 Sep 2025 20:00:00 GMT"
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml"}
SPECIAL_TYPES = {
    "latin1.html": "text/html; charset=iso-8859-1",
    "undeclared.html": "text/html",
    "atom.xml": "application/atom+xml",
}
BIG = 50 * 1024 * 1024
SLOW_S = 5


def bench_feed(base: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>Bench story {i}</title><link>{base}/bench/{i}.html</link><guid>bench-{i}</guid>"
        f"<pubDate>Wed, {10 + i % 15:02d} Sep 2025 08:00:00 GMT</pubDate></item>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{items}</channel></rss>'.encode()


def bench_page(i: int) -> bytes:
    topics = [
        "drones",
        "sanctions",
        "grain exports",
        "energy prices",
        "air defence",
        "reconstruction",
        "prisoner exchanges",
    ]
    paras = "".join(
        f"<p>Officials in city number {i} said on day {j} that talks about {topics[(i + j) % len(topics)]} "
        f"had produced {i * 7 + j} proposals, according to report {i}-{j}.</p>"
        for j in range(12)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bench story {i}</title>'
        f'<meta property="og:site_name" content="Bench Wire">'
        f'<meta property="article:published_time" content="2025-09-{10 + i % 15:02d}">'
        f'</head><body><nav><a href="/">Home</a></nav><article><h1>Bench story {i}</h1>{paras}</article></body></html>'
    ).encode()


class Handler(BaseHTTPRequestHandler):
    server_version = "loopback-web/1"

    def log_message(self, *args):  # quiet
        pass

    def _send(
        self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers: dict | None = None
    ):
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        self.server.log.append(
            {
                "path": self.path,
                "status": status,
                "ua": self.headers.get("User-Agent"),
                "if_none_match": self.headers.get("If-None-Match"),
                "if_modified_since": self.headers.get("If-Modified-Since"),
            }
        )

    def do_GET(self):
        base = f"http://{HOST}:{self.server.server_port}"
        path = self.path.split("?")[0]
        if path == "/404":
            return self._send(404, b"<h1>Not found</h1>")
        if path == "/500":
            return self._send(500, b"<h1>Server error</h1>")
        if path == "/slow":
            time.sleep(SLOW_S)
            return self._send(200, b"<html><body><p>Too late to be read.</p></body></html>")
        if path == "/loop":
            return self._send(302, b"", headers={"Location": "/loop"})
        if path == "/doc.pdf":
            return self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        if path == "/photo.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        if path == "/big":
            return self._big()
        if path == "/today/feed.xml":  # one story published today (the scheduled-brief case)
            item = f"<item><title>Today</title><link>{base}/today/news.html</link><guid>today-1</guid></item>"
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Today</title>{item}</channel></rss>'
            return self._conditional(body.encode(), "application/rss+xml")
        if path == "/today/news.html":
            today = datetime.date.today().isoformat()
            return self._send(200, (WEB / "news.html").read_bytes().replace(b"2025-09-05", today.encode()))
        if path.startswith("/bench/"):
            name = path[len("/bench/") :]
            if name == "feed.xml":
                return self._conditional(bench_feed(base, self.server.bench_items), "application/rss+xml")
            return self._send(200, bench_page(int(name.split(".")[0])))
        if path.startswith("/web/") and (WEB / path[5:]).is_file() and "/" not in path[5:]:
            name = path[5:]
            body = (WEB / name).read_bytes()
            if name.endswith(".xml"):
                body = body.replace(b"{base}", base.encode())
            return self._conditional(
                body, SPECIAL_TYPES.get(name) or TYPES.get(Path(name).suffix, "application/octet-stream")
            )
        return self._send(404, b"<h1>Not found</h1>")

    def _conditional(self, body: bytes, ctype: str):
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return self._send(304, headers=validators)
        return self._send(200, body, ctype, validators)

    def _big(self):
        """50 MB of HTML sent chunked (no Content-Length): the client has to count and stop."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"filler " * 9000 + b"</p>\n"
        sent = 0
        try:
            while sent < BIG:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.server.log.append({"path": self.path, "status": 200, "sent": sent})


@contextmanager
def web_server(bench_items: int = 20) -> Iterator[ThreadingHTTPServer]:
    srv = ThreadingHTTPServer((HOST, 0), Handler)
    srv.daemon_threads = True
    srv.log = []
    srv.bench_items = bench_items
    srv.base = f"http://{HOST}:{srv.server_port}"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
