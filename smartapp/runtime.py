"""What the services take from the process they run in: the settings, the SMART registrations, Redis,
the way into the EHR and the upload storage. Built once by `create_app()` and once by the worker (which
needs no Flask app); services receive it, or the part they use, as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redis import Redis

from smartapp.config import Settings
from smartapp.ehr_access.access import EhrAccess
from smartapp.fhir import outbound
from smartapp.insights import feedback
from smartapp.jobqueue import jobs
from smartapp.security import crypto
from smartapp.smart import client_keys
from smartapp.smart.registry import Registry, load_registry
from smartapp.storage import Storage, storage_for


@dataclass
class Runtime:
    settings: Settings
    registry: Registry
    redis: Redis
    ehr: EhrAccess
    _storage: Storage | None = field(default=None, repr=False)

    @property
    def storage(self) -> Storage:
        """Made on first use: a worker that never touches uploads never builds an S3 client."""
        if self._storage is None:
            self._storage = storage_for(self.settings.uploads, self.settings.aws_region)
        return self._storage


def build_runtime(settings: Settings) -> Runtime:
    """Configure encryption, signing keys and the job queue for this process and assemble the runtime."""
    crypto.configure(settings.encryption_keys)
    outbound.configure(outbound.AddressPolicy.from_setting(settings.outbound_allowed_hosts))   # SSRF policy
    client_keys.configure(settings.instance_dir)   # where private_key_jwt signing keys live
    feedback.configure(settings.insights_min_decisions)   # learning from decisions needs this many
    jobs.init(settings.redis_url, settings.queue_name, settings.job_timeout_s)
    assert jobs.redis is not None   # noqa: S101 - init just set it
    registry = load_registry(settings.launch_json)
    if not settings.sandbox_mode:   # the dev sandbox's registrations never launch or frame a deployment
        registry = registry.without_vendor("sandbox")
    ehr = EhrAccess(registry, jobs.redis, timeout_s=settings.fhir_timeout_s,
                    refresh_margin_s=settings.token_refresh_margin_s, max_concurrency=settings.fhir_max_concurrency)
    return Runtime(settings=settings, registry=registry, redis=jobs.redis, ehr=ehr)
