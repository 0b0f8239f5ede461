"""Load generator for the submission benchmark of `make bench`: whole applications, four 1 MB files each.

wrk sends one request shape per connection; a submission is a journey of eight requests whose
URLs come from the previous answers (the application id is in the first redirect). So this is a
small closed-loop generator on asyncio and httpx: N workers, each signed in as its own candidate,
each repeating the journey on the next open selection until the time is up:

    POST /{region}/announcements/{id}/apply           -> 303 /me/applications/{app}
    POST /me/applications/{app}/direction             -> 303
    POST /me/applications/{app}/documents/{slot} x 4  -> 303   (multipart, one 1 MB PDF each)
    POST /me/applications/{app}/consent               -> 303
    POST /me/applications/{app}/submit                -> 303 .../confirmation

A journey counts when every answer is the expected 303; journeys finished during the warm-up are
not counted. The CSRF token goes in the x-csrftoken header (as htmx sends it), so the middleware
does not parse the multipart body before the handler does.
"""

import asyncio
import io
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
import pikepdf

SLOTS = ("id_copy", "application_form", "education", "employment")
CONSENT_VERSION = "2026-01"


def one_megabyte_pdf(seed: int, size: int = 1024 * 1024) -> bytes:
    """A valid one-page PDF of about `size` bytes: a page showing an uncompressed RGB image of noise."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    width = 512
    height = max(1, (size - 2048) // (width * 3))
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    image = pikepdf.Stream(pdf, rng.randbytes(width * height * 3))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = width, height
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 500 0 0 700 40 60 cm /Im0 Do Q")
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False, deterministic_id=True)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A signed-in session: its cookies and the CSRF token they carry."""

    cookies: dict[str, str]
    csrf_token: str

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def headers(self, host: str) -> dict[str, str]:
        return {"cookie": self.cookie_header(), "x-csrftoken": self.csrf_token, "host": host}


@dataclass(frozen=True, slots=True)
class Target:
    region: str
    selection_id: str
    direction: str


@dataclass
class SubmitResult:
    journeys: int = 0
    failed: int = 0
    requests: int = 0
    errors: int = 0
    socket_errors: int = 0
    seconds: float = 0.0
    journey_ms: list[float] = field(default_factory=list)
    request_ms: list[float] = field(default_factory=list)
    #: Per step of the journey (apply, direction, upload, consent, submit): where a journey's time goes.
    step_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        def pct(values: list[float], p: float) -> float:
            if not values:
                return 0.0
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

        return {
            "journeys": self.journeys,
            "failed_journeys": self.failed,
            "submissions_per_s": self.journeys / self.seconds if self.seconds else 0.0,
            "requests": self.requests,
            "requests_per_s": self.requests / self.seconds if self.seconds else 0.0,
            "errors": self.errors,
            "socket_errors": self.socket_errors,
            "journey_p50_ms": pct(self.journey_ms, 50),
            "journey_p95_ms": pct(self.journey_ms, 95),
            "journey_p99_ms": pct(self.journey_ms, 99),
            "request_p50_ms": pct(self.request_ms, 50),
            "request_p95_ms": pct(self.request_ms, 95),
            "request_p99_ms": pct(self.request_ms, 99),
            "request_mean_ms": statistics.fmean(self.request_ms) if self.request_ms else 0.0,
            "seconds": self.seconds,
            "statuses": self.statuses,
            "step_p50_ms": {step: pct(ms, 50) for step, ms in self.step_ms.items()},
            "step_p95_ms": {step: pct(ms, 95) for step, ms in self.step_ms.items()},
        }


class _FailedError(Exception):
    pass


async def _journey(
    client: httpx.AsyncClient,
    who: Candidate,
    target: Target,
    *,
    host: str,
    files: Sequence[bytes],
    log: list[tuple[str, float]],
) -> None:
    headers = who.headers(host)

    async def post(url: str, **kwargs: object) -> httpx.Response:
        started = time.perf_counter()
        response = await client.post(url, headers=headers, **kwargs)  # type: ignore[arg-type]
        step = "upload" if "/documents/" in url else url.rsplit("/", 1)[-1]
        log.append((step, (time.perf_counter() - started) * 1000))
        if response.status_code != 303:
            raise _FailedError(str(response.status_code))
        return response

    started = await post(f"/{target.region}/announcements/{target.selection_id}/apply")
    base = started.headers["location"]
    await post(f"{base}/direction", data={"direction": target.direction})
    for slot, content in zip(SLOTS, files, strict=True):
        await post(f"{base}/documents/{slot}", files={"file": (f"{slot}.pdf", content, "application/pdf")})
    await post(f"{base}/consent", data={"version": CONSENT_VERSION, "agree": "yes"})
    await post(f"{base}/submit")


async def run_submissions(
    base_url: str,
    host: str,
    candidates: Sequence[Candidate],
    targets: Sequence[Target],
    *,
    duration: float,
    warmup: float,
) -> SubmitResult:
    """Each candidate applies to the targets in its own order until warm-up plus duration have passed."""
    files = [one_megabyte_pdf(seed) for seed in range(len(SLOTS))]
    result = SubmitResult()
    begin = time.perf_counter()
    measure_from, stop_at = begin + warmup, begin + warmup + duration
    limits = httpx.Limits(max_connections=len(candidates), max_keepalive_connections=len(candidates))

    async def worker(index: int, who: Candidate, client: httpx.AsyncClient) -> None:
        offset = index * len(targets) // len(candidates)
        for target in [*targets[offset:], *targets[:offset]]:  # each candidate applies once per selection
            if time.perf_counter() >= stop_at:
                return
            log: list[tuple[str, float]] = []
            started = time.perf_counter()
            ok, status = True, "303"
            try:
                await _journey(client, who, target, host=host, files=files, log=log)
            except _FailedError as failure:
                ok, status = False, str(failure)
            except httpx.TransportError as error:
                ok, status = False, type(error).__name__
            finished = time.perf_counter()
            if finished < measure_from or started > stop_at:
                continue
            result.requests += len(log)
            result.request_ms.extend(ms for _step, ms in log)
            for step, ms in log:
                result.step_ms.setdefault(step, []).append(ms)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if ok:
                result.journeys += 1
                result.journey_ms.append((finished - started) * 1000)
            else:
                result.failed += 1
                if status.isdigit():
                    result.errors += 1
                else:
                    result.socket_errors += 1

    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))  # each worker sends its own
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=60.0, follow_redirects=False, cookies=no_cookies
    ) as client:
        await asyncio.gather(*(worker(i, who, client) for i, who in enumerate(candidates)))
    result.seconds = max(min(time.perf_counter(), stop_at) - measure_from, 1e-9)
    return result
