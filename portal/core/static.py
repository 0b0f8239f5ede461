"""Content-hashed static URLs and the SRI value of the vendored htmx file.

Hashes are computed once at start-up; a changed file gets a new URL, so static responses can
be cached for a year (immutable) by browsers and by nginx.
"""

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from portal import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"
HTMX_FILE = "vendor/htmx-4.0.1.min.js"
#: The pinned Subresource Integrity of htmx 4.0.1 (static/vendor/README.md); a test compares it
#: with the file, so a silently replaced file fails the build.
HTMX_SRI = "sha384-Qp9rdC8H7EqOoX+nR0P3RPG2Noji+qdwJlGpfzwQJsfOpp3sGwIdSP9xO3+UlEhn"


@dataclass(frozen=True)
class StaticManifest:
    directory: Path = STATIC_DIR
    prefix: str = "/static"
    hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, directory: Path = STATIC_DIR, prefix: str = "/static") -> "StaticManifest":
        hashes = {
            path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            for path in sorted(directory.rglob("*"))
            if path.is_file()
        }
        return cls(directory, prefix, hashes)

    def url(self, path: str) -> str:
        """The URL of a static file with its content hash; an unknown file is a programming error."""
        return f"{self.prefix}/{path}?v={self.hashes[path]}"


def sri(path: Path) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()
