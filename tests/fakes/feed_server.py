"""A scripted feed server on 127.0.0.1 (aiohttp) that records every request.

Routes are added per test: `feed()` (with ETag / Last-Modified and 304 answers), `status()`,
`redirect()`, `slow()` (headers and a first chunk, then silence until the server stops),
`endless()` (a body that never ends) and `gzip()`. Unknown paths get a loud 404 JSON so a
request the code did not mean to make shows up at once.
"""

from __future__ import annotations

import asyncio
import gzip as gzip_lib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    """Serves scripted routes; `await FeedServer().start()`, then `url(path)`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._routes: dict[str, Handler] = {}
        self._release = asyncio.Event()  # lets slow handlers finish when the server stops
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requests_to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            Recorded(request.method, request.path, request.query_string, dict(request.headers))
        )
        handler = self._routes.get(request.path)
        if handler is None:
            body = json.dumps({"error": "no such route in the fake", "path": request.path})
            return web.Response(status=404, text=body, content_type="application/json")
        return await handler(request)

    # -- scripting -------------------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> None:
        self._routes[path] = handler

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        content_type: str = "application/rss+xml; charset=utf-8",
    ) -> None:
        """A feed that answers 304 when the client's validators match."""

        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {}
            if etag:
                headers["ETag"] = etag
            if last_modified:
                headers["Last-Modified"] = last_modified
            if (etag and request.headers.get("If-None-Match") == etag) or (
                last_modified and request.headers.get("If-Modified-Since") == last_modified
            ):
                return web.Response(status=304, headers=headers)
            headers["Content-Type"] = content_type
            return web.Response(body=body, headers=headers)

        self.route(path, handler)

    def status(self, path: str, code: int, *, headers: dict[str, str] | None = None) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=code, text=f"status {code}", headers=headers or {})

        self.route(path, handler)

    def redirect(self, path: str, to: str, *, code: int = 302) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=code, headers={"Location": to})

        self.route(path, handler)

    def slow(self, path: str, first: bytes = b"<rss version='2.0'><channel>") -> None:
        """Send the headers and a first chunk, then nothing until the server stops."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            await response.prepare(request)
            await response.write(first)
            await self._release.wait()
            return response

        self.route(path, handler)

    def endless(self, path: str, *, chunk: int = 64 * 1024, declare_length: bool = False) -> None:
        """A body that keeps coming (for the size cap); optionally announces a huge length."""

        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {"Content-Type": "application/rss+xml"}
            if declare_length:
                headers["Content-Length"] = str(1 << 40)
            response = web.StreamResponse(headers=headers)
            await response.prepare(request)
            block = b"<!-- " + b"x" * (chunk - 9) + b" -->\n"
            try:
                while not self._release.is_set():
                    await response.write(block)
            except (ConnectionError, RuntimeError):
                pass  # the client hung up, which is what the test wants
            return response

        self.route(path, handler)

    def gzip(self, path: str, body: bytes, *, content_type: str = "application/rss+xml") -> None:
        """A body sent with Content-Encoding: gzip."""
        packed = gzip_lib.compress(body)

        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {"Content-Type": content_type, "Content-Encoding": "gzip"}
            return web.Response(body=packed, headers=headers)

        self.route(path, handler)
