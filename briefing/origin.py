"""Without an API token, a web page the user visits must not be able to drive the service (cross-site
request forgery, DNS rebinding). A state-changing request (POST, PUT, PATCH, DELETE) is refused when:
  * the browser says it comes from another site (Sec-Fetch-Site: cross-site / same-site),
  * its Origin is not the address the request was sent to (Origin host:port != Host), or is "null",
  * its Host is a DNS name other than localhost (a rebinding page reaches a loopback server under its own name),
  * it is a POST whose content type is one a plain HTML form can send (anything but application/json or
    multipart/form-data; a form without JavaScript cannot send JSON). A form cannot send PUT, PATCH or DELETE
    at all, and a cross-site script cannot send them without a CORS preflight, which this service never grants.
Command-line clients (curl, scripts) send no Origin and are unaffected."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOCAL_NAMES = {"localhost"}


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_local_or_ip(name: str, server_host: str | None) -> bool:
    if name in LOCAL_NAMES or name.endswith(".localhost") or (server_host and name == server_host.lower()):
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def refusal(scope: dict) -> tuple[int, str, str] | None:
    """(status, error, hint) when this request must be refused as cross-origin; None when it may proceed."""
    if scope.get("method", "GET").upper() in SAFE_METHODS:
        return None
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    hint = "send it from the command line or a script (no browser), or set BRIEFING_API_TOKEN and send the bearer token"
    site = headers.get("sec-fetch-site", "").lower()
    if site in {"cross-site", "same-site"}:
        return 403, "cross-origin request refused (Sec-Fetch-Site: " + site + ")", hint
    host = headers.get("host", "")
    server = scope.get("server") or (None, None)
    if host and not _is_local_or_ip(_hostname(host), server[0]):
        return (
            403,
            f"request for host {_hostname(host)!r} refused: without a token only localhost or an IP address is served",
            hint,
        )
    origin = headers.get("origin")
    if origin is not None:
        o = urlsplit(origin.strip())
        if origin.strip() == "null" or not o.netloc or o.netloc.lower() != host.strip().lower():
            return 403, "cross-origin request refused (Origin is not this server)", hint
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if scope.get("method", "").upper() == "POST" and ctype not in {"application/json", "multipart/form-data"}:
        return (
            415,
            f"unsupported content type {ctype or '(none)'!r}",
            "send application/json (or a multipart upload to /v1/documents)",
        )
    return None
