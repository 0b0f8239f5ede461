"""Sending a stored document back: only through an authorised handler, never inline as a page.

Content-Disposition: attachment, nosniff and a sandbox CSP keep a crafted file from running in
the portal's origin (ASVS V3.2.1, security-notes B.5); no-store keeps it out of shared caches.
"""

from typing import Protocol
from urllib.parse import quote

from litestar.response import Stream

from portal.core.storage import Storage


class StoredDocument(Protocol):
    storage_key: str
    media_type: str
    display_name: str
    size: int


def attachment(storage: Storage, document: StoredDocument, *, inline: bool = False) -> Stream:
    """The stored file; `inline` lets a reviewer read a PDF or image in the browser (still sandboxed)."""
    # RFC 6266: an ASCII fallback for old clients, the real (Kazakh, Russian) name in filename*.
    ascii_name = document.display_name.encode("ascii", "ignore").decode().replace('"', "") or "document"
    kind = "inline" if inline else "attachment"
    disposition = f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(document.display_name)}"
    return Stream(
        storage.open(document.storage_key),
        media_type=document.media_type,
        headers={
            "Content-Disposition": disposition,
            "Content-Length": str(document.size),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "no-store",
        },
    )
