"""The sandbox's long-lived objects, built once per app and kept in `app.extensions`."""

from __future__ import annotations

from dataclasses import dataclass

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from flask import current_app

from sandbox.clients import SandboxClient
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.keys import Signer

EXTENSION = "sandbox"


@dataclass
class Services:
    config: SandboxConfig
    clients: dict[str, SandboxClient]
    signer: Signer
    faults: Faults
    auth_server: AuthorizationServer
    protector: ResourceProtector

    def first_client(self) -> SandboxClient | None:
        return next(iter(self.clients.values()), None)


def services() -> Services:
    found: Services = current_app.extensions[EXTENSION]
    return found
