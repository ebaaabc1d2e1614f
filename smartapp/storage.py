"""Where original files are kept for review: a local folder (default) or S3, keyed by content hash.

The key is the file's SHA-256, so storing the same content twice writes one object. Locally the bytes
are Fernet-encrypted like note text; on S3 every object is written with server-side encryption.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from smartapp.config import UploadSettings
from smartapp.security import crypto
from smartapp.security.files import write_private


class StorageError(RuntimeError):
    """The original could not be stored or read; never carries file content."""


class Storage(Protocol):
    name: str

    def key_for(self, sha256: str) -> str: ...

    def put(self, sha256: str, data: bytes, media_type: str) -> str: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def key_for(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256}"   # a fan-out level keeps directories small

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise StorageError("invalid storage key")
        return path

    def put(self, sha256: str, data: bytes, media_type: str) -> str:
        key = self.key_for(sha256)
        path = self._path(key)
        if path.exists():
            return key   # same hash, same content: already stored
        try:
            partial = path.with_suffix(f".{os.getpid()}.part")
            write_private(partial, crypto.encrypt_bytes(data))   # 0600, in 0700 folders
            partial.replace(path)   # atomic: a reader never sees half a file
        except OSError as exc:
            raise StorageError("the upload folder is not writable") from exc
        return key

    def get(self, key: str) -> bytes:
        try:
            return crypto.decrypt_bytes(self._path(key).read_bytes())
        except OSError as exc:
            raise StorageError("the stored original is missing") from exc

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError("the stored original could not be removed") from exc


class S3Storage:
    name = "s3"

    def __init__(self, client: Any, bucket: str, prefix: str = "", sse: str = "aws:kms",
                 kms_key_id: str | None = None) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix
        self.sse, self.kms_key_id = sse, kms_key_id

    def key_for(self, sha256: str) -> str:
        return f"{self.prefix}{sha256}"

    def put(self, sha256: str, data: bytes, media_type: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self.key_for(sha256)
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key, "Body": data, "ContentType": media_type,
                                  "ServerSideEncryption": self.sse}
        if self.sse == "aws:kms" and self.kms_key_id:
            params["SSEKMSKeyId"] = self.kms_key_id
        try:
            self.client.put_object(**params)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"S3 refused the object ({type(exc).__name__})") from exc
        return key

    def get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"S3 could not return the object ({type(exc).__name__})") from exc
        return body

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"S3 could not remove the object ({type(exc).__name__})") from exc


def storage_for(settings: UploadSettings, region: str, client: Any = None) -> Storage:
    """The configured storage; `client` is a boto3 S3 client to use instead of a new one."""
    if settings.storage == "s3":
        if client is None:
            import boto3

            client = boto3.client("s3", region_name=region)
        return S3Storage(client, settings.s3_bucket or "", settings.s3_prefix, settings.s3_sse,
                         settings.s3_kms_key_id)
    return LocalStorage(settings.local_dir)
