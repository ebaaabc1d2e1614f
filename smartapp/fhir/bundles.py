"""Bundle and search-parameter helpers: entries out of a Bundle, the next-page link, query pairs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

# A mapping (sequence values repeat the parameter, as _include needs) or ready-made (name, value) pairs.
SearchParams = Mapping[str, str | int | Sequence[str]] | Sequence[tuple[str, str]]


def bundle_resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """Entry resources of a Bundle, skipping OperationOutcome 'outcome' entries and junk."""
    out: list[dict[str, Any]] = []
    for entry in bundle.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        resource = entry.get("resource")
        search = entry.get("search")
        mode = search.get("mode") if isinstance(search, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            continue
        if mode == "outcome" or (resource["resourceType"] == "OperationOutcome" and mode != "match"):
            continue
        out.append(resource)
    return out


def next_link(bundle: dict[str, Any]) -> str | None:
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


def param_list(params: SearchParams) -> list[tuple[str, str]]:
    # Repeated parameters (_include, _revinclude) arrive as sequences.
    if not isinstance(params, Mapping):
        return [(str(k), str(v)) for k, v in params]
    out: list[tuple[str, str]] = []
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            out.extend((key, str(v)) for v in value)
        else:
            out.append((key, str(value)))
    return out


def split_query(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query.lstrip("?"), keep_blank_values=True)
