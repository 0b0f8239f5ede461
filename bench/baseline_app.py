"""The baseline of `make bench`: a bare Litestar app answering plaintext (security-notes A.5, E0).

Served by the same server, with the same worker count and options as the portal, in the same run,
so the portal's requests per second can be read as a ratio of what the framework and the server
can do on this machine. Run alone: .venv/bin/uvicorn --app-dir bench baseline_app:app
"""

from litestar import Litestar, get

BODY = b"Hello, World!"


@get("/plaintext", media_type="text/plain", sync_to_thread=False)
def plaintext() -> bytes:
    return BODY


app = Litestar(route_handlers=[plaintext], openapi_config=None, logging_config=None, debug=False)
