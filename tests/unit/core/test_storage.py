"""Document storage (issue 5 item 4, security-notes B.5/B.7): local directory and S3 (moto server)."""

import hashlib
import logging
import os
import re
import socket
import stat
import subprocess
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import anyio
import boto3
import pytest
from moto.server import ThreadedMotoServer

from portal.core.storage import (
    InvalidKey,
    LocalStorage,
    ObjectNotFound,
    S3Storage,
    Storage,
    TooLarge,
    is_valid_key,
    iter_file,
    storage_from_url,
    sweep_orphans,
)

MB = 1024 * 1024
TENANT = "KZ-75"
KEY = re.compile(r"KZ-75/([0-9a-f]{2})/(\1[0-9a-f]{30})")
_BLOCK = bytes(range(256)) * 256  # 64 KiB, reused: the test itself allocates nothing per chunk


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def stream(total: int, chunk: int = len(_BLOCK)) -> AsyncIterator[bytes]:
    sent = 0
    block = _BLOCK if chunk == len(_BLOCK) else (_BLOCK * (chunk // len(_BLOCK) + 1))[:chunk]
    while sent < total:
        piece = block if total - sent >= len(block) else block[: total - sent]
        sent += len(piece)
        yield piece


def expected_sha256(total: int, chunk: int = len(_BLOCK)) -> str:
    digest = hashlib.sha256()
    block = (_BLOCK * (chunk // len(_BLOCK) + 1))[:chunk]
    for _ in range(total // chunk):
        digest.update(block)
    digest.update(block[: total % chunk])
    return digest.hexdigest()


async def read_all(storage: Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.open(key)])


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "documents")


# --- local directory ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_save_streams_and_reports_hash_and_size(local: LocalStorage) -> None:
    data = os.urandom(3 * MB + 12345)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 100_000):
            yield data[start : start + 100_000]

    stored = await local.save(chunks(), max_bytes=10 * MB, tenant_id=TENANT)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert KEY.fullmatch(stored.key)
    path = local.path_for(stored.key)
    assert path.read_bytes() == data
    assert await read_all(local, stored.key) == data
    assert await local.read_head(stored.key, 8) == data[:8]
    assert await local.read_head(stored.key, 10 * MB) == data
    assert await local.exists(stored.key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for directory in (local.root, path.parent, path.parent.parent, local.incoming):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert list(local.incoming.iterdir()) == []


@pytest.mark.anyio
async def test_an_empty_stream_is_stored_as_an_empty_object(local: LocalStorage) -> None:
    stored = await local.save(stream(0), max_bytes=MB, tenant_id=TENANT)
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert await read_all(local, stored.key) == b""


@pytest.mark.anyio
async def test_too_large_stops_at_once_and_leaves_nothing(local: LocalStorage) -> None:
    consumed = 0

    async def counted() -> AsyncIterator[bytes]:
        nonlocal consumed
        async for chunk in stream(12 * MB):
            consumed += len(chunk)
            yield chunk

    with pytest.raises(TooLarge) as caught:
        await local.save(counted(), max_bytes=10 * MB, tenant_id=TENANT)
    assert caught.value.max_bytes == 10 * MB
    assert consumed <= 10 * MB + len(_BLOCK)  # the rest of the stream is never read
    assert files_under(local.root) == []
    assert list(local.incoming.iterdir()) == []


@pytest.mark.anyio
async def test_the_limit_is_exact(local: LocalStorage) -> None:
    with pytest.raises(TooLarge):
        await local.save(stream(10 * MB + 1), max_bytes=10 * MB, tenant_id=TENANT)
    assert files_under(local.root) == []
    stored = await local.save(stream(10 * MB), max_bytes=10 * MB, tenant_id=TENANT)
    assert stored.size == 10 * MB
    assert stored.sha256 == expected_sha256(10 * MB)
    assert files_under(local.root) == [local.path_for(stored.key)]


@pytest.mark.anyio
async def test_a_broken_or_cancelled_upload_leaves_nothing(local: LocalStorage) -> None:
    async def disconnects() -> AsyncIterator[bytes]:
        async for chunk in stream(3 * MB):
            yield chunk
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await local.save(disconnects(), max_bytes=10 * MB, tenant_id=TENANT)

    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield _BLOCK
            await anyio.sleep(0.01)

    with anyio.move_on_after(0.3):
        await local.save(endless(), max_bytes=10**12, tenant_id=TENANT)
    assert files_under(local.root) == []


_KILLED_WRITER = """
import sys
from pathlib import Path

import anyio

from portal.core.storage import LocalStorage


async def endless():
    for number in range(10**9):
        if number == 20:
            print("writing", flush=True)
        yield bytes(65536)
        await anyio.sleep(0.001)


async def main():
    await LocalStorage(Path(sys.argv[1])).save(endless(), max_bytes=10**12, tenant_id="KZ-75")


anyio.run(main)
"""


@pytest.mark.anyio
async def test_a_process_killed_mid_upload_leaves_only_a_partial_file_that_the_sweep_removes(
    local: LocalStorage,
) -> None:
    """B.7 crash row at the storage level: kill -9 while writing, then run the garbage collector."""
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(local.root)], stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"writing\n"
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()
    leftovers = files_under(local.root)
    assert len(leftovers) == 1
    assert leftovers[0].parent == local.incoming  # never a file under a key
    assert [key async for key in local.keys_older_than(0)] == []

    async def nothing_referenced(keys: Sequence[str]) -> set[str]:
        return set()

    await sweep_orphans(local, nothing_referenced, older_than_seconds=3600)
    assert files_under(local.root) == leftovers  # younger than the cleanup period: kept
    _age(leftovers[0], 2 * 3600)
    await sweep_orphans(local, nothing_referenced, older_than_seconds=3600)
    assert files_under(local.root) == []


@pytest.mark.anyio
async def test_keys_are_random_and_never_come_from_the_request(local: LocalStorage) -> None:
    keys = {(await local.save(stream(1000), max_bytes=MB, tenant_id=TENANT)).key for _ in range(20)}
    assert len(keys) == 20  # the same bytes twenty times: twenty different keys
    assert all(KEY.fullmatch(key) for key in keys)
    for tenant in ("../etc", "/abs", "", ".incoming", "a/b", "a b", "x" * 64, "ж"):
        with pytest.raises(InvalidKey):
            await local.save(stream(10), max_bytes=MB, tenant_id=tenant)


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "KZ-75/ab/../../../etc/passwd",
        "KZ-75/ab/ab" + "0" * 30 + "/..",
        "KZ-75/ab/cd" + "0" * 30,  # shard does not match the name
        "KZ-75/AB/AB" + "0" * 30,
        ".incoming/" + "0" * 32,
        "KZ-75/ab/ab" + "0" * 30 + "\n",
        "KZ-75\\ab\\ab" + "0" * 30,
        "diploma.pdf",
        "",
    ],
)
@pytest.mark.anyio
async def test_keys_the_storage_did_not_make_are_refused(local: LocalStorage, key: str) -> None:
    assert not is_valid_key(key)
    with pytest.raises(InvalidKey):
        local.path_for(key)
    with pytest.raises(InvalidKey):
        await local.delete(key)
    with pytest.raises(InvalidKey):
        await local.read_head(key, 1)
    with pytest.raises(InvalidKey):
        await read_all(local, key)


@pytest.mark.anyio
async def test_delete_is_idempotent_and_missing_objects_say_so(local: LocalStorage) -> None:
    stored = await local.save(stream(5000), max_bytes=MB, tenant_id=TENANT)
    await local.delete(stored.key)
    await local.delete(stored.key)
    assert not await local.exists(stored.key)
    with pytest.raises(ObjectNotFound):
        await read_all(local, stored.key)
    with pytest.raises(ObjectNotFound):
        await local.read_head(stored.key, 4)


@pytest.mark.anyio
async def test_iter_file_feeds_save(local: LocalStorage, tmp_path: Path) -> None:
    source = tmp_path / "checked.pdf"
    source.write_bytes(os.urandom(2 * MB + 3))
    stored = await local.save(iter_file(source), max_bytes=10 * MB, tenant_id=TENANT)
    assert local.path_for(stored.key).read_bytes() == source.read_bytes()


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.anyio
async def test_sweep_orphans_deletes_only_old_unreferenced_objects_and_stale_partial_uploads(
    local: LocalStorage,
) -> None:
    old_referenced = (await local.save(stream(10), max_bytes=MB, tenant_id=TENANT)).key
    old_orphan = (await local.save(stream(10), max_bytes=MB, tenant_id="KZ-11")).key
    young_orphan = (await local.save(stream(10), max_bytes=MB, tenant_id=TENANT)).key  # request in flight
    for key in (old_referenced, old_orphan):
        _age(local.path_for(key), 2 * 3600)
    stale_upload = local.incoming / ("a" * 32)  # a crash mid-upload
    stale_upload.write_bytes(b"partial")
    _age(stale_upload, 2 * 3600)
    live_upload = local.incoming / ("b" * 32)
    live_upload.write_bytes(b"partial")
    not_ours = local.root / TENANT / "notes.txt"
    not_ours.write_text("left alone")
    _age(not_ours, 2 * 3600)

    asked: list[list[str]] = []

    async def referenced(keys: Sequence[str]) -> set[str]:
        asked.append(list(keys))
        return {key for key in keys if key == old_referenced}

    assert sorted([key async for key in local.keys_older_than(3600)]) == sorted([old_referenced, old_orphan])
    deleted = await sweep_orphans(local, referenced, older_than_seconds=3600)

    assert deleted == [old_orphan]
    assert sorted(asked[0]) == sorted([old_referenced, old_orphan])  # never asked about young objects
    assert await local.exists(old_referenced)
    assert await local.exists(young_orphan)
    assert not await local.exists(old_orphan)
    assert not stale_upload.exists()
    assert live_upload.exists()
    assert not_ours.exists()
    assert await sweep_orphans(local, referenced, older_than_seconds=3600) == []


@pytest.mark.anyio
async def test_sweep_orphans_works_in_batches(local: LocalStorage) -> None:
    keys = [(await local.save(stream(1), max_bytes=MB, tenant_id=TENANT)).key for _ in range(7)]
    batches: list[int] = []

    async def nothing_referenced(batch: Sequence[str]) -> set[str]:
        batches.append(len(batch))
        return set()

    deleted = await sweep_orphans(local, nothing_referenced, older_than_seconds=0, batch_size=3)
    assert sorted(deleted) == sorted(keys)
    assert batches == [3, 3, 1]
    assert files_under(local.root) == []


@pytest.mark.anyio
async def test_memory_stays_flat_and_the_loop_stays_free_while_saving_50_mb(local: LocalStorage) -> None:
    gaps: list[float] = []
    done = anyio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await anyio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    tracemalloc.start()
    try:
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            group.start_soon(ticker)
            stored = await local.save(stream(50 * MB), max_bytes=60 * MB, tenant_id=TENANT)
            done.set()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == 50 * MB
    assert stored.sha256 == expected_sha256(50 * MB)
    print(f"50 MB local save: {elapsed:.2f} s, traced peak {peak / MB:.2f} MiB, loop gap {max(gaps):.3f} s")
    assert peak < 8 * MB
    assert max(gaps) < 0.5  # generous for a loaded CI machine; typically a few milliseconds


def test_storage_from_url(tmp_path: Path) -> None:
    default = storage_from_url(None, tmp_path)
    assert isinstance(default, LocalStorage)
    assert default.root == tmp_path
    assert isinstance(storage_from_url("", tmp_path), LocalStorage)
    elsewhere = storage_from_url(f"file://{tmp_path}/other%20dir", tmp_path)
    assert isinstance(elsewhere, LocalStorage)
    assert elsewhere.root == tmp_path / "other dir"
    s3 = storage_from_url(
        "s3://portal-docs/prod/kz?endpoint_url=http://127.0.0.1:5000&region=us-east-1", tmp_path
    )
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.prefix) == ("portal-docs", "prod/kz/")
    for bad in (
        "file://host/path",
        "file:relative/path",
        "ftp://x/y",
        "s3://key:secret@bucket/x",
        "s3://Bad_Bucket/x",
        "s3://bucket/x?endpoint=http://x",
        "/just/a/path",
    ):
        with pytest.raises(ValueError, match=r"."):
            storage_from_url(bad, tmp_path)


# --- S3 against moto in server mode ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


@pytest.fixture
def bucket(moto_endpoint: str, s3_env: None, request: pytest.FixtureRequest) -> str:
    name = "docs-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    return name


@pytest.fixture
def raw(moto_endpoint: str, s3_env: None) -> Any:
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def s3(moto_endpoint: str, bucket: str) -> S3Storage:
    client = {"endpoint_url": moto_endpoint, "region_name": "us-east-1"}
    return S3Storage(bucket, "portal/docs", client, part_size=5 * MB, server_side_encryption="AES256")


@pytest.mark.anyio
async def test_s3_from_the_storage_url(moto_endpoint: str, bucket: str, raw: Any) -> None:
    url = f"s3://{bucket}/portal/docs/?endpoint_url={moto_endpoint}&region=us-east-1&addressing_style=path"
    storage = storage_from_url(url, Path("/unused"))
    assert isinstance(storage, S3Storage)
    stored = await storage.save(stream(100), max_bytes=MB, tenant_id=TENANT)
    assert _objects(raw, bucket) == [f"portal/docs/{stored.key}"]
    assert await read_all(storage, stored.key) == _BLOCK[:100]


def _objects(raw: Any, bucket: str) -> list[str]:
    return [item["Key"] for item in raw.list_objects_v2(Bucket=bucket).get("Contents", [])]


def _uploads(raw: Any, bucket: str) -> list[str]:
    return [item["Key"] for item in raw.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]


@pytest.mark.anyio
async def test_s3_multipart_save_open_head_delete(s3: S3Storage, raw: Any, bucket: str) -> None:
    total = 11 * MB + 7  # three parts of 5 MiB, 5 MiB and 1 MiB + 7
    stored = await s3.save(stream(total), max_bytes=12 * MB, tenant_id=TENANT)
    assert KEY.fullmatch(stored.key)
    assert (stored.size, stored.sha256) == (total, expected_sha256(total))
    head = raw.head_object(Bucket=bucket, Key=f"portal/docs/{stored.key}")
    assert head["ContentLength"] == total
    assert head["ETag"].strip('"').endswith("-3")  # a multipart upload of three parts
    assert head.get("ServerSideEncryption") == "AES256"
    assert hashlib.sha256(await read_all(s3, stored.key)).hexdigest() == stored.sha256
    assert await s3.read_head(stored.key, 5) == _BLOCK[:5]
    assert await s3.exists(stored.key)
    assert _uploads(raw, bucket) == []

    await s3.delete(stored.key)
    await s3.delete(stored.key)
    assert not await s3.exists(stored.key)
    assert _objects(raw, bucket) == []
    with pytest.raises(ObjectNotFound):
        await read_all(s3, stored.key)
    with pytest.raises(ObjectNotFound):
        await s3.read_head(stored.key, 5)
    with pytest.raises(InvalidKey):
        await s3.delete("../other-bucket/x")


@pytest.mark.anyio
async def test_s3_small_and_empty_files_are_one_put(s3: S3Storage, raw: Any, bucket: str) -> None:
    small = await s3.save(stream(1000), max_bytes=MB, tenant_id=TENANT)
    empty = await s3.save(stream(0), max_bytes=MB, tenant_id=TENANT)
    assert "-" not in raw.head_object(Bucket=bucket, Key=f"portal/docs/{small.key}")["ETag"]
    assert await read_all(s3, small.key) == _BLOCK[:1000]
    assert (empty.size, await read_all(s3, empty.key), await s3.read_head(empty.key, 4)) == (0, b"", b"")


@pytest.mark.anyio
async def test_s3_too_large_aborts_the_multipart_upload(s3: S3Storage, raw: Any, bucket: str) -> None:
    with pytest.raises(TooLarge):
        await s3.save(stream(12 * MB), max_bytes=10 * MB, tenant_id=TENANT)  # two parts sent, then refused
    assert _uploads(raw, bucket) == []
    assert _objects(raw, bucket) == []
    with pytest.raises(TooLarge):
        await s3.save(stream(10 * MB + 1), max_bytes=10 * MB, tenant_id=TENANT)
    exact = await s3.save(stream(10 * MB), max_bytes=10 * MB, tenant_id=TENANT)
    assert _objects(raw, bucket) == [f"portal/docs/{exact.key}"]
    assert _uploads(raw, bucket) == []


@pytest.mark.anyio
async def test_s3_a_broken_upload_is_aborted(s3: S3Storage, raw: Any, bucket: str) -> None:
    async def disconnects() -> AsyncIterator[bytes]:
        async for chunk in stream(6 * MB):  # one part already sent
            yield chunk
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await s3.save(disconnects(), max_bytes=10 * MB, tenant_id=TENANT)
    assert _uploads(raw, bucket) == []
    assert _objects(raw, bucket) == []


@pytest.mark.anyio
async def test_s3_keys_older_than_and_sweep(s3: S3Storage, raw: Any, bucket: str) -> None:
    kept = (await s3.save(stream(10), max_bytes=MB, tenant_id=TENANT)).key
    orphan = (await s3.save(stream(10), max_bytes=MB, tenant_id=TENANT)).key
    raw.put_object(Bucket=bucket, Key="portal/docs/README.txt", Body=b"not a document")  # not ours
    raw.put_object(Bucket=bucket, Key="elsewhere/" + kept, Body=b"outside the prefix")
    abandoned = raw.create_multipart_upload(Bucket=bucket, Key=f"portal/docs/{TENANT}/aa/{'a' * 32}")

    assert [key async for key in s3.keys_older_than(3600)] == []
    assert sorted([key async for key in s3.keys_older_than(0)]) == sorted([kept, orphan])

    async def referenced(keys: Sequence[str]) -> set[str]:
        return {kept} & set(keys)

    assert await sweep_orphans(s3, referenced, older_than_seconds=0) == [orphan]
    assert sorted(_objects(raw, bucket)) == sorted(
        ["portal/docs/README.txt", f"portal/docs/{kept}", "elsewhere/" + kept]
    )
    # moto dates every multipart upload in 2010, so the abandoned one counts as stale
    assert abandoned["UploadId"] and _uploads(raw, bucket) == []
