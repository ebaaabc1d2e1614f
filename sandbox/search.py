"""FHIR search over the store: parse the query, match resources, page, include, build the Bundle.

Semantics follow the FHIR R4 search page closely enough for real clients: repeated parameters AND,
comma-separated values OR; token `system|code`, `|code`, `system|`; string prefix match (`:exact`,
`:contains`); reference by id, `Type/id` or absolute URL; date prefixes eq/ne/gt/lt/ge/le compared at
the precision the client gave. Unknown parameters are ignored (and left out of the self link) unless
the client sends `Prefer: handling=strict`; unknown `_include`/`_revinclude` values are errors because
silently dropping them hides bugs in the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sandbox import search_index
from sandbox.outcome import FhirError
from sandbox.search_params import SEARCH_PARAMS, SearchParam, values_at
from sandbox.store import Resource, ResourceStore

DEFAULT_COUNT = 50
MAX_COUNT = 500
RESULT_PARAMS = {"_count", "_offset", "_include", "_revinclude", "_sort", "_format", "_total",
                 "_summary", "_elements", "_pretty"}
DATE_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")


@dataclass(frozen=True)
class Criterion:
    param: SearchParam
    modifier: str | None
    values: tuple[str, ...]  # OR-ed


@dataclass
class SearchRequest:
    rtype: str
    criteria: list[Criterion] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[tuple[SearchParam, str | None]] = field(default_factory=list)
    revincludes: list[tuple[str, SearchParam]] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (param name, descending)
    echoed: list[tuple[str, str]] = field(default_factory=list)  # what the self link repeats


def _int_param(name: str, raw: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise FhirError(400, f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise FhirError(400, f"{name} must be >= {minimum}")
    return value


def parse_search(rtype: str, pairs: Sequence[tuple[str, str]], strict: bool = False) -> SearchRequest:
    """Turn query pairs into a SearchRequest, raising FhirError(400) on what cannot be honoured."""
    defs = SEARCH_PARAMS[rtype]
    req = SearchRequest(rtype)
    for key, raw in pairs:
        if key == "_count":
            req.count = min(_int_param("_count", raw, 0), MAX_COUNT)
        elif key == "_offset":
            req.offset = _int_param("_offset", raw, 0)
        elif key == "_include":
            req.includes.append(_parse_include(rtype, raw))
            req.echoed.append((key, raw))
        elif key == "_revinclude":
            req.revincludes.append(_parse_revinclude(rtype, raw))
            req.echoed.append((key, raw))
        elif key == "_sort":
            for name in raw.split(","):
                bare = name.lstrip("-")
                if bare not in defs and bare != "_lastUpdated":
                    raise FhirError(400, f"cannot sort {rtype} by {bare!r}")
                req.sort.append((bare, name.startswith("-")))
            req.echoed.append((key, raw))
        elif key in RESULT_PARAMS:
            continue
        else:
            name, _, modifier = key.partition(":")
            param = defs.get(name)
            if param is None:
                if strict:
                    raise FhirError(400, f"unknown search parameter {key!r} for {rtype}")
                continue
            if modifier and modifier not in {"exact", "contains", "missing"}:
                raise FhirError(400, f"unsupported modifier {key!r}")
            values = tuple(v for v in raw.split(",") if v)
            if param.kind == "date":
                for value in values:
                    _split_date(value)  # validates
            req.criteria.append(Criterion(param, modifier or None, values))
            req.echoed.append((key, raw))
    return req


def _parse_include(rtype: str, raw: str) -> tuple[SearchParam, str | None]:
    parts = raw.split(":")
    if len(parts) not in (2, 3) or parts[0] != rtype:
        raise FhirError(400, f"unsupported _include {raw!r} for {rtype}")
    param = SEARCH_PARAMS[rtype].get(parts[1])
    if param is None or param.kind != "reference":
        raise FhirError(400, f"unsupported _include {raw!r}")
    return param, (parts[2] if len(parts) == 3 else None)


def _parse_revinclude(rtype: str, raw: str) -> tuple[str, SearchParam]:
    source, _, name = raw.partition(":")
    param = SEARCH_PARAMS.get(source, {}).get(name.split(":")[0])
    if param is None or param.kind != "reference" or rtype not in param.targets:
        raise FhirError(400, f"unsupported _revinclude {raw!r} for {rtype}")
    return source, param


def normalize_reference(ref: str, fhir_base: str) -> str:
    """'http://base/fhir/Patient/1' and 'Patient/1/_history/2' become 'Patient/1'."""
    if ref.startswith(fhir_base + "/"):
        ref = ref[len(fhir_base) + 1:]
    return "/".join(ref.split("/")[:2])


def _references(resource: Resource, param: SearchParam, fhir_base: str) -> list[str]:
    refs = []
    for value in _values(resource, param):
        if isinstance(value, dict) and isinstance(value.get("reference"), str):
            refs.append(normalize_reference(value["reference"], fhir_base))
    return refs


def _values(resource: Resource, param: SearchParam) -> list[Any]:
    found: list[Any] = []
    for path in param.paths:
        found.extend(values_at(resource, path))
    return found


def _tokens(value: Any) -> list[tuple[str | None, str]]:
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, bool):
        return [(None, str(value).lower())]
    if not isinstance(value, dict):
        return []
    if "coding" in value:
        return [t for coding in value["coding"] for t in _tokens(coding)]
    code = value.get("code", value.get("value"))
    return [(value.get("system"), str(code))] if code is not None else []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        parts: list[str] = []
        for key in ("text", "family", "given", "prefix", "suffix", "line", "city"):
            found = value.get(key)
            parts.extend(v for v in (found if isinstance(found, list) else [found]) if isinstance(v, str))
        given = [g for g in value.get("given", []) if isinstance(g, str)]
        if given and isinstance(value.get("family"), str):
            parts.append(" ".join([*given, value["family"]]))
        return parts
    return []


def _split_date(raw: str) -> tuple[str, str]:
    prefix, value = ("eq", raw)
    if raw[:2] in DATE_PREFIXES and not raw[:2].isdigit():
        prefix, value = raw[:2], raw[2:]
    if not DATE_RE.match(value):
        raise FhirError(400, f"invalid date search value {raw!r}")
    return prefix, value


def _date_matches(value: Any, raw: str) -> bool:
    prefix, q = _split_date(raw)
    if isinstance(value, str):
        start, end = value, value
    elif isinstance(value, dict):
        # A Period without an end is ongoing; without a start, it reaches back indefinitely.
        start, end = str(value.get("start") or "0000"), str(value.get("end") or "9999")
    else:
        return False
    lo, hi = start[: len(q)], end[: len(q)]
    checks: dict[str, Callable[[], bool]] = {
        "eq": lambda: lo <= q <= hi,
        "ne": lambda: not (lo <= q <= hi),
        "gt": lambda: hi > q,
        "sa": lambda: lo > q,
        "ge": lambda: hi >= q,
        "lt": lambda: lo < q,
        "eb": lambda: hi < q,
        "le": lambda: lo <= q,
    }
    return checks[prefix]()


def _value_matches(resource: Resource, crit: Criterion, query: str, fhir_base: str) -> bool:
    param, values = crit.param, _values(resource, crit.param)
    if param.kind == "token":
        system, bar, code = query.rpartition("|")
        for sys_, code_ in (t for v in values for t in _tokens(v)):
            if not bar and code_ == code:
                return True
            if bar and (system == "" and sys_ is None or sys_ == system) and (not code or code_ == code):
                return True
        return False
    if param.kind == "reference":
        refs = _references(resource, param, fhir_base)
        wanted = normalize_reference(query, fhir_base)
        if "/" in wanted:
            return wanted in refs
        return any(r.split("/")[-1] == wanted and r.split("/")[0] in param.targets for r in refs)
    if param.kind == "string":
        needle = query.casefold()
        texts = [s.casefold() for v in values for s in _strings(v)]
        if crit.modifier == "exact":
            return any(s == query for v in values for s in _strings(v))
        if crit.modifier == "contains":
            return any(needle in t for t in texts)
        return any(t.startswith(needle) for t in texts)
    return any(_date_matches(v, query) for v in values)


def matches(resource: Resource, criteria: list[Criterion], fhir_base: str) -> bool:
    for crit in criteria:
        if crit.modifier == "missing":
            present = bool(_values(resource, crit.param))
            if any((v == "true") == present for v in crit.values):
                return False
            continue
        if not any(_value_matches(resource, crit, v, fhir_base) for v in crit.values):
            return False
    return True


def _sort_key(resource: Resource, name: str) -> str:
    if name == "_lastUpdated":
        return str(resource.get("meta", {}).get("lastUpdated", ""))
    values = _values(resource, SEARCH_PARAMS[resource["resourceType"]][name])
    if not values:
        return ""
    first = values[0]
    if isinstance(first, dict):
        return str(first.get("start") or first.get("family") or first.get("value") or first)
    return str(first)


def _candidates(store: ResourceStore, req: SearchRequest) -> set[str] | None:
    """Ids that can match the request's token and reference criteria (the search index), or None
    when it has none of those (every resource of the type is a candidate)."""
    found: set[str] | None = None
    for crit in req.criteria:
        if not search_index.indexable(crit.param) or crit.modifier is not None:
            continue
        lookup = search_index.token_candidates if crit.param.kind == "token" else search_index.reference_candidates
        ids: set[str] = set()
        for value in crit.values:
            ids |= lookup(store.conn, req.rtype, crit.param.name, value)
        found = ids if found is None else found & ids
        if not found:
            break
    return found


def find(store: ResourceStore, req: SearchRequest, fhir_base: str) -> list[Resource]:
    """All matches of the request, in the requested order (creation order when unsorted). The index
    narrows what is read; every candidate is still checked with the full rules (`matches`)."""
    ids = _candidates(store, req)
    loaded = store.all_of_type(req.rtype) if ids is None else store.some_of_type(req.rtype, ids)
    found = [r for r in loaded if matches(r, req.criteria, fhir_base)]
    for name, descending in reversed(req.sort):
        found.sort(key=lambda r, n=name: _sort_key(r, n), reverse=descending)  # type: ignore[misc]
    return found


def included(store: ResourceStore, req: SearchRequest, page: list[Resource], fhir_base: str) -> list[Resource]:
    """Resources named by `_include` and `_revinclude` for this page of matches, without duplicates."""
    seen = {(r["resourceType"], r["id"]) for r in page}
    extra: list[Resource] = []

    def add(res: Resource | None) -> None:
        if res is not None and (res["resourceType"], res["id"]) not in seen:
            seen.add((res["resourceType"], res["id"]))
            extra.append(res)

    for param, target in req.includes:
        for res in page:
            for ref in _references(res, param, fhir_base):
                rtype, _, rid = ref.partition("/")
                if rid and rtype in param.targets and (target is None or rtype == target):
                    add(store.get(rtype, rid))
    page_refs = {f"{r['resourceType']}/{r['id']}" for r in page}
    targets = [(str(r["resourceType"]), str(r["id"])) for r in page]
    for source, param in req.revincludes:
        referring = search_index.referring(store.conn, source, param.name, targets)
        for res in store.some_of_type(source, referring):
            if page_refs.intersection(_references(res, param, fhir_base)):
                add(res)
    return extra


def find_page(store: ResourceStore, req: SearchRequest, fhir_base: str) -> tuple[list[Resource], int]:
    """One page of matches and the number of all matches. A search with no criteria and no sort (a
    sync paging through every Encounter) reads just its page from the table."""
    if not req.criteria and not req.sort:
        return store.page_of_type(req.rtype, req.offset, req.count), store.count(req.rtype)
    matched = find(store, req, fhir_base)
    return matched[req.offset: req.offset + req.count], len(matched)


def page_link(fhir_base: str, req: SearchRequest, offset: int) -> str:
    pairs = [*req.echoed, ("_count", str(req.count))]
    if offset:
        pairs.append(("_offset", str(offset)))
    return f"{fhir_base}/{req.rtype}?{urlencode(pairs)}"
