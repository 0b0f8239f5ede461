"""Where uploaded documents live: a local directory outside the web root, or an S3-compatible bucket.

Framework-free: services call it, controllers never build paths. The rules (security-notes B.5, B.7):

* **Random keys.** ``save`` names every object ``<tenant>/<xx>/<32 hex>`` from 128 random bits
  (``xx`` is the first two hex digits, to keep directories small). Nothing the user sends, least of
  all the file name, reaches a path or an object key; every key is checked against that format
  before it is used, so ``..``, absolute paths and foreign objects are refused.
* **Streaming.** ``save`` consumes an async iterator of chunks, computes SHA-256 and size while it
  writes, and never holds more than one buffer (1 MiB locally, one multipart part on S3) in memory.
  It raises `TooLarge` as soon as ``max_bytes`` is passed and leaves nothing behind.
* **Crash safety (B.7).** Locally a file is written to ``<root>/.incoming/<random>``, fsynced,
  renamed into place and the directory fsynced before ``save`` returns; on S3 the object only
  appears when the multipart upload completes. The caller commits the database row *after*
  ``save`` returns, so a crash can leave an object without a row, never a row without its object.
  `sweep_orphans` (run periodically) deletes those orphans and stale partial uploads.
* **The event loop never blocks.** Disk and boto3 calls run in worker threads (``anyio.to_thread``).

``open`` and ``keys_older_than`` are async generators (``async for chunk in storage.open(key)``);
a missing object raises `ObjectNotFound` at the first chunk, so call ``exists`` first where a
response must not start for a missing file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast
from urllib.parse import parse_qs, unquote, urlsplit

import anyio
import anyio.to_thread
import structlog

__all__ = [
    "LOCAL_BUFFER_BYTES",
    "InvalidKey",
    "LocalStorage",
    "ObjectNotFound",
    "S3Storage",
    "Storage",
    "StoredObject",
    "TooLarge",
    "is_valid_key",
    "iter_file",
    "new_key",
    "storage_from_url",
    "sweep_orphans",
]

log = structlog.get_logger(__name__)

#: Locally, chunks are gathered up to this size and written (and hashed) in one worker-thread call.
LOCAL_BUFFER_BYTES = 1024 * 1024
#: S3 refuses multipart parts below 5 MiB (except the last one).
S3_MIN_PART_BYTES = 5 * 1024 * 1024
S3_DEFAULT_PART_BYTES = 8 * 1024 * 1024
#: Read size when streaming an object back.
READ_CHUNK_BYTES = 256 * 1024

_TENANT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")
_SHARD_RE = re.compile(r"[0-9a-f]{2}")
_NAME_RE = re.compile(r"[0-9a-f]{32}")
_KEY_RE = re.compile(
    r"(?P<tenant>[A-Za-z0-9][A-Za-z0-9_-]{0,62})/(?P<shard>[0-9a-f]{2})/(?P<name>[0-9a-f]{32})"
)
_INCOMING = ".incoming"
_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class TooLarge(Exception):  # noqa: N818 - the name the callers use
    """The stream passed ``max_bytes``; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"upload exceeds {max_bytes} bytes")
        self.max_bytes = max_bytes


class ObjectNotFound(LookupError):  # noqa: N818
    """No object under this key (never stored, or deleted)."""


class InvalidKey(ValueError):  # noqa: N818
    """A key (or tenant id) that this storage would never have generated."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    sha256: str
    size: int


class Storage(Protocol):
    """What services need from a document store; `LocalStorage` and `S3Storage` implement it."""

    async def save(self, chunks: AsyncIterator[bytes], *, max_bytes: int, tenant_id: str) -> StoredObject:
        """Stream ``chunks`` to a new object with a random key; `TooLarge` past ``max_bytes``."""
        ...

    def open(self, key: str) -> AsyncIterator[bytes]:
        """Stream the object back (an async generator: `ObjectNotFound` comes with the first chunk)."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether the object is there (check before starting a response, if that matters)."""
        ...

    async def read_head(self, key: str, n: int) -> bytes:
        """The first ``n`` bytes (fewer if the object is shorter)."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing object is not an error."""
        ...

    def keys_older_than(self, age_seconds: float) -> AsyncIterator[str]:
        """Keys of objects last written more than ``age_seconds`` ago (an async generator)."""
        ...

    async def remove_stale_uploads(self, age_seconds: float) -> int:
        """Remove partial uploads idle for ``age_seconds`` (crash leftovers); returns how many."""
        ...


# --- keys -----------------------------------------------------------------------------------------


def new_key(tenant_id: str) -> str:
    """``<tenant>/<xx>/<32 random hex>``: 128 bits from the OS CSPRNG, nothing from the request."""
    if not _TENANT_RE.fullmatch(tenant_id):
        raise InvalidKey(f"tenant id {tenant_id!r} is not usable in a storage key")
    name = secrets.token_hex(16)
    return f"{tenant_id}/{name[:2]}/{name}"


def is_valid_key(key: str) -> bool:
    match = _KEY_RE.fullmatch(key)
    return match is not None and match["name"].startswith(match["shard"])


def _open_binary(path: Path) -> BinaryIO:
    return open(path, "rb")  # the caller closes it (end of its stream)


def _check_key(key: str) -> str:
    if not is_valid_key(key):
        raise InvalidKey(f"not a storage key: {key!r}")
    return key


async def iter_file(path: Path, chunk_size: int = LOCAL_BUFFER_BYTES) -> AsyncIterator[bytes]:
    """Stream a local file (for example a checked upload) into `Storage.save` without blocking."""
    handle = await anyio.to_thread.run_sync(_open_binary, path)
    try:
        while chunk := await anyio.to_thread.run_sync(handle.read, chunk_size):
            yield chunk
    finally:
        handle.close()


# --- local directory ------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(root: Path, relative: Path) -> Path:
    """Create ``root/relative`` one level at a time (mode 0o700), fsyncing each new entry's parent."""
    current = root
    for part in relative.parts:
        parent, current = current, current / part
        try:
            current.mkdir(mode=0o700)
        except FileExistsError:
            continue
        _fsync_dir(parent)
    return current


def _write_all(fd: int, data: bytearray, digest: Any) -> None:
    """Hash and write one buffer (in a worker thread; hashlib releases the GIL on large inputs)."""
    digest.update(data)
    with memoryview(data) as view:
        written = 0
        while written < len(view):
            written += os.write(fd, view[written:])


class LocalStorage:
    """Files under ``root`` (outside any static mount), 0o600 files in 0o700 directories."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    @property
    def incoming(self) -> Path:
        return self.root / _INCOMING

    def path_for(self, key: str) -> Path:
        """The file behind a key (validated: a crafted key cannot leave ``root``)."""
        return self.root / _check_key(key)

    def _prepare(self) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _make_dirs(self.root, Path(_INCOMING))

    def _create_temp(self) -> tuple[int, Path]:
        incoming = self._prepare()
        tmp = incoming / secrets.token_hex(16)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
        return os.open(tmp, flags, 0o600), tmp

    @staticmethod
    def _sync_and_close(fd: int) -> None:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _publish(self, tmp: Path, key: str) -> None:
        """Rename the synced file to its key (same filesystem: atomic) and make the rename durable."""
        directory = _make_dirs(self.root, Path(key).parent)
        os.replace(tmp, self.root / key)
        _fsync_dir(directory)

    @staticmethod
    def _discard(fd: int | None, tmp: Path) -> None:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
        tmp.unlink(missing_ok=True)

    async def save(self, chunks: AsyncIterator[bytes], *, max_bytes: int, tenant_id: str) -> StoredObject:
        key = new_key(tenant_id)
        fd, tmp = await anyio.to_thread.run_sync(self._create_temp)
        fd_open = True
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray()
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                buffer += chunk
                if len(buffer) >= LOCAL_BUFFER_BYTES:
                    await anyio.to_thread.run_sync(_write_all, fd, buffer, digest)
                    del buffer[:]
            if buffer:
                await anyio.to_thread.run_sync(_write_all, fd, buffer, digest)
                del buffer[:]
            fd_open = False  # closed by the next call whatever happens: never close a reused number
            await anyio.to_thread.run_sync(self._sync_and_close, fd)
            await anyio.to_thread.run_sync(self._publish, tmp, key)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._discard, fd if fd_open else None, tmp)
            raise
        return StoredObject(key=key, sha256=digest.hexdigest(), size=size)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self.path_for(key)
        try:
            handle = await anyio.to_thread.run_sync(_open_binary, path)
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        try:
            while chunk := await anyio.to_thread.run_sync(handle.read, READ_CHUNK_BYTES):
                yield chunk
        finally:
            handle.close()

    async def exists(self, key: str) -> bool:
        return await anyio.to_thread.run_sync(self.path_for(key).is_file)

    async def read_head(self, key: str, n: int) -> bytes:
        path = self.path_for(key)

        def read() -> bytes:
            with open(path, "rb") as handle:
                return handle.read(max(n, 0))

        try:
            return await anyio.to_thread.run_sync(read)
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        await anyio.to_thread.run_sync(partial(path.unlink, missing_ok=True))

    def _old_files(self, directory: Path, cutoff: float, pattern: re.Pattern[str]) -> list[str]:
        found: list[str] = []
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            return found
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_mtime <= cutoff:
                found.append(entry.name)
        return found

    def _subdirs(self, directory: Path, pattern: re.Pattern[str]) -> list[str]:
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            return []
        return sorted(
            e.name for e in entries if pattern.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
        )

    async def keys_older_than(self, age_seconds: float) -> AsyncIterator[str]:
        cutoff = time.time() - age_seconds
        for tenant in await anyio.to_thread.run_sync(self._subdirs, self.root, _TENANT_RE):
            for shard in await anyio.to_thread.run_sync(self._subdirs, self.root / tenant, _SHARD_RE):
                names = await anyio.to_thread.run_sync(
                    self._old_files, self.root / tenant / shard, cutoff, _NAME_RE
                )
                for name in sorted(names):
                    key = f"{tenant}/{shard}/{name}"
                    if is_valid_key(key):
                        yield key

    async def remove_stale_uploads(self, age_seconds: float) -> int:
        """Delete ``.incoming`` files not written to for ``age_seconds`` (a crash mid-upload)."""
        cutoff = time.time() - age_seconds

        def remove() -> int:
            names = self._old_files(self.incoming, cutoff, _NAME_RE)
            for name in names:
                (self.incoming / name).unlink(missing_ok=True)
            return len(names)

        return await anyio.to_thread.run_sync(remove)


# --- S3-compatible bucket -------------------------------------------------------------------------


def _error_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


class S3Storage:
    """Objects ``<prefix><key>`` in one bucket; boto3 runs in worker threads.

    Uploads of at least one part (``part_size``, default 8 MiB) use a multipart upload so memory
    stays at one part whatever the file size; smaller files are one ``put_object``. A failed or
    too-large upload aborts the multipart upload, so no object and no stored parts remain.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        client_kwargs: dict[str, Any] | None = None,
        *,
        part_size: int = S3_DEFAULT_PART_BYTES,
        server_side_encryption: str | None = None,
    ) -> None:
        import boto3  # deferred: only S3 deployments pay for the import

        if part_size < S3_MIN_PART_BYTES:
            raise ValueError(f"S3 multipart parts must be at least {S3_MIN_PART_BYTES} bytes")
        prefix = prefix.strip("/")
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""
        self.part_size = part_size
        self._extra: dict[str, str] = (
            {"ServerSideEncryption": server_side_encryption} if server_side_encryption else {}
        )
        # A boto3 client is thread-safe (a Session is not): one client, used from worker threads.
        self._client: Any = boto3.session.Session().client("s3", **(client_kwargs or {}))

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def object_name(self, key: str) -> str:
        return self.prefix + _check_key(key)

    async def _call(self, method: str, /, **kwargs: Any) -> Any:
        return await anyio.to_thread.run_sync(partial(getattr(self._client, method), **kwargs))

    def _upload_part(self, name: str, upload_id: str, number: int, data: bytearray, digest: Any) -> str:
        digest.update(data)
        response = self._client.upload_part(
            Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=data
        )
        return cast(str, response["ETag"])

    def _put(self, name: str, data: bytearray, digest: Any) -> None:
        digest.update(data)
        self._client.put_object(Bucket=self.bucket, Key=name, Body=data, **self._extra)

    async def save(self, chunks: AsyncIterator[bytes], *, max_bytes: int, tenant_id: str) -> StoredObject:
        key = new_key(tenant_id)
        name = self.prefix + key
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray()
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []

        async def flush() -> None:
            nonlocal upload_id
            if upload_id is None:
                created = await self._call(
                    "create_multipart_upload", Bucket=self.bucket, Key=name, **self._extra
                )
                upload_id = cast(str, created["UploadId"])
            number = len(parts) + 1
            etag = await anyio.to_thread.run_sync(self._upload_part, name, upload_id, number, buffer, digest)
            parts.append({"PartNumber": number, "ETag": etag})
            del buffer[:]

        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                buffer += chunk
                if len(buffer) >= self.part_size:
                    await flush()
            if upload_id is None:
                await anyio.to_thread.run_sync(self._put, name, buffer, digest)
            else:
                if buffer:
                    await flush()
                await self._call(
                    "complete_multipart_upload",
                    Bucket=self.bucket,
                    Key=name,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )
        except BaseException:
            if upload_id is not None:
                with anyio.CancelScope(shield=True):
                    try:
                        await self._call(
                            "abort_multipart_upload", Bucket=self.bucket, Key=name, UploadId=upload_id
                        )
                    except Exception:  # the original error matters more; GC aborts it later
                        log.warning("storage.s3.abort_failed", key=key, exc_info=True)
            raise
        return StoredObject(key=key, sha256=digest.hexdigest(), size=size)

    async def _get(self, key: str, **kwargs: Any) -> Any:
        name = self.object_name(key)
        try:
            return await self._call("get_object", Bucket=self.bucket, Key=name, **kwargs)
        except Exception as error:
            if _error_code(error) in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectNotFound(key) from None
            raise

    async def open(self, key: str) -> AsyncIterator[bytes]:
        body = (await self._get(key))["Body"]
        try:
            while chunk := await anyio.to_thread.run_sync(body.read, READ_CHUNK_BYTES):
                yield cast(bytes, chunk)
        finally:
            body.close()

    async def exists(self, key: str) -> bool:
        try:
            await self._call("head_object", Bucket=self.bucket, Key=self.object_name(key))
        except Exception as error:
            if _error_code(error) in {"NoSuchKey", "404", "NotFound"}:
                return False
            raise
        return True

    async def read_head(self, key: str, n: int) -> bytes:
        if n <= 0:
            return b""
        try:
            response = await self._get(key, Range=f"bytes=0-{n - 1}")
        except Exception as error:
            if _error_code(error) == "InvalidRange":  # an empty object
                return b""
            raise
        body = response["Body"]
        try:
            return cast(bytes, await anyio.to_thread.run_sync(body.read))[:n]
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Bucket=self.bucket, Key=self.object_name(key))

    async def keys_older_than(self, age_seconds: float) -> AsyncIterator[str]:
        cutoff = datetime.now(UTC).timestamp() - age_seconds
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = await self._call("list_objects_v2", **kwargs)
            for item in page.get("Contents", []):
                key = str(item["Key"])[len(self.prefix) :]
                # Only our own keys: anything else under the prefix is not ours to delete.
                if is_valid_key(key) and item["LastModified"].timestamp() <= cutoff:
                    yield key
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return

    async def remove_stale_uploads(self, age_seconds: float) -> int:
        """Abort multipart uploads of our keys started more than ``age_seconds`` ago."""
        cutoff = datetime.now(UTC).timestamp() - age_seconds
        removed = 0
        markers: dict[str, str] = {}
        while True:
            page = await self._call(
                "list_multipart_uploads", Bucket=self.bucket, Prefix=self.prefix, **markers
            )
            for upload in page.get("Uploads", []):
                name = str(upload["Key"])
                if is_valid_key(name[len(self.prefix) :]) and upload["Initiated"].timestamp() <= cutoff:
                    await self._call(
                        "abort_multipart_upload", Bucket=self.bucket, Key=name, UploadId=upload["UploadId"]
                    )
                    removed += 1
            if not page.get("IsTruncated"):
                return removed
            markers = {"KeyMarker": page["NextKeyMarker"], "UploadIdMarker": page["NextUploadIdMarker"]}


# --- configuration and garbage collection ---------------------------------------------------------

_S3_PARAMS = {"endpoint_url", "region", "region_name", "sse", "addressing_style"}


def storage_from_url(url: str | None, root: Path) -> Storage:
    """``PORTAL_STORAGE_URL``: unset -> ``root``; ``file:///abs/path``; or ``s3://bucket/prefix?…``.

    S3 query parameters: ``endpoint_url``, ``region`` (or ``region_name``), ``sse=AES256`` (or
    ``aws:kms``) and ``addressing_style=path|virtual``. Credentials come from the standard AWS
    environment variables / boto3 chain, never from the URL.
    """
    if not url:
        return LocalStorage(root)
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = unquote(parts.path)
        if parts.netloc not in {"", "localhost"} or not path.startswith("/") or parts.query:
            raise ValueError("storage URL must be file:///absolute/path")
        return LocalStorage(Path(path))
    if parts.scheme == "s3":
        if "@" in parts.netloc:
            raise ValueError("put S3 credentials in the AWS environment variables, not in the storage URL")
        bucket = parts.netloc
        if not _BUCKET_RE.fullmatch(bucket):
            raise ValueError(f"invalid S3 bucket name {bucket!r}")
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
        unknown = set(query) - _S3_PARAMS
        if unknown:
            raise ValueError(f"unknown S3 storage URL parameters: {', '.join(sorted(unknown))}")
        params = {name: values[-1] for name, values in query.items()}
        client_kwargs: dict[str, Any] = {}
        if params.get("endpoint_url"):
            client_kwargs["endpoint_url"] = params["endpoint_url"]
        region = params.get("region") or params.get("region_name")
        if region:
            client_kwargs["region_name"] = region
        if params.get("addressing_style"):
            from botocore.config import Config

            client_kwargs["config"] = Config(s3={"addressing_style": params["addressing_style"]})
        return S3Storage(
            bucket,
            unquote(parts.path),
            client_kwargs,
            server_side_encryption=params.get("sse") or None,
        )
    raise ValueError(f"unsupported storage URL scheme {parts.scheme!r} (use file:// or s3://)")


async def sweep_orphans(
    storage: Storage,
    known_keys: Callable[[Sequence[str]], Awaitable[set[str]]],
    older_than_seconds: float,
    *,
    batch_size: int = 500,
) -> list[str]:
    """Delete objects older than the period that no database row references; return their keys.

    ``known_keys(batch)`` answers which keys of the batch a row references. The period must be far
    longer than any upload request (between ``save`` and the commit of its row), for example a day:
    a younger object may belong to a request still in flight. Partial uploads (``.incoming`` files,
    unfinished multipart uploads) idle for the same period are removed too.
    """
    if older_than_seconds < 0:
        raise ValueError("older_than_seconds must not be negative")
    deleted: list[str] = []

    async def sweep(batch: list[str]) -> None:
        referenced = await known_keys(batch)
        for key in batch:
            if key not in referenced:
                await storage.delete(key)
                deleted.append(key)

    batch: list[str] = []
    async for key in storage.keys_older_than(older_than_seconds):
        batch.append(key)
        if len(batch) >= batch_size:
            await sweep(batch)
            batch = []
    if batch:
        await sweep(batch)
    stale = await storage.remove_stale_uploads(older_than_seconds)
    log.info("storage.sweep", deleted=len(deleted), stale_uploads=stale, older_than=older_than_seconds)
    return deleted
