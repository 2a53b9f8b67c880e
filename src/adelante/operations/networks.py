"""Addresses and networks (CIDR) listed in a setting: the trusted proxies, the addresses allowed
to read the metrics. One reading, one error for a bad entry, naming the setting."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse(entries: tuple[str, ...], *, setting: str) -> tuple[Network, ...]:
    """The networks of `entries` (an address is a network of one); a bad entry stops the
    process with a one-line error naming `setting`."""
    found = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{setting}: {entry!r} is not an address or a network (CIDR)"
            ) from None
    return tuple(found)
