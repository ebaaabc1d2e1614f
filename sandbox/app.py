"""The sandbox EHR's app factory: `create_app(db_path, base_url)` reads as its list of steps."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from sandbox import admin, bulk_export, db, ehr_events, ehr_views, fhir_api, oauth_admin, oauth_views, service_access
from sandbox.clients import load_clients
from sandbox.config import SandboxConfig, build_config
from sandbox.faults import Faults
from sandbox.keys import Signer, load_or_create_key
from sandbox.oauth_server import create_authorization_server, create_resource_protector
from sandbox.outcome import FhirError, error_response
from sandbox.profiles import LONG_ID_SOURCE
from sandbox.seed import add_missing_staff, seed_if_empty
from sandbox.seed.long_ids import add_long_id_copy
from sandbox.services import EXTENSION, Services, services
from sandbox.subscriptions import api as subscription_api
from sandbox.subscriptions import finish as subscription_finish
from sandbox.subscriptions.lifecycle import prepare_subscriptions

log = logging.getLogger(__name__)


def create_app(db_path: str, base_url: str | None = None, launch_json: str | Path | None = None) -> Flask:
    """Build a sandbox on `db_path` (created and seeded when empty) served at `base_url`.

    base_url defaults to SANDBOX_BASE_URL, else http://127.0.0.1:5055; launch_json to
    SANDBOX_LAUNCH_JSON, else the repository's launch.json.
    """
    config = build_config(db_path, base_url, launch_json)
    app = Flask(__name__)
    app.config["SANDBOX"] = config
    signer = prepare_storage(config)
    configure_services(app, config, signer)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    prepare_subscriptions(config)
    return app


def prepare_storage(config: SandboxConfig) -> Signer:
    """Create the schema, seed an empty DB, and load (or create once) the id_token signing key."""
    db.init_db(config.db_path)
    seeded = seed_if_empty(config.db_path) or add_missing_staff(config.db_path)
    if seeded:
        log.info("seeded %d resources into %s", seeded, config.db_path)
    if config.profile.long_id_encounter:
        add_long_id_copy(config.db_path, LONG_ID_SOURCE, config.profile.long_id_encounter)
    conn = db.connect(config.db_path)
    try:
        return Signer(load_or_create_key(conn))
    finally:
        conn.close()


def configure_services(app: Flask, config: SandboxConfig, signer: Signer) -> None:
    db.init_app(app)
    faults = Faults()
    clients = load_clients(config.fhir_base, config.base_url, config.launch_json, config.profile)
    app.extensions[EXTENSION] = Services(
        config=config,
        clients=clients,
        signer=signer,
        faults=faults,
        auth_server=create_authorization_server(app, config, clients, signer, faults),
        protector=create_resource_protector(),
    )


def register_blueprints(app: Flask) -> None:
    for blueprint in (bulk_export.bp, fhir_api.bp, oauth_views.bp, ehr_views.bp, admin.bp, service_access.bp,
                      ehr_events.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(oauth_admin.bp)
    app.register_blueprint(subscription_api.bp)
    app.register_blueprint(subscription_finish.bp)


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def inject_latency() -> None:
        latency = services().faults.state.latency_ms
        if latency and request.path.startswith(("/fhir", "/oauth")):
            time.sleep(latency / 1000)


def _is_fhir() -> bool:
    return request.path == "/fhir" or request.path.startswith("/fhir/")


def register_error_handlers(app: Flask) -> None:
    # Errors under /fhir are OperationOutcomes, whatever raised them (routing 404/405 included).
    @app.errorhandler(FhirError)
    def fhir_error(err: FhirError) -> Response:
        return error_response(err)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response | HTTPException:
        if _is_fhir():
            return error_response(FhirError(err.code or 500, err.description or err.name))
        return err

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> Response | tuple[str, int]:
        log.exception("unhandled error on %s", request.path)
        if _is_fhir():
            return error_response(FhirError(500, "Internal server error"))
        return "Internal server error", 500
