"""Loops that run beside the web app in development and under `portal worker` in production.

A loop is a coroutine function taking an `anyio.Event`: it runs rounds until the event is set and
finishes the round in progress before returning (mail delivery, the reserve's job).
"""

import asyncio
import signal
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Any

import anyio
import structlog

#: How long a stopping loop may take to finish its round before it is cancelled.
STOP_GRACE_SECONDS = 15.0

Loop = Callable[[anyio.Event], Coroutine[Any, Any, None]]

_log = structlog.get_logger("portal.worker")


@asynccontextmanager
async def beside_the_app(loop: Loop) -> AsyncIterator[None]:
    """Run `loop` while the app serves (a Litestar lifespan); on shutdown ask it to stop, and cancel
    it if its round takes longer than the grace period."""
    stop = anyio.Event()
    task = asyncio.create_task(loop(stop))
    try:
        yield
    finally:
        stop.set()
        with anyio.move_on_after(STOP_GRACE_SECONDS) as scope:
            await asyncio.shield(task)
        if scope.cancelled_caught:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task


async def until_signalled(*loops: Loop, name: str) -> None:
    """Run the loops until SIGINT or SIGTERM (`portal worker`); each finishes its round first."""
    stop = anyio.Event()

    async def watch_signals() -> None:
        with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            async for received in signals:
                _log.info(f"{name} stopping", signal=received.name)
                stop.set()
                return

    async with anyio.create_task_group() as group:
        group.start_soon(watch_signals)
        async with anyio.create_task_group() as running:
            for loop in loops:
                running.start_soon(loop, stop)
        group.cancel_scope.cancel()


__all__ = ["STOP_GRACE_SECONDS", "Loop", "beside_the_app", "until_signalled"]
