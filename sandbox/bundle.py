"""Searchset Bundles with offset paging.

`Bundle.link` carries `self` and, when more matches remain, `next` (and `previous` past page one),
all built from the parameters the server understood plus `_count` and an `_offset` token. `total` is
the number of matches (included resources are not counted, per the spec).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sandbox.search import SearchRequest, find_page, included, page_link
from sandbox.store import Resource, ResourceStore, now_instant

Presenter = Callable[[Resource], Resource]


def _entry(fhir_base: str, resource: Resource, mode: str) -> dict[str, Any]:
    return {
        "fullUrl": f"{fhir_base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def searchset(
    store: ResourceStore, req: SearchRequest, fhir_base: str, present: Presenter
) -> dict[str, Any]:
    """Run the search and build one page of results."""
    page, total = find_page(store, req, fhir_base)
    links = [{"relation": "self", "url": page_link(fhir_base, req, req.offset)}]
    if req.count and req.offset + req.count < total:
        links.append({"relation": "next", "url": page_link(fhir_base, req, req.offset + req.count)})
    if req.offset > 0:
        links.append({"relation": "previous", "url": page_link(fhir_base, req, max(0, req.offset - req.count))})
    entries = [_entry(fhir_base, present(r), "match") for r in page]
    entries += [_entry(fhir_base, present(r), "include") for r in included(store, req, page, fhir_base)]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": now_instant()},
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": entries,
    }
