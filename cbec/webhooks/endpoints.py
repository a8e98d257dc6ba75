"""The subscriber's endpoint URL: an absolute ``http`` or ``https`` URL with a host (RFC 3986
§3), at most :data:`MAX_URL` characters. Any other scheme (``file:``, ``ftp:``, ``gopher:``
…) is refused naming the field, so the deliverer never opens anything but an HTTP request.

A webhook is a request the server makes on a tenant's say-so, so by default it may reach
only the public internet: an address in a loopback, private (RFC 1918, RFC 4193), link-local
(RFC 3927 — the cloud metadata address 169.254.169.254), carrier-grade NAT (RFC 6598),
multicast or otherwise reserved range is refused — at subscription time when the URL names
such an address or ``localhost`` (RFC 6761 §6.3), and again when the deliverer connects,
after its own name resolution (:func:`blocked`), so a public name that resolves to a private
address is refused too (OWASP, *Server-Side Request Forgery Prevention Cheat Sheet*). A
deployment whose receivers run on its own host or network turns this off with
``CBEC_WEBHOOKS_PRIVATE_TARGETS``.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from cbec.errors import Violation

SCHEMES = ("http", "https")
MAX_URL = 2000
BLOCKED_PREFIX = "webhook_address_blocked"  # the deliverer's error for a refused address


def blocked(address: str) -> bool:
    """Whether an IP address (as :func:`socket.getaddrinfo` gives it, an IPv6 scope
    included) is outside the public internet — loopback, private, link-local, shared,
    multicast, unspecified or reserved; an IPv4-mapped IPv6 address is judged as the IPv4
    address it maps. Not an address at all: blocked."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_unspecified


def _private_host(host: str) -> bool:
    """``localhost`` and its subdomains (RFC 6761 §6.3), or an IP literal that
    :func:`blocked` refuses; a name is otherwise judged when it is resolved."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    return blocked(name)


def check_url(url: str, field: str = "url", *, private_ok: bool = False) -> list[Violation]:
    """The violations of a subscriber's URL; ``private_ok`` lets it name a private address."""
    if len(url) > MAX_URL:
        return [Violation(field, "webhook_url_long", {"max": MAX_URL})]
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 — a port out of range raises here
    except ValueError:
        return [Violation(field, "webhook_url_invalid")]
    if parts.scheme.lower() not in SCHEMES:
        return [Violation(field, "webhook_url_scheme", {"schemes": ", ".join(SCHEMES)})]
    if not host:
        return [Violation(field, "webhook_url_invalid")]
    if not private_ok and _private_host(host):
        return [Violation(field, "webhook_url_private", {"host": host[:100]})]
    return []
