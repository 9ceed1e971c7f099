"""Fetching one feed over HTTP: conditional GET, size cap, redirects, Retry-After.

`fetch_feed` never raises for network or server trouble: every failure comes back as a
`FetchResult` with status ERROR and one sentence, so one bad source never stops a poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from bot import __version__
from bot.domain.errors import SourceError
from bot.domain.models import ArticleDraft, FetchResult, FetchStatus, SourceState, utcnow
from bot.domain.ports import Clock
from bot.feeds.parse import parse_feed
from bot.feeds.urls import check_url, check_url_async, display_host

__all__ = ["USER_AGENT", "check_url", "fetch_feed", "parse_retry_after"]

log = logging.getLogger(__name__)

USER_AGENT = f"Redline/{__version__} (+self-hosted news alerts)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 503})
_PERMANENT = {404: "was not found", 410: "is gone"}

Parser = Callable[..., list[ArticleDraft]]


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: a number of seconds or an HTTP date; else None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None  # HTTP dates are GMT; a zoneless one is not an HTTP date
    return max(0.0, (when - now).total_seconds())


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


def _sentence(text: str) -> str:
    text = " ".join(str(text).split()) or "unknown error"
    return text if text.endswith((".", "!", "?")) else text + "."


def _error(
    message: str, *, permanent: bool = False, retry_after_s: float | None = None
) -> FetchResult:
    return FetchResult(
        FetchStatus.ERROR,
        error=_sentence(message),
        permanent=permanent,
        retry_after_s=retry_after_s,
    )


async def _read_capped(response: httpx.Response, max_bytes: int, host: str) -> bytes | None:
    """The (decompressed) body, or None as soon as it grows past `max_bytes`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            log.info("stopped reading %s after %d bytes", host, total)
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _outcome(
    response: httpx.Response,
    state: SourceState,
    *,
    max_bytes: int,
    now: datetime,
    parse: Parser,
) -> FetchResult:
    host = display_host(str(response.url))
    status = response.status_code
    etag = response.headers.get("etag")
    last_modified = response.headers.get("last-modified")
    if status == 304:
        return FetchResult(
            FetchStatus.NOT_MODIFIED,
            etag=etag or state.etag,
            last_modified=last_modified or state.last_modified,
        )
    if status in _PERMANENT:
        return _error(
            f"The feed at {host} {_PERMANENT[status]} (HTTP {status}); check the URL.",
            permanent=True,
        )
    if status in _RETRY_STATUSES:
        wait = parse_retry_after(response.headers.get("retry-after"), now=now)
        busy = "is rate-limiting requests" if status == 429 else "is unavailable"
        return _error(f"{host} {busy} (HTTP {status}).", retry_after_s=wait)
    if status >= 400:
        return _error(f"{host} answered HTTP {status} {response.reason_phrase}".rstrip())
    if status >= 300:
        return _error(f"{host} answered HTTP {status} without a usable redirect.")
    body = await _read_capped(response, max_bytes, host)
    if body is None:
        return _error(f"The feed at {host} was not read: response larger than {_size(max_bytes)}.")
    if status == 204 or not body.strip():
        return FetchResult(FetchStatus.OK, etag=etag, last_modified=last_modified)
    headers = dict(response.headers.items())
    # Parsing a large feed takes a while; keep the event loop (and chat heartbeats) free.
    drafts = await asyncio.to_thread(
        parse, body, url=str(response.url), headers=headers, source=state.name
    )
    return FetchResult(FetchStatus.OK, drafts=tuple(drafts), etag=etag, last_modified=last_modified)


async def _fetch(
    client: httpx.AsyncClient,
    state: SourceState,
    *,
    max_bytes: int,
    max_redirects: int,
    timeout: httpx.Timeout,
    allow_private: bool,
    allowlist: Sequence[str],
    now: datetime,
    parse: Parser,
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url = state.location
    seen = {url}
    # Redirects are followed by hand so every hop passes the URL safety check.
    for _hop in range(max_redirects + 1):
        await check_url_async(url, allow_private=allow_private, allowlist=allowlist)
        request = client.build_request("GET", url, headers=headers, timeout=timeout)
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                target = urljoin(str(response.url), location)
                if target in seen:
                    return _error(f"The feed at {display_host(url)} redirects in a loop.")
                seen.add(target)
                url = target
                continue
            return await _outcome(response, state, max_bytes=max_bytes, now=now, parse=parse)
        finally:
            await response.aclose()
    return _error(
        f"The feed at {display_host(state.location)} redirected more than {max_redirects} times."
    )


def _network_error(e: Exception, host: str, timeout: httpx.Timeout) -> str:
    if isinstance(e, httpx.ConnectTimeout):
        return f"Timed out connecting to {host}."
    if isinstance(e, httpx.ReadTimeout):
        return f"{host} stopped sending data (no answer within {timeout.read:g} s)."
    if isinstance(e, httpx.TimeoutException):
        return f"Timed out talking to {host}."
    if isinstance(e, httpx.ConnectError):
        return f"Could not connect to {host}: {e or 'connection failed'}"
    if isinstance(e, httpx.DecodingError):
        return f"The response from {host} could not be decompressed."
    if isinstance(e, httpx.RemoteProtocolError):
        return f"{host} broke the HTTP protocol: {e}"
    if isinstance(e, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"The feed URL for {host} is not valid: {e}"
    return f"Fetching from {host} failed: {e or type(e).__name__}"


async def fetch_feed(
    client: httpx.AsyncClient,
    state: SourceState,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    max_redirects: int = 5,
    timeout: float | httpx.Timeout = 20.0,
    deadline_s: float | None = 120.0,
    allow_private: bool = False,
    allowlist: Sequence[str] = (),
    clock: Clock = utcnow,
    parse: Parser = parse_feed,
) -> FetchResult:
    """Fetch and parse one feed source, sending its ETag/Last-Modified for a conditional GET.

    `timeout` bounds connecting and each read; `deadline_s` bounds the whole fetch, so a
    server dripping bytes slowly cannot hold a poll forever.
    """
    limits = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    host = display_host(state.location)
    try:
        async with asyncio.timeout(deadline_s):
            result = await _fetch(
                client,
                state,
                max_bytes=max_bytes,
                max_redirects=max_redirects,
                timeout=limits,
                allow_private=allow_private,
                allowlist=allowlist,
                now=clock(),
                parse=parse,
            )
    except SourceError as e:
        result = _error(str(e), permanent=e.permanent)
    except TimeoutError:
        limit = f" than {deadline_s:g} s" if deadline_s is not None else ""
        result = _error(f"Fetching from {host} took longer{limit}.")
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as e:
        result = _error(_network_error(e, host, limits))
    if result.status is FetchStatus.ERROR:
        log.warning("source %s (%s): %s", state.name, host, result.error)
    else:
        log.debug(
            "source %s (%s): %s, %d drafts", state.name, host, result.status, len(result.drafts)
        )
    return result
