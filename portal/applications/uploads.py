"""Taking in one uploaded document: copy it aside within the size limit, check what it really is,
strip it, then stream it into storage (issue 5 item 4; security-notes B.5).

The row that points at the stored file is written by the caller in its transaction; a file
whose row never commits is an orphan that `sweep_orphans` removes after the cleanup period.
"""

import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import sqlalchemy as sa
from litestar.datastructures import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.documents import DocumentRejected, RejectionCode, check_document, clean_display_name
from portal.applications.models import Application, ApplicationDocument, DocumentSlot
from portal.core.audit import Change, record
from portal.core.storage import Storage, TooLarge
from portal.i18n import N_

CHUNK = 1024 * 1024

REJECTION_TEXTS: dict[str, str] = {
    RejectionCode.EMPTY: N_("The file is empty."),
    RejectionCode.TOO_LARGE: N_("The file is larger than %(limit)s MB."),
    RejectionCode.UNKNOWN_TYPE: N_(
        "Upload a PDF, JPEG or PNG file. This file is none of these, whatever its name."
    ),
    RejectionCode.PDF_BROKEN: N_("The PDF file is damaged or incomplete. Save it again and upload it."),
    RejectionCode.PDF_ENCRYPTED: N_(
        "The PDF file is protected with a password. Upload it without protection."
    ),
    RejectionCode.PDF_ACTIVE_CONTENT: N_(
        "The PDF file contains scripts, actions or attachments. Print it to a new PDF and upload that."
    ),
    RejectionCode.PDF_TOO_MANY_PAGES: N_(
        "The PDF file has too many pages. Upload only the pages of this document."
    ),
    RejectionCode.IMAGE_BROKEN: N_("The image is damaged. Scan or photograph the document again."),
    RejectionCode.IMAGE_TOO_MANY_PIXELS: N_(
        "The image is too large in pixels. Scan it at a lower resolution."
    ),
    RejectionCode.BAD_NAME: N_("The file name cannot be used. Rename the file and try again."),
}


@dataclass(frozen=True, slots=True)
class Received:
    path: Path
    media_type: str
    pages: int
    display_name: str


async def _copy_within_limit(upload: UploadFile, target: Path, max_bytes: int) -> int:
    size = 0
    async with await anyio.open_file(target, "wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise DocumentRejected(RejectionCode.TOO_LARGE)
            await out.write(chunk)
    if size == 0:
        raise DocumentRejected(RejectionCode.EMPTY)
    return size


async def receive(upload: UploadFile, max_bytes: int, work_dir: Path) -> Received:
    """The upload as a checked local file; DocumentRejected says what is wrong with it."""
    work_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="upload-", dir=work_dir)
    os.close(handle)
    path = Path(name)
    try:
        await _copy_within_limit(upload, path, max_bytes)
        kind, pages = await check_document(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, str(kind), pages, clean_display_name(upload.filename or ""))


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as source:
        while chunk := await source.read(CHUNK):
            yield chunk


async def attach(
    session: AsyncSession,
    storage: Storage,
    application: Application,
    slot: DocumentSlot,
    received: Received,
    *,
    actor: str,
    max_bytes: int,
) -> tuple[ApplicationDocument, str | None]:
    """Store the file, then point the slot at it; returns the replaced file's key (delete it after commit)."""
    try:
        stored = await storage.save(
            _chunks(received.path), max_bytes=max_bytes, tenant_id=application.tenant_id
        )
    except TooLarge as error:  # images may grow a little when re-encoded
        raise DocumentRejected(RejectionCode.TOO_LARGE) from error
    finally:
        received.path.unlink(missing_ok=True)
    previous = (
        await session.execute(
            sa.select(ApplicationDocument).where(
                col(ApplicationDocument.application_id) == application.id,
                col(ApplicationDocument.slot) == slot,
            )
        )
    ).scalar_one_or_none()
    replaced = previous.storage_key if previous else None
    if previous is not None:
        await session.delete(previous)
        await session.flush()
    document = ApplicationDocument(
        application_id=application.id,
        tenant_id=application.tenant_id,
        slot=slot,
        storage_key=stored.key,
        sha256=stored.sha256,
        size=stored.size,
        media_type=received.media_type,
        pages=received.pages,
        display_name=received.display_name,
    )
    session.add(document)
    await session.flush()
    await record(
        session,
        Change(
            "application.document_uploaded",
            "application",
            str(application.id),
            actor,
            application.tenant_id,
            clause="8",
            after={
                "slot": slot,
                "sha256": stored.sha256,
                "size": stored.size,
                "replaced": replaced is not None,
            },
        ),
    )
    return document, replaced
