"""Authorized HTTP for FHIR: bearer token scoping, timeouts, retries with backoff, bounded downloads.

Built on fhirclient's `FHIRServer` for base-URL handling and its shared `requests` session. Its request
helpers cannot take a timeout, extra headers (`If-None-Exist`, `Prefer`) or a per-URL decision about
the bearer token, so requests go through `server.session` directly.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from fhirclient.server import FHIRServer

from smartapp.fhir.errors import FhirError, error_for_response
from smartapp.fhir.outbound import REFUSED_MESSAGE, RefusedAddressError
from smartapp.fhir.references import same_origin
from smartapp.fhir.retry import NOT_PROCESSED_STATUSES, RETRY_STATUSES, retry_delay

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"


class Transport:
    """One FHIR base URL, one token. Thread-safe for concurrent GETs (the session pools connections)."""

    def __init__(
        self,
        base_url: str,
        access_token: str | None,
        *,
        timeout: float,
        max_retries: int,
        session: requests.Session | None,
        backoff_base: float,
        max_retry_wait: float,
        max_binary_bytes: int,
        gate: Callable[[], AbstractContextManager[None]] | None = None,
    ) -> None:
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).hostname:
            raise ValueError("FHIR base URL must be an absolute http(s) URL")
        self.server = FHIRServer(None, base_uri=base_url)
        if session is not None:
            self.server.session = session
        self.session: requests.Session = self.server.session
        self.base_url: str = self.server.base_uri  # always ends with "/"
        self.token = access_token
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.max_retry_wait = max_retry_wait
        self.max_binary_bytes = max_binary_bytes
        # Held around each round trip: a limit on concurrent requests to this EHR (shared by processes).
        self.gate: Callable[[], AbstractContextManager[None]] = gate or nullcontext
        self._lock = threading.Lock()
        self.requests_made = 0  # HTTP round trips, retries included

    def _headers(self, url: str, accept: str, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"Accept": accept}
        headers.update(extra or {})
        # The token is only ever sent to the server it was issued for (scheme + host + port).
        if self.token and same_origin(url, self.base_url):
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def request(
        self,
        method: str,
        path_or_url: str,
        action: str,
        *,
        params: list[tuple[str, str]] | None = None,
        json_body: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        accept: str = FHIR_JSON,
        idempotent: bool = True,
        stream: bool = False,
        allow_redirects: bool = True,
    ) -> requests.Response:
        url = urljoin(self.base_url, path_or_url)
        if urlsplit(url).scheme not in ("http", "https"):
            raise FhirError(None, f"The EHR gave a link that cannot be fetched ({action}).")
        sent_headers = self._headers(url, accept, headers)
        attempt = 0
        while True:
            with self._lock:
                self.requests_made += 1
            try:
                with self.gate():
                    resp = self.session.request(
                        method,
                        url,
                        params=params,
                        json=json_body,
                        headers=sent_headers,
                        timeout=self.timeout,
                        stream=stream,
                        allow_redirects=allow_redirects,
                    )
            except RefusedAddressError as exc:   # decided before connecting: the same answer every time
                raise FhirError(None, REFUSED_MESSAGE) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt < self.max_retries and (idempotent or isinstance(exc, requests.ConnectTimeout)):
                    self._sleep(retry_delay(attempt, None, base=self.backoff_base, cap=self.max_retry_wait))
                    attempt += 1
                    continue
                raise _network_error(exc, action, self.timeout) from exc
            except requests.RequestException as exc:  # invalid URL, too many redirects, …
                raise FhirError(None, f"The request to the EHR could not be made ({action}).") from exc
            # A non-idempotent request (a plain create) is resent only when the server said it did not
            # process it: 429/503 with Retry-After. Anything else may have been acted on.
            retryable = resp.status_code in RETRY_STATUSES if idempotent else (
                resp.status_code in NOT_PROCESSED_STATUSES and bool(resp.headers.get("Retry-After")))
            if retryable and attempt < self.max_retries:
                delay = retry_delay(
                    attempt, resp.headers.get("Retry-After"), base=self.backoff_base, cap=self.max_retry_wait
                )
                log.info("%s %s: HTTP %s, retry %d in %.1fs", method, action, resp.status_code, attempt + 1, delay)
                resp.close()
                self._sleep(delay)
                attempt += 1
                continue
            if resp.status_code >= 400:
                raise error_for_response(resp.status_code, resp.content, resp.headers.get("Content-Type", ""), action)
            return resp

    def read_limited(self, resp: requests.Response, action: str) -> bytes:
        """The body, refusing (without buffering it all) anything over `max_binary_bytes`."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > self.max_binary_bytes:
                    raise FhirError(
                        resp.status_code,
                        f"The document is larger than {self.max_binary_bytes // (1024 * 1024)} MB ({action}).",
                    )
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FhirError(None, f"The download from the EHR was interrupted ({action}).") from exc
        finally:
            resp.close()
        return b"".join(chunks)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_TYPE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")
# FHIR R4 says 64 characters, but Epic customers may use unconstrained ids that are longer: 255 is the
# limit everywhere in RevRX (URLs, database columns, jobs).
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,255}$")


def check_type_and_id(resource_type: str, resource_id: str) -> None:
    # Ids go into the URL path: anything outside the FHIR id syntax could change what is requested.
    if not _TYPE.match(resource_type) or not _ID.match(resource_id):
        raise ValueError(f"not a valid FHIR type/id: {resource_type!r}/{resource_id!r}")


def _network_error(exc: Exception, action: str, timeout: float) -> FhirError:
    if isinstance(exc, requests.Timeout):
        return FhirError(None, f"The EHR did not respond within {timeout:g} seconds ({action}). Try again shortly.")
    return FhirError(None, f"Could not reach the EHR ({action}). Check the connection and try again.")
