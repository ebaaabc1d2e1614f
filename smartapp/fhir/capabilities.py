"""Questions answered from a CapabilityStatement (which searches and interactions a server offers)."""

from __future__ import annotations

from typing import Any

from smartapp.fhir._values import dicts


def resource_capability(statement: dict[str, Any], resource_type: str) -> dict[str, Any] | None:
    for rest in dicts(statement.get("rest")):
        if rest.get("mode") not in (None, "server"):
            continue
        for resource in dicts(rest.get("resource")):
            if resource.get("type") == resource_type:
                return resource
    return None


def supported_revincludes(statement: dict[str, Any], resource_type: str) -> set[str]:
    """The `_revinclude` values the server declares for searches on `resource_type`."""
    resource = resource_capability(statement, resource_type) or {}
    return {v for v in resource.get("searchRevInclude") or [] if isinstance(v, str)}


def supported_includes(statement: dict[str, Any], resource_type: str) -> set[str]:
    resource = resource_capability(statement, resource_type) or {}
    return {v for v in resource.get("searchInclude") or [] if isinstance(v, str)}


def supports_interaction(statement: dict[str, Any], resource_type: str, code: str) -> bool:
    """e.g. supports_interaction(cs, "Claim", "create"): decides the write-back strategy."""
    resource = resource_capability(statement, resource_type) or {}
    return any(i.get("code") == code for i in dicts(resource.get("interaction")))


def supports_system_interaction(statement: dict[str, Any], code: str) -> bool:
    """e.g. supports_system_interaction(cs, "batch"): a server-level interaction is declared."""
    return any(
        i.get("code") == code
        for rest in dicts(statement.get("rest"))
        if rest.get("mode") in (None, "server")
        for i in dicts(rest.get("interaction"))
    )


def declared_search_params(statement: dict[str, Any], resource_type: str) -> set[str] | None:
    """The search parameters a server declares for `resource_type`; None when it declares none at all
    (then nothing can be concluded, and a search is tried)."""
    resource = resource_capability(statement, resource_type) or {}
    names = {str(p.get("name")) for p in dicts(resource.get("searchParam")) if p.get("name")}
    return names or None
