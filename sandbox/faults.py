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

`{"fail": "token_500"}` (docs/contracts.md) is accepted as an alias; `fail` may also be a list or
`"status_500:Encounter"` / `"malformed:DocumentReference"`.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
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

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status_500"] = sorted(self.status_500)
        data["malformed"] = sorted(self.malformed)
        return data


class FaultError(ValueError):
    """A fault request the sandbox does not understand."""


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = FaultState()

    @property
    def state(self) -> FaultState:
        with self._lock:
            return FaultState(**{**asdict(self._state),
                                 "status_500": set(self._state.status_500),
                                 "malformed": set(self._state.malformed)})

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
            if name in {"status_500", "malformed"} and rtype:
                body.setdefault(name, []).append(rtype)
            elif name == "expire_tokens":
                expire = True
            elif name in {"token_500", "no_claim"}:
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
        elif key in {"token_500", "no_claim"}:
            setattr(self._state, key, bool(value))
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
