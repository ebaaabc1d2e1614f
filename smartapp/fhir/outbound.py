"""Where RevRX may send a request on behalf of a FHIR connection (SSRF defence).

A FHIR connection's base URL and token endpoint are typed by a person. Without a policy, such a URL can
point the web app or the worker at 127.0.0.1 (Redis, the app itself), at a cloud metadata service
(169.254.169.254) or at anything on the hospital's private network, with the connection's API key or a
signed client assertion attached. The policy:

* a URL must be https, and its host must resolve only to public (global) addresses;
* hosts an operator names in the allow-list (`host` or `host:port`, e.g. the sandbox EHR on
  `127.0.0.1:5055`) are exempt from both rules;
* the check is made when a connection is saved (`check_url`) and again when each socket connects
  (`guarded_session` / `GuardedAdapter`): the address that is connected to is the address that was
  checked, so a name that resolves to a public address at save time and to 127.0.0.1 later (DNS
  rebinding) is refused, and so is a redirect to an internal address.

One message (`REFUSED_MESSAGE`) for every refusal, given before any connection is attempted, so a
refusal says nothing about what listens at the address. No Flask, no ORM: the application configures
the process-wide policy once (`configure`), like the encryption keys.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

REFUSED_MESSAGE = ("RevRX does not connect to this address: FHIR connections must use https and a public "
                   "address. If this is your EHR on a private network, ask the operator to allow its host "
                   "(OUTBOUND_ALLOWED_HOSTS).")

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
log = logging.getLogger(__name__)


class AddressRefused(ValueError):
    """A URL or a resolved address is outside the policy. Not an OSError on purpose: urllib3 and
    requests would take an OSError for a network failure and retry it."""

    def __init__(self, reason: str) -> None:
        super().__init__(REFUSED_MESSAGE)
        self.reason = reason   # for logs only; users see REFUSED_MESSAGE


class RefusedAddressError(requests.exceptions.ConnectionError):
    """What a guarded requests session raises for a refused address (callers that already handle
    requests' errors handle this one too; `isinstance` tells it apart)."""


def _normalise_entry(entry: str) -> str:
    entry = entry.strip().lower()
    if entry.startswith("[") and "]" in entry:   # [::1]:8080 or [::1]
        return entry
    return entry.rstrip(".")


def _public(ip: IpAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped   # ::ffff:127.0.0.1 is 127.0.0.1
    # is_global excludes loopback, private (RFC 1918, ULA), link-local (169.254/16: cloud metadata),
    # shared (100.64/10), reserved and unspecified addresses.
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class AddressPolicy:
    """The operator's allow-list of hosts (`host` or `host:port`, lower case); empty by default."""

    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_setting(cls, value: str | Iterable[str]) -> AddressPolicy:
        entries = value.split(",") if isinstance(value, str) else value
        return cls(frozenset(_normalise_entry(e) for e in entries if e.strip()))

    def allows_host(self, host: str, port: int | None) -> bool:
        host = host.lower().rstrip(".")
        shown = f"[{host}]" if ":" in host else host
        return shown in self.allowed_hosts or host in self.allowed_hosts or (
            port is not None and f"{shown}:{port}" in self.allowed_hosts)

    def check_url(self, url: str, *, resolve: bool = True) -> None:
        """Raise AddressRefused unless `url` may be contacted: https, and every address its host resolves
        to public, or the host allow-listed. A name that does not resolve (yet) passes: the connect-time
        check decides when it does."""
        parts = urlsplit(url)
        host = parts.hostname
        if parts.scheme not in ("http", "https") or not host:
            raise AddressRefused("not an absolute http(s) URL")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise AddressRefused("bad port") from None
        if self.allows_host(host, port):
            return
        if parts.scheme != "https":
            raise AddressRefused("plain http outside the allow-list")
        for ip in _literal_or_resolved(host, port, resolve):
            if not _public(ip):
                raise AddressRefused(f"{host} is {ip}")

    def checked_addresses(self, host: str, port: int) -> list[str] | None:
        """For a socket about to connect: the addresses to connect to (each one checked), or None when
        the host is allow-listed (connect as usual). Raises AddressRefused."""
        if self.allows_host(host, port):
            return None
        try:
            addresses = _resolve(host, port)
        except socket.gaierror:
            return None   # let urllib3 report the failed lookup as it always does
        for ip in addresses:
            if not _public(ip):
                raise AddressRefused(f"{host} resolves to {ip}")
        return [str(ip) for ip in addresses]


def _resolve(host: str, port: int) -> list[IpAddress]:
    found: list[IpAddress] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found


def _literal_or_resolved(host: str, port: int, resolve: bool) -> list[IpAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    if not resolve:
        return []
    try:
        return _resolve(host, port)
    except (socket.gaierror, UnicodeError):
        return []


# ---- connect-time check --------------------------------------------------------------------------

class _GuardedMixin:
    """Connects only to addresses the policy allows, and to exactly the address it checked."""

    policy: AddressPolicy = AddressPolicy()
    host: str
    port: int
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        addresses = self.policy.checked_addresses(self._dns_host, self.port)
        if addresses is None:
            return super()._new_conn()  # type: ignore[misc, no-any-return]
        name = self._dns_host
        last: Exception | None = None
        try:
            for address in addresses:   # connect to the checked address, not a second lookup
                self._dns_host = address
                try:
                    return super()._new_conn()  # type: ignore[misc, no-any-return]
                except (NewConnectionError, ConnectTimeoutError) as exc:
                    last = exc
        finally:
            self._dns_host = name
        assert last is not None  # noqa: S101 - addresses is never empty
        raise last


def _pool_classes(policy: AddressPolicy) -> dict[str, type[HTTPConnectionPool]]:
    http_conn = type("GuardedHTTPConnection", (_GuardedMixin, HTTPConnection), {"policy": policy})
    https_conn = type("GuardedHTTPSConnection", (_GuardedMixin, HTTPSConnection), {"policy": policy})
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class GuardedAdapter(HTTPAdapter):
    """A requests adapter that refuses URLs outside the policy (scheme and host) and checks the peer
    address of every connection it opens, redirects included. Proxies are not used (not even from
    the environment): the address checked must be the address connected to."""

    def __init__(self, policy: AddressPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.policy)  # type: ignore[assignment]

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["proxies"] = {}
        try:
            self.policy.check_url(request.url or "", resolve=False)   # scheme and literal addresses
            return super().send(request, *args, **kwargs)
        except AddressRefused as refused:
            # The operator's log says why (the user's message does not): host and address, no secrets.
            log.warning("outbound request refused by the address policy: %s", refused.reason)
            raise RefusedAddressError(str(refused), request=request) from refused


def guard(session: requests.Session, policy: AddressPolicy) -> requests.Session:
    """Mount the guarded adapter on both schemes of `session` (also Authlib's OAuth2Session)."""
    adapter = GuardedAdapter(policy)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def guarded_session(policy: AddressPolicy) -> requests.Session:
    return guard(requests.Session(), policy)


__all__ = ["REFUSED_MESSAGE", "AddressPolicy", "AddressRefused", "GuardedAdapter",
           "RefusedAddressError", "configure", "configured", "guard", "guarded_session"]

_configured = AddressPolicy()


def configure(policy: AddressPolicy) -> None:
    """Set the process-wide policy (the app factory and the worker, from OUTBOUND_ALLOWED_HOSTS)."""
    global _configured
    _configured = policy


def configured() -> AddressPolicy:
    return _configured
