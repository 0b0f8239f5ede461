"""What an uploaded cl. 8 document may be: a PDF, JPEG or PNG that parses, without active content.

Framework-free; `portal.applications.uploads` calls it on a local copy of the upload *before* the
file goes to storage (the image check rewrites the file, so the stored SHA-256 is of the clean copy).

The checks, and why (security-notes B.5; OWASP File Upload Cheat Sheet; ASVS V5.2, V5.3, V14.2.8):

1. **Type by magic bytes only** (`sniff`): ``%PDF-``, ``FF D8 FF`` or the 8-byte PNG signature at
   offset 0. The name and the browser's Content-Type are never trusted, so a renamed ``.exe``
   (``MZ``), a ZIP/Office file, HTML or SVG is refused as `RejectionCode.UNKNOWN_TYPE`.
2. **A full parse**, because magic bytes alone let polyglots through:

   * PDF (`inspect_pdf`): opened with pikepdf (qpdf); every object of the cross-reference table
     is parsed and every stream's raw data read (bounded by the file size; nothing is
     decompressed). A password-protected or encrypted file is `PDF_ENCRYPTED` (the commission
     could not read it, and we could not inspect it). A file that does not parse, whose
     cross-reference table or trailer is missing or wrong (a truncated download; qpdf's recovery
     is switched off so no guess is made where viewers would guess differently), whose objects
     qpdf warns about (a wrong stream length...; only a page without /Resources is tolerated) or
     that has no page is `PDF_BROKEN`; more than ``max_pages`` pages is `PDF_TOO_MANY_PAGES`.
   * **Active content** anywhere in the object graph, reachable or not, as a dictionary key or
     a name value (so ``/S /JavaScript`` and ``/Type /EmbeddedFile`` count):
     ``/JavaScript /JS /AA /Launch /EmbeddedFile(s) /EF /FileAttachment /XFA /RichMedia
     /SubmitForm /ImportData /GoToR /GoToE`` -> `PDF_ACTIVE_CONTENT`. ``/OpenAction`` is refused
     when it is an action, except a plain ``/GoTo``; an ``/OpenAction`` that is only a page
     destination (``[page /Fit]``: how LibreOffice and others set the initial view) is allowed.
     The file is refused, not rewritten: the candidate re-prints it to a clean PDF.
   * Images (`strip_image`): the dimensions are checked against ``max_pixels`` *before* decoding
     (pixel floods and decompression bombs, ASVS V5.2.6 -> `IMAGE_TOO_MANY_PIXELS`); then the image
     is decoded fully by the Pillow plugin of the sniffed format only (a truncated or corrupt image
     is `IMAGE_BROKEN`), turned upright from its EXIF orientation, and **re-encoded in place**
     (JPEG quality 90, or PNG) with no metadata at all: no EXIF (GPS position, camera, time), no
     ICC profile, no text chunks or comments; only the resolution (dpi) is kept. Re-encoding also
     drops anything appended to the image (polyglot payloads).
3. **Isolation**: `check_document` runs the parsers in separate Python processes with resource
   limits (address space, CPU seconds per document, file size, no core dumps) and a wall-clock
   timeout, so a parser crash, a memory bomb or a hang costs one parser process, never the web
   worker; the event loop only awaits it. The parsers are a small pool per event loop
   (`parser_pool`, ``PORTAL_DOCUMENT_PARSER_WORKERS``, default one per CPU), started when first
   needed and reused: starting Python and importing pikepdf and Pillow took about 290 ms per
   document, parsing a 1 MB PDF 3 ms. Each parser is started with no environment but LC_ALL (no
   database URL, secret key or cloud credentials to steal), ``-I`` and no stdin but its request
   pipe; it sets its limits once (RLIMIT_CPU again before each document) and is killed and
   replaced when it times out, crashes, answers nonsense, is cancelled mid-check, or has served
   `PARSER_TASKS_PER_WORKER` documents; an idle one exits after `PARSER_IDLE_SECONDS`, and the
   application's lifespan stops the rest at shutdown (`close_parser_pool`). A crashed, killed or
   timed-out parser is reported as a broken file; a parser found dead before its check (killed
   while idle) is replaced and the check retried once. It still runs as the portal's user: a
   seccomp/namespace sandbox is not attempted here. ``isolated=False`` runs the same checks in a
   worker thread, without those limits (tests; platforms without ``resource``).
4. **Names** (`clean_display_name`): the user's file name is kept for display only (storage keys
   are random, `portal.core.storage`): NFKC, the last path component, letters of any script,
   digits, space and ``. _ - ( )``, at most 120 characters with the extension kept.

An antivirus scan (clamd INSTREAM, B.5) is not done here; it would run after these checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import Any

import anyio
import anyio.abc
import anyio.to_thread
import pikepdf
import structlog
from anyio.lowlevel import RunVar
from anyio.streams.buffered import BufferedByteReceiveStream
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = [
    "DocumentKind",
    "DocumentRejected",
    "RejectionCode",
    "check_document",
    "clean_display_name",
    "close_parser_pool",
    "configure_parsers",
    "inspect_pdf",
    "sniff",
    "strip_image",
    "warm_parser_pool",
]

log = structlog.get_logger(__name__)

MAX_PAGES = 100
MAX_PIXELS = 40_000_000
#: Display names are cut to this length (the extension is kept).
MAX_NAME_LENGTH = 120
#: Bytes `check_document` reads to recognise the type.
HEAD_BYTES = 16

#: Limits of the isolated parser process.
PARSER_TIMEOUT_SECONDS = 60.0
PARSER_MEMORY_BYTES = 1536 * 1024 * 1024
#: A re-encoded image may be larger than the upload; bounded anyway.
PARSER_MAX_OUTPUT_BYTES = 512 * 1024 * 1024


class DocumentKind(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class RejectionCode(StrEnum):
    """Stable codes: `portal.applications.uploads` maps each to a translated message."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNKNOWN_TYPE = "unknown_type"
    PDF_BROKEN = "pdf_broken"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_ACTIVE_CONTENT = "pdf_active_content"
    PDF_TOO_MANY_PAGES = "pdf_too_many_pages"
    IMAGE_BROKEN = "image_broken"
    IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
    BAD_NAME = "bad_name"


class DocumentRejected(ValueError):  # noqa: N818 - the name the callers use
    """The file is refused; ``code`` says why (``detail`` is for logs, never for the user)."""

    def __init__(self, code: RejectionCode, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


# --- type -----------------------------------------------------------------------------------------

_PDF_MAGIC = b"%PDF-"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def sniff(head: bytes) -> DocumentKind:
    """The type from the first bytes, whatever the name or the declared Content-Type say."""
    if not head:
        raise DocumentRejected(RejectionCode.EMPTY)
    if head.startswith(_PDF_MAGIC):
        return DocumentKind.PDF
    if head.startswith(_JPEG_MAGIC):
        return DocumentKind.JPEG
    if head.startswith(_PNG_MAGIC):
        return DocumentKind.PNG
    raise DocumentRejected(RejectionCode.UNKNOWN_TYPE, f"starts with {head[:8].hex()}")


# --- display name ---------------------------------------------------------------------------------

_NAME_PUNCTUATION = frozenset("._-()")
_MAX_EXTENSION = 16


def _keep(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "L" or category == "Nd" or char in _NAME_PUNCTUATION


def _filter_name(text: str) -> str:
    # Whitespace of any kind (tabs, no-break spaces, line breaks) becomes one space; other control
    # and format characters, marks, symbols and punctuation outside the allowlist disappear.
    kept = "".join(" " if char.isspace() else char for char in text if char.isspace() or _keep(char))
    return " ".join(kept.split())


def clean_display_name(name: str) -> str:
    """The original file name, safe to show and to put in Content-Disposition; never a path."""
    text = unicodedata.normalize("NFKC", name)  # first: fullwidth "／" becomes "/" before the split
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _filter_name(unicodedata.normalize("NFKC", _filter_name(text)))
    text = text.lstrip(" .").rstrip(" .")  # no hidden files, no trailing dots (Windows drops them)
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and stem and 0 < len(extension) <= _MAX_EXTENSION and " " not in extension:
            stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .")
            text = f"{stem}.{extension}" if stem else extension
        else:
            text = text[:MAX_NAME_LENGTH].rstrip(" .")
    return text or "document"


# --- PDF ------------------------------------------------------------------------------------------

#: Names that make a PDF do something (run code, open files or URLs on load, submit data, carry files).
ACTIVE_PDF_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/FileAttachment",
        "/XFA",
        "/RichMedia",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
    }
)


def _active_open_action(value: pikepdf.Object | None) -> bool:
    """An /OpenAction is harmless when it only says which page to show first."""
    if isinstance(value, pikepdf.Array | pikepdf.Name | pikepdf.String):
        return False  # an explicit or named destination
    if isinstance(value, pikepdf.Dictionary):  # an action: only "go to a page" is harmless
        return value.get("/S") != pikepdf.Name.GoTo or "/Next" in value
    return False  # null or a malformed value: nothing to run


def _direct_container(value: object) -> bool:
    """A direct object that may hold names (indirect ones are visited from ``pdf.objects``).

    pikepdf hands out numbers, booleans and null as Python values; those hold nothing.
    """
    return isinstance(value, pikepdf.Object) and not value.is_indirect


def _find_active_content(pdf: pikepdf.Pdf) -> str | None:
    """The first active-content name anywhere: every indirect object, and the trailer."""
    stack: list[Any] = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Name):
            if str(obj) in ACTIVE_PDF_NAMES:
                return str(obj)
            continue
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in obj.keys():  # noqa: SIM118 - pikepdf objects iterate differently
                if key in ACTIVE_PDF_NAMES:
                    return key
                value = obj.get(key)
                if key == "/OpenAction" and _active_open_action(value):
                    return key
                if _direct_container(value):
                    stack.append(value)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(item for item in obj if _direct_container(item))
    return None


#: qpdf warnings about harmless omissions it repairs in memory (seen in files from ordinary tools).
_BENIGN_PDF_WARNINGS = ("Resources is missing or invalid; repairing",)


def _benign(warning: str) -> bool:
    return any(marker in warning for marker in _BENIGN_PDF_WARNINGS)


def inspect_pdf(path: Path, *, max_pages: int = MAX_PAGES) -> int:
    """Parse the whole PDF and return its page count; `DocumentRejected` if it may not be kept."""
    try:
        # No recovery: a file whose cross-reference table or trailer is missing or wrong (a truncated
        # download, a hand-edited polyglot) is refused rather than guessed at, as viewers would differ.
        with pikepdf.open(path, attempt_recovery=False) as pdf:
            if pdf.is_encrypted:  # opened with the empty user password, still encrypted
                raise DocumentRejected(RejectionCode.PDF_ENCRYPTED)
            pages = len(pdf.pages)
            for obj in pdf.objects:  # parse everything, not only what a viewer would touch
                if isinstance(obj, pikepdf.Stream):
                    obj.read_raw_bytes()
            active = _find_active_content(pdf)
            warnings = pdf.get_warnings()
    except DocumentRejected:
        raise
    except pikepdf.PasswordError as error:
        raise DocumentRejected(RejectionCode.PDF_ENCRYPTED, str(error)) from None
    except Exception as error:  # qpdf errors, and anything a hostile file provokes in the binding
        raise DocumentRejected(RejectionCode.PDF_BROKEN, f"{type(error).__name__}: {error}") from None
    damage = [str(warning) for warning in warnings if not _benign(str(warning))]
    if damage:
        raise DocumentRejected(RejectionCode.PDF_BROKEN, "; ".join(damage[:5]))
    if active is not None:
        raise DocumentRejected(RejectionCode.PDF_ACTIVE_CONTENT, active)
    if pages < 1:
        raise DocumentRejected(RejectionCode.PDF_BROKEN, "no pages")
    if pages > max_pages:
        raise DocumentRejected(RejectionCode.PDF_TOO_MANY_PAGES, f"{pages} pages")
    return pages


# --- images ---------------------------------------------------------------------------------------

_PIL_FORMAT = {DocumentKind.JPEG: "JPEG", DocumentKind.PNG: "PNG"}


def _reencode(image: Image.Image, kind: DocumentKind, target: Path) -> None:
    dpi = image.info.get("dpi")
    transparency = image.info.get("transparency")
    upright = ImageOps.exif_transpose(image)  # a copy without the orientation tag
    upright.info = {}  # Pillow would otherwise carry ICC profiles, text chunks and EXIF over
    options: dict[str, Any] = {}
    if isinstance(dpi, tuple) and len(dpi) == 2:
        options["dpi"] = (float(dpi[0]), float(dpi[1]))
    if kind is DocumentKind.PNG and transparency is not None:  # pixels, not metadata
        options["transparency"] = transparency
    if kind is DocumentKind.JPEG:
        if upright.mode not in {"L", "RGB", "CMYK"}:
            upright = upright.convert("RGB")
        upright.save(target, format="JPEG", quality=90, optimize=True, **options)
    else:
        upright.save(target, format="PNG", optimize=False, **options)


def strip_image(path: Path, kind: DocumentKind, *, max_pixels: int = MAX_PIXELS) -> None:
    """Decode the image fully and rewrite it in place, upright and without any metadata."""
    if kind not in _PIL_FORMAT:
        raise ValueError(f"not an image kind: {kind}")
    try:
        with Image.open(path, formats=[_PIL_FORMAT[kind]]) as image:
            width, height = image.size
            if width < 1 or height < 1:
                raise DocumentRejected(RejectionCode.IMAGE_BROKEN, "no pixels")
            if width * height > max_pixels:
                raise DocumentRejected(RejectionCode.IMAGE_TOO_MANY_PIXELS, f"{width}x{height}")
            image.load()  # the whole image: truncated or corrupt data fails here
            fd, name = tempfile.mkstemp(prefix=".strip-", dir=path.parent)
            os.close(fd)
            temporary = Path(name)
            try:
                _reencode(image, kind, temporary)
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)
    except DocumentRejected:
        raise
    except Image.DecompressionBombError as error:
        raise DocumentRejected(RejectionCode.IMAGE_TOO_MANY_PIXELS, str(error)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        raise DocumentRejected(RejectionCode.IMAGE_BROKEN, f"{type(error).__name__}: {error}") from None


# --- the whole check ------------------------------------------------------------------------------


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(HEAD_BYTES)


def _check_sync(
    path: Path, *, max_bytes: int | None, max_pages: int, max_pixels: int
) -> tuple[DocumentKind, int]:
    size = path.stat().st_size
    if size == 0:
        raise DocumentRejected(RejectionCode.EMPTY)
    if max_bytes is not None and size > max_bytes:
        raise DocumentRejected(RejectionCode.TOO_LARGE, f"{size} bytes")
    kind = sniff(_read_head(path))
    if kind is DocumentKind.PDF:
        return kind, inspect_pdf(path, max_pages=max_pages)
    strip_image(path, kind, max_pixels=max_pixels)
    return kind, 1


#: How many parser workers (and parallel checks) per event loop; 0 = one per CPU (`configure_parsers`).
_parser_workers = 0
#: A worker with nothing to do for this long exits (the pool notices and starts a new one when needed).
PARSER_IDLE_SECONDS = 600.0
#: A worker is replaced after this many documents (bounds memory a parser may have leaked or fragmented).
PARSER_TASKS_PER_WORKER = 200
#: With `PORTAL_DOCUMENT_PARSERS_AT_START`, the pool is filled this long after the web worker starts
#: (its own start-up, and its neighbours', should not share the CPU with four interpreters importing
#: pikepdf and Pillow).
PARSER_WARM_DELAY_SECONDS = 5.0


def configure_parsers(*, workers: int) -> None:
    """Set the number of parser workers (``PORTAL_DOCUMENT_PARSER_WORKERS``; 0 = one per CPU)."""
    global _parser_workers  # noqa: PLW0603 - process-wide setting, read when a pool is first made
    _parser_workers = max(0, workers)


#: The parser child needs no environment: ``-I`` and the virtualenv's pyvenv.cfg find the packages.
_CHILD_ENVIRONMENT = {"LC_ALL": "C.UTF-8"}
#: The longest answer line a worker may send.
_MAX_ANSWER_BYTES = 64 * 1024


def _broken(kind: DocumentKind) -> RejectionCode:
    return RejectionCode.PDF_BROKEN if kind is DocumentKind.PDF else RejectionCode.IMAGE_BROKEN


class _WorkerGone(Exception):  # noqa: N818 - internal signal
    """The worker died or answered nonsense (``returncode`` when known)."""

    def __init__(self, detail: str, returncode: int | None = None) -> None:
        super().__init__(detail)
        self.returncode = returncode


class _Worker:
    """One long-lived parser process: ``python -I -m portal.applications.documents --serve``.

    It is started like the former one-shot child (no environment but LC_ALL, no secrets, ``-I``),
    sets its resource limits once, imports pikepdf and Pillow once, then reads one JSON request per
    line on stdin and writes one JSON answer per line on stdout. It exits at the end of stdin, i.e.
    when the web worker that started it exits.
    """

    def __init__(self, process: anyio.abc.Process) -> None:
        if process.stdin is None or process.stdout is None:
            raise RuntimeError("the parser worker needs pipes")
        self.process = process
        self.stdin = process.stdin
        self.stdout = BufferedByteReceiveStream(process.stdout)
        self.tasks = 0

    @classmethod
    async def start(cls) -> _Worker:
        command = [
            sys.executable,
            "-I",  # no PYTHON* variables, no user site, no current directory on sys.path
            "-m",
            __name__,
            "--serve",
            str(PARSER_MEMORY_BYTES),
            str(PARSER_IDLE_SECONDS),
        ]
        process = await anyio.open_process(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # tracebacks of a crashing parser go to the server's log
            env=_CHILD_ENVIRONMENT,  # no secrets (database URL, keys, AWS credentials) in the child
        )
        return cls(process)

    async def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request and read its answer; `_WorkerGone` if the worker cannot answer."""
        self.tasks += 1
        try:
            await self.stdin.send(json.dumps(request).encode() + b"\n")
            line = await self.stdout.receive_until(b"\n", _MAX_ANSWER_BYTES)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, anyio.EndOfStream) as error:
            raise _WorkerGone(type(error).__name__, await self._reap()) from None
        except anyio.IncompleteRead:
            raise _WorkerGone("worker closed its output", await self._reap()) from None
        except anyio.DelimiterNotFound:
            raise _WorkerGone("answer too long") from None
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or answer.get("id") != request["id"]:
            raise _WorkerGone("malformed answer")
        return answer

    async def _reap(self) -> int | None:
        with anyio.move_on_after(1, shield=True):
            return await self.process.wait()
        return None

    async def close(self) -> None:
        """Kill the worker (it may be in the middle of a hostile file) and wait for it."""
        with anyio.CancelScope(shield=True):
            if self.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
            await self.process.aclose()


class _ParserPool:
    """Up to ``size`` parser workers of one event loop, started when first needed and reused.

    A check takes an idle worker (or starts one), and gives it back when it answered. A worker that
    timed out, crashed, answered nonsense, was cancelled mid-check or served
    `PARSER_TASKS_PER_WORKER` documents is killed and forgotten; the next check starts a new one,
    so one hostile file costs one worker, never the pool or the other checks.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.slots = anyio.CapacityLimiter(size)
        self.idle: list[_Worker] = []
        self.started = 0  # workers started so far (for tests and logs)
        self._next_id = 0

    async def _take(self) -> tuple[_Worker, bool]:
        while self.idle:
            worker = self.idle.pop()
            if worker.process.returncode is None:
                return worker, True
            await worker.close()  # died while idle (killed from outside, OOM killer)
        self.started += 1
        return await _Worker.start(), False

    async def warm(self) -> None:
        """Start the workers the pool may still start, idle: the first uploads then find a parser
        ready instead of waiting ~250 ms for one (and the server's memory holds them from the start)."""
        while len(self.idle) + self.slots.borrowed_tokens < self.size:
            self.started += 1
            self.idle.append(await _Worker.start())

    async def check(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        async with self.slots:
            self._next_id += 1
            request = {**request, "id": self._next_id}
            with anyio.fail_after(timeout):
                worker, reused = await self._take()
                try:
                    answer = await worker.run(request)
                except _WorkerGone:
                    await worker.close()
                    if not reused:
                        raise
                    # A reused worker may have died between two checks: one more try on a fresh one.
                    worker = await _Worker.start()
                    self.started += 1
                    try:
                        answer = await worker.run(request)
                    except BaseException:
                        await worker.close()
                        raise
                except BaseException:  # timed out or cancelled mid-check: its state is unknown
                    await worker.close()
                    raise
            if worker.tasks >= PARSER_TASKS_PER_WORKER:
                await worker.close()
            else:
                self.idle.append(worker)
            return answer


_PARSER_POOL: RunVar[_ParserPool] = RunVar("portal_document_parser_pool")


def parser_pool() -> _ParserPool:
    """The parser pool of the running event loop (anyio processes belong to one loop)."""
    try:
        return _PARSER_POOL.get()
    except LookupError:
        pool = _ParserPool(_parser_workers or os.cpu_count() or 1)
        _PARSER_POOL.set(pool)
        return pool


async def warm_parser_pool(stop: anyio.Event) -> None:
    """Fill the running event loop's pool once the web worker has settled (a `beside_the_app` loop)."""
    with anyio.move_on_after(PARSER_WARM_DELAY_SECONDS):
        await stop.wait()
    if not stop.is_set():
        await parser_pool().warm()


async def close_parser_pool() -> None:
    """Stop the idle parser workers of the running event loop (application shutdown)."""
    try:
        pool = _PARSER_POOL.get()
    except LookupError:
        return
    while pool.idle:
        await pool.idle.pop().close()


_THREAD_SLOTS: RunVar[anyio.CapacityLimiter] = RunVar("portal_document_parser_threads")


def _thread_slots() -> anyio.CapacityLimiter:
    try:
        return _THREAD_SLOTS.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(os.cpu_count() or 1)
        _THREAD_SLOTS.set(limiter)
        return limiter


async def _check_in_child(
    path: Path, kind: DocumentKind, *, max_pages: int, max_pixels: int, timeout: float
) -> tuple[DocumentKind, int]:
    request = {
        "path": os.path.abspath(path),
        "max_pages": max_pages,
        "max_pixels": max_pixels,
        "cpu_seconds": int(timeout) + 1,
    }
    try:
        answer = await parser_pool().check(request, timeout)
    except TimeoutError:
        log.warning("documents.parser_timeout", kind=kind.name, timeout=timeout)
        raise DocumentRejected(_broken(kind), "parser timed out") from None
    except _WorkerGone as gone:
        log.warning("documents.parser_failed", kind=kind.name, returncode=gone.returncode, detail=str(gone))
        raise DocumentRejected(_broken(kind), f"parser exited with {gone.returncode}: {gone}") from None
    if "rejected" in answer:
        raise DocumentRejected(RejectionCode(answer["rejected"]), str(answer.get("detail", "")))
    return DocumentKind(answer["kind"]), int(answer["pages"])


async def check_document(
    path: Path,
    *,
    max_bytes: int | None = None,
    max_pages: int = MAX_PAGES,
    max_pixels: int = MAX_PIXELS,
    isolated: bool = True,
    timeout: float = PARSER_TIMEOUT_SECONDS,
) -> tuple[DocumentKind, int]:
    """Recognise and deeply check an uploaded file; images are rewritten in place without metadata.

    Returns the kind and the page count (1 for an image); raises `DocumentRejected`. The event loop
    never parses: the work happens in a limited parser process of the pool (or a worker thread,
    ``isolated=False``).
    """
    size = (await anyio.Path(path).stat()).st_size
    if size == 0:
        raise DocumentRejected(RejectionCode.EMPTY)
    if max_bytes is not None and size > max_bytes:
        raise DocumentRejected(RejectionCode.TOO_LARGE, f"{size} bytes")
    kind = sniff(await anyio.to_thread.run_sync(_read_head, path))  # cheap refusals need no child
    if isolated:
        return await _check_in_child(path, kind, max_pages=max_pages, max_pixels=max_pixels, timeout=timeout)
    async with _thread_slots():
        return await anyio.to_thread.run_sync(
            lambda: _check_sync(path, max_bytes=max_bytes, max_pages=max_pages, max_pixels=max_pixels)
        )


def _limit_cpu(seconds: int) -> None:
    """At most ``seconds`` more CPU seconds for the next document (SIGXCPU kills the worker)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + 1 + seconds
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _serve(memory: int, idle_seconds: float) -> int:
    """The parser worker: limits once, modules once, then one JSON request per stdin line."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not write personal data to disk
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (PARSER_MAX_OUTPUT_BYTES, PARSER_MAX_OUTPUT_BYTES))
    Image.preinit()  # the JPEG and PNG plugins, before the first document
    while True:
        # One request at a time (the pool waits for each answer), so nothing sits in a buffer here.
        ready, _, _ = select.select([sys.stdin.buffer], [], [], idle_seconds)
        if not ready:
            return 0  # idle: the pool starts a new worker when one is needed again
        line = sys.stdin.buffer.readline()
        if not line:
            return 0  # the web worker is gone
        request = json.loads(line)
        _limit_cpu(int(request["cpu_seconds"]))
        try:
            kind, pages = _check_sync(
                Path(request["path"]),
                max_bytes=None,
                max_pages=int(request["max_pages"]),
                max_pixels=int(request["max_pixels"]),
            )
            answer: dict[str, Any] = {"kind": kind.value, "pages": pages}
        except DocumentRejected as rejected:
            answer = {"rejected": rejected.code.value, "detail": rejected.detail[:500]}
        answer["id"] = request["id"]
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["--serve"] or len(sys.argv) != 4:
        raise SystemExit("usage: python -I -m portal.applications.documents --serve MEMORY IDLE_SECONDS")
    raise SystemExit(_serve(int(sys.argv[2]), float(sys.argv[3])))
