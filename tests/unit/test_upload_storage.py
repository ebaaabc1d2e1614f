"""Original files kept for review: a local folder (encrypted at rest) or S3 (server-side encryption on),
keyed by the content's SHA-256. S3 is replaced by botocore's Stubber; nothing leaves the machine."""

from __future__ import annotations

import hashlib
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from cryptography.fernet import Fernet

from smartapp.config import ConfigError, UploadSettings
from smartapp.security import crypto
from smartapp.storage import LocalStorage, S3Storage, StorageError, storage_for

DATA = b"Assessment: essential hypertension. Patient Jonah Wexler."
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture()
def keys() -> None:
    crypto.configure((Fernet.generate_key().decode(),))


def test_local_storage_keys_by_hash_and_encrypts_at_rest(tmp_path: Path, keys: None) -> None:
    store = LocalStorage(tmp_path)
    key = store.put(SHA, DATA, "text/plain")
    assert key.endswith(SHA)
    raw = (tmp_path / key).read_bytes()
    assert b"hypertension" not in raw and b"Wexler" not in raw
    assert store.get(key) == DATA
    assert store.put(SHA, DATA, "text/plain") == key          # same content, same object
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [SHA]


def test_local_storage_refuses_keys_outside_its_folder(tmp_path: Path, keys: None) -> None:
    with pytest.raises(StorageError):
        LocalStorage(tmp_path / "uploads").get("../../etc/passwd")


def _s3() -> tuple[S3Storage, Stubber]:
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    settings = UploadSettings(storage="s3", s3_bucket="revrx-notes", s3_prefix="org1/", s3_sse="aws:kms",
                              s3_kms_key_id="alias/revrx")
    store = storage_for(settings, "us-east-1", client=client)
    assert isinstance(store, S3Storage)
    return store, Stubber(client)


def test_s3_put_has_server_side_encryption_and_a_hash_key() -> None:
    store, stub = _s3()
    stub.add_response("put_object", {"ETag": '"x"'}, {
        "Bucket": "revrx-notes", "Key": f"org1/{SHA}", "Body": DATA, "ContentType": "application/pdf",
        "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/revrx",
    })
    with stub:
        assert store.put(SHA, DATA, "application/pdf") == f"org1/{SHA}"
    stub.assert_no_pending_responses()


def test_s3_errors_become_storage_errors() -> None:
    store, stub = _s3()
    stub.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
    stub.add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404)
    with stub, pytest.raises(StorageError):
        store.put(SHA, DATA, "text/plain")
    with stub, pytest.raises(StorageError):
        store.get(f"org1/{SHA}")


def test_deleting_an_original_locally_and_on_s3(tmp_path: Path, keys: None) -> None:
    local = LocalStorage(tmp_path)
    key = local.put(SHA, DATA, "text/plain")
    local.delete(key)
    local.delete(key)   # already gone: retention runs again without an error
    with pytest.raises(StorageError):
        local.get(key)
    store, stub = _s3()
    stub.add_response("delete_object", {}, {"Bucket": "revrx-notes", "Key": f"org1/{SHA}"})
    stub.add_client_error("delete_object", service_error_code="AccessDenied", http_status_code=403)
    with stub:
        store.delete(f"org1/{SHA}")
        with pytest.raises(StorageError):
            store.delete(f"org1/{SHA}")
    stub.assert_no_pending_responses()


def test_settings_from_environment(tmp_path: Path) -> None:
    local = UploadSettings.from_env({}, tmp_path)
    assert local.storage == "local" and local.local_dir == tmp_path / "uploads"
    assert local.max_bytes == 10 * 1024 * 1024 and local.default_policy == "skip"
    s3 = UploadSettings.from_env({"UPLOAD_STORAGE": "s3", "UPLOAD_S3_BUCKET": "b", "UPLOAD_S3_PREFIX": "p",
                                  "UPLOAD_S3_SSE": "AES256", "UPLOAD_MAX_MB": "2.5",
                                  "UPLOAD_DUPLICATES": "version"}, tmp_path)
    assert (s3.s3_bucket, s3.s3_prefix, s3.s3_sse, s3.max_bytes, s3.default_policy) == (
        "b", "p/", "AES256", int(2.5 * 1024 * 1024), "version")
    for bad in ({"UPLOAD_STORAGE": "s3"}, {"UPLOAD_STORAGE": "ftp"}, {"UPLOAD_MAX_MB": "ten"},
                {"UPLOAD_S3_SSE": "none"}, {"UPLOAD_DUPLICATES": "merge"}):
        with pytest.raises(ConfigError):
            UploadSettings.from_env(bad, tmp_path)
