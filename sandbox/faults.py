"""Fault injection for tests: switches set with `POST /_admin/faults`, cleared with DELETE.

State lives in the process (the sandbox is one process with threads), guarded by a lock. Switches:

- `latency_ms`: sleep before every /fhir and /oauth request.
- `status_500`: resource types whose FHIR requests (read, search, create, update) answer 500.
- `token_500`: `POST /oauth/token` answers 500 `server_error`.
- `malformed`: resource types served structurally broken (valid JSON, invalid FHIR: lists become
  strings, objects become lists) in reads and Bundles.
- `no_claim`: the CapabilityStatement drops Claim and `POST /fhir/Claim` answers 404.
- `access_token_ttl`: seconds that newly issued access tokens live (default 3600).
- `expire_tokens`: an action, not a switch: every access token issued so far expires now (refresh
  tokens keep working, so a client can recover by refreshing).
- `no_revinclude`: the CapabilityStatement declares no `searchRevInclude` and `_revinclude` answers 400
  (an EHR like Epic); `no_batch`: no `batch` interaction and `POST /fhir` answers 405.
- `page_size`: the largest page any search returns (forces clients through `Bundle.link[next]`).
- `expired_search_sessions`: the next N next-page requests (`_offset`) answer 400, as Epic does when
  the search session its paging links name has expired; the client must search again.
- `rules`: a list of per-resource-type faults, each `{"kind", "resource", "status", "retry_after",
  "times", "latency_ms"}` (see `FaultRule`). `times` makes a rule one-shot or "fail N times then
  succeed", so retry-then-success is testable. Shorthands in `fail`: `"status_429:Binary"`,
  `"html_error:Encounter"`, `"malformed_json:DocumentReference"`, `"status_503:Binary*2"` (`*N` = times).

`{"fail": "token_500"}` (docs/contracts.md) is accepted as an alias; `fail` may also be a list or
`"status_500:Encounter"` / `"malformed:DocumentReference"`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sandbox.store import Resource


@dataclass
class FaultState:
    latency_ms: int = 0
    status_500: set[str] = field(default_factory=set)
    token_500: bool = False
    malformed: set[str] = field(default_factory=set)
    no_claim: bool = False
    access_token_ttl: int | None = None
    no_revinclude: bool = False
    no_batch: bool = False
    page_size: int | None = None
    expired_search_sessions: int = 0
    rules: list[FaultRule] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status_500"] = sorted(self.status_500)
        data["malformed"] = sorted(self.malformed)
        return data


RULE_KINDS = ("status", "html", "malformed_json", "latency", "lost")


@dataclass
class FaultRule:
    """One injected failure for requests on `resource` (a FHIR type, `metadata`, `batch` or `*`).

    kind: `status` answers `status` with an OperationOutcome (plus `Retry-After` when `retry_after` is
    set); `html` answers `status` (default 502) with a proxy's HTML error page; `malformed_json`
    answers 200 with truncated JSON; `latency` sleeps `latency_ms` and then serves normally; `lost`
    lets a POST be processed (the resource is created) and then answers `status` (default 504) instead,
    as a gateway that timed out after forwarding it: the client cannot tell whether it was written.
    `times`: how many requests the rule still affects (None = every request).
    """

    kind: str
    resource: str = "*"
    status: int | None = None
    retry_after: int | None = None
    times: int | None = None
    latency_ms: int = 0

    @classmethod
    def from_json(cls, body: Any) -> FaultRule:
        if not isinstance(body, dict):
            raise FaultError(f"a fault rule must be an object, got {body!r}")
        unknown = set(body) - {"kind", "resource", "status", "retry_after", "times", "latency_ms"}
        if unknown:
            raise FaultError(f"unknown fault rule keys {sorted(unknown)}")
        kind = str(body.get("kind", "status"))
        if kind not in RULE_KINDS:
            raise FaultError(f"unknown fault rule kind {kind!r}")
        status = body.get("status")
        if status is None and kind in ("status", "html", "lost"):
            status = {"status": 500, "html": 502, "lost": 504}[kind]
        times = body.get("times")
        return cls(
            kind=kind,
            resource=str(body.get("resource") or "*"),
            status=int(status) if status is not None else None,
            retry_after=int(body["retry_after"]) if body.get("retry_after") is not None else None,
            times=int(times) if times is not None else None,
            latency_ms=max(0, int(body.get("latency_ms") or 0)),
        )


_SHORTHAND = re.compile(r"^(?P<kind>status_(?P<status>\d{3})|html_error|malformed_json):(?P<type>[A-Za-z*]+)"
                        r"(?:\*(?P<times>\d+))?$")


def _shorthand_rule(item: str) -> FaultRule | None:
    match = _SHORTHAND.match(item)
    if match is None:
        return None
    kind = {"html_error": "html", "malformed_json": "malformed_json"}.get(match["kind"], "status")
    return FaultRule.from_json({
        "kind": kind, "resource": match["type"],
        "status": int(match["status"]) if match["status"] else None,
        "retry_after": 1 if match["status"] == "429" else None,
        "times": int(match["times"]) if match["times"] else None,
    })


class FaultError(ValueError):
    """A fault request the sandbox does not understand."""


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = FaultState()

    @property
    def state(self) -> FaultState:
        # A copy made field by field: `asdict` deep-copies recursively, and this runs several times per
        # request (a quarter of a FHIR search's CPU, issue 19).
        with self._lock:
            return replace(self._state, status_500=set(self._state.status_500),
                           malformed=set(self._state.malformed), rules=[replace(r) for r in self._state.rules])

    def take(self, resource: str) -> list[FaultRule]:
        """The rules that apply to one request on `resource`, each use counted against `times`."""
        taken: list[FaultRule] = []
        with self._lock:
            for rule in self._state.rules:
                if rule.resource not in ("*", resource) or rule.times == 0:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                taken.append(replace(rule))
        return taken

    def take_expired_session(self) -> bool:
        """Whether this next-page request finds its search session expired (uses one up)."""
        with self._lock:
            if self._state.expired_search_sessions <= 0:
                return False
            self._state.expired_search_sessions -= 1
            return True

    def clear(self) -> None:
        with self._lock:
            self._state = FaultState()

    def apply(self, body: dict[str, Any]) -> bool:
        """Merge switches into the current state; returns whether `expire_tokens` was asked."""
        body = dict(body)
        expire = bool(body.pop("expire_tokens", False))
        fails = body.pop("fail", [])
        for item in [fails] if isinstance(fails, str) else list(fails):
            name, _, rtype = str(item).partition(":")
            rule = _shorthand_rule(str(item))
            if name in {"status_500", "malformed"} and rtype and "*" not in rtype:
                body.setdefault(name, []).append(rtype)  # the original persistent switches
            elif rule is not None:
                body.setdefault("rules", []).append(asdict(rule))
            elif name == "expire_tokens":
                expire = True
            elif name in {"token_500", "no_claim", "no_revinclude", "no_batch"}:
                body[name] = True
            else:
                raise FaultError(f"unknown fault {item!r}")
        with self._lock:
            for key, value in body.items():
                self._set(key, value)
        return expire

    def _set(self, key: str, value: Any) -> None:
        if key == "latency_ms":
            self._state.latency_ms = max(0, int(value))
        elif key == "access_token_ttl":
            self._state.access_token_ttl = int(value) if value is not None else None
        elif key in {"status_500", "malformed"}:
            types = [value] if isinstance(value, str) else list(value)
            getattr(self._state, key).update(str(t) for t in types)
        elif key in {"token_500", "no_claim", "no_revinclude", "no_batch"}:
            setattr(self._state, key, bool(value))
        elif key == "page_size":
            self._state.page_size = max(1, int(value)) if value else None
        elif key == "expired_search_sessions":
            self._state.expired_search_sessions = max(0, int(value or 0))
        elif key == "rules":
            rules = value if isinstance(value, list) else [value]
            self._state.rules.extend(FaultRule.from_json(r) for r in rules)
        else:
            raise FaultError(f"unknown fault switch {key!r}")


def mangle(resource: Resource) -> Resource:
    """A structurally broken copy: keeps resourceType/id/meta so it is still addressable."""
    broken: Resource = {}
    for key, value in resource.items():
        if key in {"resourceType", "id", "meta"}:
            broken[key] = value
        elif isinstance(value, list):
            broken[key] = "malformed"
        elif isinstance(value, dict):
            broken[key] = ["malformed"]
        else:
            broken[key] = value
    return broken
