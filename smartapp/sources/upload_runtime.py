"""The upload context of the running app: its settings, its storage (made once per process) and the
configured coding engine. Used by the upload page and the API alike."""

from __future__ import annotations

from flask import current_app

from smartapp.models import User
from smartapp.sources.files.storage import Storage, storage_for
from smartapp.sources.upload_service import UploadContext

STORAGE_KEY = "revrx.upload_storage"


def current_storage() -> Storage:
    storage: Storage | None = current_app.extensions.get(STORAGE_KEY)
    if storage is None:
        settings = current_app.config["SETTINGS"]
        storage = current_app.extensions[STORAGE_KEY] = storage_for(settings.uploads, settings.aws_region)
    return storage


def upload_context(user: User) -> UploadContext:
    settings = current_app.config["SETTINGS"]
    return UploadContext(user=user, settings=settings.uploads, storage=current_storage(),
                         engine=settings.coding_engine)
