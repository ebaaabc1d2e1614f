"""An authorized FHIR R4 client for the worker and the web app: JSON dicts in, JSON dicts out.

FHIR semantics live here (read, search with paging, batch, Binary, conditional create, update,
metadata, audit callbacks); HTTP concerns (token scoping, retries, timeouts, size limits) live in
`transport`. Attachment URLs are fetched only from the FHIR server's origin and an explicit
allow-list (`attachment_origins`), redirects included: a URL inside a document must not be able to
point the worker at internal services (SSRF).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

from smartapp.fhir.bundles import SearchParams, bundle_resources, next_link, param_list, split_query
from smartapp.fhir.capabilities import CapabilityCache
from smartapp.fhir.errors import FhirAuthError, FhirError, error_for_response
from smartapp.fhir.records import AccessRecord, BatchEntry, BinaryContent, CreateResult
from smartapp.fhir.references import origin, parse_reference
from smartapp.fhir.transport import FHIR_JSON, Transport, check_type_and_id

log = logging.getLogger(__name__)
MAX_ATTACHMENT_REDIRECTS = 3


# Answers to a next-page link that mean "this paging session is gone", not "the search is wrong".
_PAGE_GONE = (400, 404, 410)


class _PageGone(Exception):
    """A next page the server no longer has (an expired search session)."""

    def __init__(self, error: FhirError) -> None:
        super().__init__(error.user_message)
        self.error = error


class FhirClient:
    """Talks to one FHIR server with one access token. Safe to share between threads for reads."""

    def __init__(
        self,
        base_url: str,
        access_token: str | None,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        on_access: Callable[[AccessRecord], None] | None = None,
        session: requests.Session | None = None,
        backoff_base: float = 0.5,
        max_retry_wait: float = 20.0,
        max_pages: int = 50,
        max_binary_bytes: int = 25 * 1024 * 1024,
        attachment_origins: Iterable[str] = (),
        gate: Callable[[], AbstractContextManager[None]] | None = None,
        may_search: Callable[[str], bool] | None = None,
        capability_cache: CapabilityCache | None = None,
        batch_reads: bool = True,
    ) -> None:
        self._http = Transport(
            base_url,
            access_token,
            timeout=timeout,
            max_retries=max_retries,
            session=session,
            backoff_base=backoff_base,
            max_retry_wait=max_retry_wait,
            max_binary_bytes=max_binary_bytes,
            gate=gate,   # e.g. a shared limit on concurrent requests to this EHR
        )
        self.on_access = on_access
        self.max_pages = max_pages
        # Where attachments may live besides the FHIR server itself, e.g. "https://docs.ehr.example".
        self.attachment_origins = frozenset(origin(o) for o in attachment_origins)
        self._capabilities: dict[str, Any] | None = None
        self._capability_cache = capability_cache   # shared by the clients of one EHR (capabilities.py)
        # Whether the token's granted scopes let it search a resource type (None: unknown, assume so).
        # Readers never depend on a type the registration did not request, whatever the server offers.
        self.may_search: Callable[[str], bool] = may_search or (lambda _resource_type: True)
        # False: never read through a `batch` Bundle, whatever the server declares (a registration setting).
        self.batch_reads = batch_reads
        self._held: list[AccessRecord] | None = None
        self._held_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """The FHIR base, ending with "/"."""
        return self._http.base_url

    @property
    def session(self) -> requests.Session:
        return self._http.session

    @property
    def requests_made(self) -> int:
        """HTTP round trips so far, retries included (for "few round trips" checks and metrics)."""
        return self._http.requests_made

    # ---- public API -------------------------------------------------------------------------

    def set_access_token(self, access_token: str | None) -> None:
        """Swap in a refreshed token (the worker refreshes near expiry and may retry after a 401)."""
        self._http.token = access_token

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        check_type_and_id(resource_type, resource_id)
        try:
            resp = self._http.request("GET", f"{resource_type}/{resource_id}", f"reading {resource_type}")
        except FhirError as exc:
            self._audit_failure("read", resource_type, resource_id, exc)
            raise
        resource = self._json(resp, f"reading {resource_type}")
        self._audit("read", resource_type, resource.get("id") or resource_id, resp.status_code)
        return resource

    def search_bundle(self, resource_type: str, params: SearchParams) -> dict[str, Any]:
        """The first page of a search, as the Bundle the server returned."""
        action = f"searching {resource_type}"
        try:
            resp = self._http.request("GET", resource_type, action, params=param_list(params))
        except FhirError as exc:
            self._audit_failure("search", resource_type, None, exc)
            raise
        bundle = self._bundle(resp, action)
        self._audit_bundle(bundle, resp.status_code)
        return bundle

    def search(self, resource_type: str, params: SearchParams) -> list[dict[str, Any]]:
        """All matching (and included) resources, following Bundle.link[next] up to `max_pages`.

        A next page the server no longer knows (Epic's paging links name a search session that expires)
        is not an error: the search is run again from its first page, once."""
        try:
            return self._all_pages(self.search_bundle(resource_type, params), resource_type)
        except _PageGone as gone:
            log.info("a %s search's paging session expired (%s); searching again", resource_type, gone.error.status)
        try:
            return self._all_pages(self.search_bundle(resource_type, params), resource_type)
        except _PageGone as gone:
            raise gone.error from None

    def _all_pages(self, bundle: dict[str, Any], what: str) -> list[dict[str, Any]]:
        resources = bundle_resources(bundle)
        seen: set[str] = set()
        pages = 1
        while (next_url := next_link(bundle)) and next_url not in seen:
            if pages >= self.max_pages:
                log.warning("search %s stopped after %d pages", what, pages)
                break
            seen.add(next_url)
            try:
                bundle = self.get_url(next_url)
            except FhirAuthError:
                raise
            except FhirError as exc:
                if exc.status in _PAGE_GONE:
                    raise _PageGone(exc) from exc
                raise
            resources.extend(bundle_resources(bundle))
            pages += 1
        return resources

    def batch(self, urls: Sequence[str]) -> list[BatchEntry]:
        """Several GETs (`Type/id` reads, `Type?query` searches) in one `batch` Bundle round trip.

        Entries succeed or fail one by one, as FHIR batches do: a failed entry carries its FhirError
        and the caller decides (retry it alone, skip it, or give up). Search entries that page are
        followed through `Bundle.link[next]` like `search`.
        """
        action = "reading several records at once"
        body = {
            "resourceType": "Bundle",
            "type": "batch",
            "entry": [{"request": {"method": "GET", "url": url}} for url in urls],
        }
        # A batch of GETs changes nothing on the server, so it is as safe to resend as a GET.
        resp = self._http.request("POST", "", action, json_body=body, headers={"Content-Type": FHIR_JSON})
        answer = self._json(resp, action)
        entries = answer.get("entry") if answer.get("resourceType") == "Bundle" else None
        if not isinstance(entries, list) or len(entries) != len(urls):
            raise FhirError(resp.status_code, f"The EHR answered a batch with something else ({action}).")
        return [self._batch_entry(url, entry) for url, entry in zip(urls, entries, strict=True)]

    def _batch_entry(self, url: str, entry: Any) -> BatchEntry:
        entry = entry if isinstance(entry, dict) else {}
        response = entry.get("response") if isinstance(entry.get("response"), dict) else {}
        status = _status_code(response.get("status"))
        resource = entry.get("resource")
        path = urlsplit(url).path
        resource_type, _, resource_id = path.partition("/")
        if status >= 400 or not isinstance(resource, dict):
            outcome = response.get("outcome") if isinstance(response.get("outcome"), dict) else None
            body = json.dumps(outcome).encode() if outcome else b""
            error = error_for_response(status if status >= 400 else 502, body, FHIR_JSON, f"reading {resource_type}")
            self._audit_failure("read" if resource_id else "search", resource_type, resource_id or None, error)
            return BatchEntry(url, status, error=error)
        if resource.get("resourceType") == "Bundle":
            self._audit_bundle(resource, status)
            try:
                return BatchEntry(url, status, self._all_pages(resource, resource_type))
            except _PageGone:   # its paging session expired: this one search again, on its own
                return BatchEntry(url, status, self.search(resource_type, parse_qsl(urlsplit(url).query)))
        self._audit("read", str(resource.get("resourceType")), resource.get("id"), status)
        return BatchEntry(url, status, [resource])

    def get_url(self, url: str) -> dict[str, Any]:
        """GET an absolute or base-relative URL returning FHIR JSON (paging links, references)."""
        action = "following a link"
        resp = self._http.request("GET", url, action)
        data = self._json(resp, action)
        if data.get("resourceType") == "Bundle":
            self._audit_bundle(data, resp.status_code)
        elif isinstance(data.get("resourceType"), str):
            self._audit("read", data["resourceType"], data.get("id"), resp.status_code)
        return data

    def read_binary(self, url_or_ref: str, accept: str = "*/*") -> BinaryContent:
        """Raw attachment bytes from `Binary/id` or a URL; a FHIR Binary JSON answer is decoded.

        Refuses (FhirError) a URL, or a redirect, to an origin that is neither the FHIR server's nor
        allow-listed in `attachment_origins`.
        """
        ref = parse_reference(url_or_ref)
        action = "downloading a document"
        audited_type, audited_id = ("Binary", None)
        if ref is not None and ref.resource_type and ref.id:
            audited_type, audited_id = ref.resource_type, ref.id
        try:
            resp = self._fetch_attachment(urljoin(self.base_url, url_or_ref), accept, action)
        except FhirError as exc:
            self._audit_failure("read", audited_type, audited_id, exc)
            raise
        content_type = resp.headers.get("Content-Type", "").strip() or "application/octet-stream"
        data = self._http.read_limited(resp, action)
        if "json" in content_type.lower():
            parsed = _try_json(data)
            if parsed is None:
                self._audit("read", audited_type, audited_id, resp.status_code)
                raise FhirError(resp.status_code, f"The EHR returned data that is not valid JSON ({action}).")
            if isinstance(parsed, dict) and parsed.get("resourceType") == "Binary":
                content_type = str(parsed.get("contentType") or "application/octet-stream")
                data = _b64(parsed.get("data"), action)
        # Attachments are patient data wherever they live: audit foreign URLs too (type only).
        self._audit("read", audited_type, audited_id, resp.status_code)
        return BinaryContent(content_type=content_type, data=data)

    def _fetch_attachment(self, url: str, accept: str, action: str) -> requests.Response:
        for _ in range(MAX_ATTACHMENT_REDIRECTS + 1):
            self._check_attachment_origin(url)
            resp = self._http.request("GET", url, action, accept=accept, stream=True, allow_redirects=False)
            location = resp.headers.get("Location")
            if not (resp.is_redirect and location):
                return resp
            resp.close()
            url = urljoin(url, location)
        raise FhirError(None, f"The EHR redirected the download too many times ({action}).")

    def _check_attachment_origin(self, url: str) -> None:
        here = origin(url)
        if here == origin(self.base_url) or here in self.attachment_origins:
            return
        raise FhirError(
            None,
            f"The document is stored on another server ({here[1] or 'unknown host'}) that RevRX is not "
            "allowed to download from; an administrator can add it to the allowed attachment hosts.",
        )

    def create(self, resource: dict[str, Any], if_none_exist: str | None = None) -> CreateResult:
        """POST a resource; with `if_none_exist` the server returns an existing match (200) instead."""
        resource_type = str(resource.get("resourceType") or "")
        check_type_and_id(resource_type, "new")
        action = f"creating {resource_type}"
        headers = {"Content-Type": FHIR_JSON, "Prefer": "return=representation"}
        if if_none_exist:
            headers["If-None-Exist"] = if_none_exist
        resp = self._http.request(
            "POST",
            resource_type,
            action,
            json_body=resource,
            headers=headers,
            idempotent=bool(if_none_exist),
        )
        body = _try_json(resp.content) if resp.content else None
        returned = body if isinstance(body, dict) and body.get("resourceType") == resource_type else None
        location = resp.headers.get("Location") or resp.headers.get("Content-Location")
        loc_ref = parse_reference(location) if location else None
        new_id = (loc_ref.id if loc_ref else None) or (returned or {}).get("id")
        if not new_id and if_none_exist:
            # Some servers answer a conditional match with 200 and nothing else: look it up.
            matches = self.search(resource_type, split_query(if_none_exist))
            new_id = matches[0].get("id") if matches else None
        if not new_id:
            raise FhirError(resp.status_code, f"The EHR accepted the {resource_type} but did not say its id.")
        self._audit("create", resource_type, str(new_id), resp.status_code)
        return CreateResult(
            id=str(new_id),
            created=resp.status_code == 201,
            status=resp.status_code,
            resource=returned,
            location=location,
        )

    def create_by_operation(self, resource_type: str, operation: str, parameters: dict[str, Any]) -> CreateResult:
        """POST `[type]/$operation` with a Parameters body (Oracle Health's `ChargeItem/$create`), never
        retried unless the server says it did not process it. The new resource's id comes from the
        Location header, or from the resource (or Bundle / Parameters holding one) in the answer."""
        check_type_and_id(resource_type, "new")
        if not operation.startswith("$") or not operation[1:].replace("-", "").isalnum():
            raise ValueError(f"not an operation name: {operation!r}")
        action = f"creating {resource_type} ({operation})"
        resp = self._http.request("POST", f"{resource_type}/{operation}", action, json_body=parameters,
                                  headers={"Content-Type": FHIR_JSON, "Prefer": "return=representation"},
                                  idempotent=False)
        body = _try_json(resp.content) if resp.content else None
        returned = _first_of_type(body, resource_type)
        location = resp.headers.get("Location") or resp.headers.get("Content-Location")
        loc_ref = parse_reference(location) if location else None
        located = loc_ref.id if loc_ref and loc_ref.resource_type == resource_type else None
        new_id = located or (returned or {}).get("id")
        if not new_id:
            raise FhirError(resp.status_code, f"The EHR accepted the {resource_type} but did not say its id.")
        self._audit("create", resource_type, str(new_id), resp.status_code)
        return CreateResult(id=str(new_id), created=True, status=resp.status_code, resource=returned,
                            location=location)

    def update(self, resource: dict[str, Any]) -> dict[str, Any]:
        resource_type, resource_id = resource.get("resourceType"), resource.get("id")
        if not isinstance(resource_type, str) or not isinstance(resource_id, str):
            raise ValueError("update needs resourceType and id")
        check_type_and_id(resource_type, resource_id)
        action = f"updating {resource_type}"
        resp = self._http.request(
            "PUT",
            f"{resource_type}/{resource_id}",
            action,
            json_body=resource,
            headers={"Content-Type": FHIR_JSON, "Prefer": "return=representation"},
        )
        body = _try_json(resp.content) if resp.content else None
        self._audit("update", str(resource_type), str(resource_id), resp.status_code)
        if isinstance(body, dict) and body.get("resourceType") == resource_type:
            return body
        return resource

    def delete(self, resource_type: str, resource_id: str) -> int:
        """DELETE a resource; the status (a 404 means it was gone already, which is what was wanted)."""
        check_type_and_id(resource_type, resource_id)
        action = f"deleting {resource_type}"
        try:
            resp = self._http.request("DELETE", f"{resource_type}/{resource_id}", action)
        except FhirError as exc:
            if exc.status == 404:
                return 404
            raise
        self._audit("delete", resource_type, resource_id, resp.status_code)
        return resp.status_code

    def request_raw(self, method: str, path_or_url: str, action: str, *, params: list[tuple[str, str]] | None = None,
                    headers: Mapping[str, str] | None = None, accept: str = FHIR_JSON,
                    stream: bool = False) -> requests.Response:
        """One request as the transport makes it (retries, token only to this server, errors as FhirError),
        for protocols beyond REST reads such as Bulk Data's asynchronous pattern (smartapp/fhir/bulk.py)."""
        return self._http.request(method, path_or_url, action, params=params, headers=headers, accept=accept,
                                  stream=stream)

    def read_body(self, resp: requests.Response, action: str) -> bytes:
        """A streamed response's body, refused past the client's size limit."""
        return self._http.read_limited(resp, action)

    def record_access(self, action: str, resource_type: str, resource_id: str | None, status: int) -> None:
        """Tell the audit callback about resources read outside search/read (a Bulk Data file's rows)."""
        self._audit(action, resource_type, resource_id, status)

    def capabilities(self, fresh: bool = False) -> dict[str, Any]:
        """The CapabilityStatement: once per client, from the shared cache when the client has one
        (`capability_cache`), always from the server when `fresh` (and then cached anew)."""
        if fresh or self._capabilities is None:
            if self._capability_cache is None or fresh:
                self._capabilities = self._fetch_capabilities()
                if self._capability_cache is not None:
                    self._capability_cache.put(self.base_url, self._capabilities)
            else:
                self._capabilities = self._capability_cache.get(self.base_url, self._fetch_capabilities)
        return self._capabilities

    def _fetch_capabilities(self) -> dict[str, Any]:
        resp = self._http.request("GET", "metadata", "reading the server's capabilities")
        return self._json(resp, "reading the server's capabilities")

    def _json(self, resp: requests.Response, action: str) -> dict[str, Any]:
        data = _try_json(resp.content)
        if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
            kind = "a web page" if resp.content.lstrip()[:1] == b"<" else "data that is not valid FHIR JSON"
            raise FhirError(
                resp.status_code,
                f"The EHR returned {kind} instead of a FHIR resource ({action}, HTTP {resp.status_code}).",
            )
        return data

    def _bundle(self, resp: requests.Response, action: str) -> dict[str, Any]:
        data = self._json(resp, action)
        if data.get("resourceType") != "Bundle":
            raise FhirError(resp.status_code, f"The EHR answered a search with a {data['resourceType']} ({action}).")
        return data

    @contextmanager
    def holding_access_records(self) -> Iterator[None]:
        """Hold `on_access` records made on any thread, then deliver them on this thread.

        Callers fan reads out to worker threads (Binary downloads), but the audit callback usually
        writes through a thread-bound database session: records must reach it on the caller's thread.
        Delivered even if the block raises, since the reads did happen. Nested use is a no-op.
        """
        with self._held_lock:
            outermost = self._held is None
            if outermost:
                self._held = []
        try:
            yield
        finally:
            if outermost:
                with self._held_lock:
                    held, self._held = self._held or [], None
                if self.on_access is not None:
                    for record in held:
                        self.on_access(record)

    def _audit(self, action: str, resource_type: str, resource_id: str | None, status: int) -> None:
        record = AccessRecord(action, resource_type, resource_id, status)
        with self._held_lock:
            if self._held is not None:
                self._held.append(record)
                return
        if self.on_access is not None:
            self.on_access(record)

    def _audit_failure(self, action: str, resource_type: str, resource_id: str | None, exc: FhirError) -> None:
        # A refused read is part of the trail too (outcome: failure); no answer at all is not a read.
        if exc.status is not None:
            self._audit(action, resource_type, resource_id, exc.status)

    def _audit_bundle(self, bundle: dict[str, Any], status: int) -> None:
        for resource in bundle_resources(bundle):
            self._audit("search", str(resource.get("resourceType")), resource.get("id"), status)


def _first_of_type(body: Any, resource_type: str) -> dict[str, Any] | None:
    """The resource of `resource_type` in an operation's answer: itself, a Bundle entry or a
    Parameters `resource`."""
    if not isinstance(body, dict):
        return None
    if body.get("resourceType") == resource_type:
        return body
    holders = [e.get("resource") for e in body.get("entry") or [] if isinstance(e, dict)] + \
              [p.get("resource") for p in body.get("parameter") or [] if isinstance(p, dict)]
    return next((r for r in holders if isinstance(r, dict) and r.get("resourceType") == resource_type), None)


def _try_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None


def _status_code(value: Any) -> int:
    """`Bundle.entry.response.status` ("200 OK", "404", 200) as a number; unreadable counts as 502."""
    text = str(value or "").strip().split(" ", 1)[0]
    return int(text) if text.isdigit() else 502


def _b64(value: Any, action: str) -> bytes:
    if not isinstance(value, str):
        return b""
    try:
        return base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise FhirError(None, f"The EHR sent a document that could not be decoded ({action}).") from exc
