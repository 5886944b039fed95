"""``searcher serve``: a web page and a JSON HTTP API over an index.

    from searcher.serve import create_app, serve

    app = create_app("index")          # an ASGI application, for any ASGI server
    serve("index", port=8000)          # or run it: uvicorn, on loopback, Ctrl-C stops

See :mod:`searcher.serve.app` for the routes and :mod:`searcher.serve.server` for the
processes.
"""

from __future__ import annotations

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
