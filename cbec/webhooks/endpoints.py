"""The subscriber's endpoint URL: an absolute ``http`` or ``https`` URL with a host (RFC 3986
§3), at most :data:`MAX_URL` characters. Any other scheme (``file:``, ``ftp:``, ``gopher:``
…) is refused naming the field, so the deliverer never opens anything but an HTTP request."""

from __future__ import annotations

from urllib.parse import urlsplit

from cbec.errors import Violation

SCHEMES = ("http", "https")
MAX_URL = 2000


def check_url(url: str, field: str = "url") -> list[Violation]:
    if len(url) > MAX_URL:
        return [Violation(field, "webhook_url_long", {"max": MAX_URL})]
    try:
        parts = urlsplit(url)
    except ValueError:
        return [Violation(field, "webhook_url_invalid")]
    if parts.scheme.lower() not in SCHEMES:
        return [Violation(field, "webhook_url_scheme", {"schemes": ", ".join(SCHEMES)})]
    if not parts.hostname:
        return [Violation(field, "webhook_url_invalid")]
    return []
