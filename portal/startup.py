"""Start-up without the cyclic garbage collector (issue 9, docs/performance.md "Second pass").

Importing the portal and building the app allocate about a million long-lived objects (SQLAlchemy,
SQLModel, pydantic and Litestar classes, the routes); the collector, triggered every few hundred
allocations, walks them again and again and found nothing to free: 0.3 s of CPU per worker at
start. `portal.app` imports this module first, switches the collector back on once its imports are
done (`collect_again`), and builds the app inside `without_collector`. Nothing else changes: the
collector runs as usual while the portal serves.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_enabled_before_import = gc.isenabled()
gc.disable()


def collect_again() -> None:
    """The end of the imports: the collector as it was before `portal.app` was imported."""
    if _enabled_before_import:
        gc.enable()


@contextmanager
def without_collector() -> Iterator[None]:
    """No cyclic collection inside the block; the previous state afterwards (also on error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
