"""A limit on concurrent requests to one EHR, shared by every web and worker process through Redis.

A sync of a thousand encounters queues a thousand coding jobs; each job fetches notes with several
threads, and production runs several workers. Without a shared limit, RevRX alone could hold dozens of
connections open to a hospital's FHIR server. `OriginSlots` is a counting semaphore per FHIR origin
(scheme://host:port): a request waits for a free slot and gives it back when the EHR has answered.

Each slot is a lease in a Redis sorted set (score = when it lapses), so a process killed while holding
one gives it back after `lease_s` instead of leaking it forever.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from redis import Redis
from redis.commands.core import Script

from smartapp.fhir.errors import FhirError
from smartapp.fhir.references import origin

# Drop lapsed leases, then take a slot if fewer than the limit are held. Atomic in Redis.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
"""


def _acquire_script(redis: Redis) -> Script:
    """`_ACQUIRE` as a redis-py Script bound to `redis` (kept on the client: one per connection pool)."""
    found: Script | None = getattr(redis, "_revrx_acquire", None)
    if found is None:
        found = redis.register_script(_ACQUIRE)
        redis._revrx_acquire = found  # type: ignore[attr-defined]
    return found


def slots_key(base_url: str) -> str:
    scheme, host, port = origin(base_url)
    return f"revrx:fhir-slots:{scheme}://{host}:{port}"


@dataclass(frozen=True)
class OriginSlots:
    """At most `limit` requests at a time to one FHIR origin, across processes."""

    redis: Redis
    base_url: str
    limit: int
    lease_s: float = 120.0     # longer than any one request (timeout × retries are separate requests)
    wait_s: float = 120.0      # how long a request waits for a slot before giving up
    poll_s: float = 0.02

    @contextmanager
    def hold(self) -> Iterator[None]:
        if self.limit <= 0:   # 0 switches the limit off
            yield
            return
        key = slots_key(self.base_url)
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait_s
        while True:
            now = time.time()
            # EVALSHA (the script by its hash; sent in full only when Redis does not know it yet): every
            # FHIR request of every job passes here.
            taken = _acquire_script(self.redis)(keys=[key], args=[now, self.limit, now + self.lease_s, token,
                                                                 int(self.lease_s * 1000) + 1000])
            if taken:
                break
            if time.monotonic() > deadline:
                raise FhirError(None, "The EHR is busy with other RevRX requests; this one waited too long. "
                                "Try again shortly.")
            time.sleep(self.poll_s)
        try:
            yield
        finally:
            self.redis.zrem(key, token)
