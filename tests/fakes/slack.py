"""A fake Slack for tests: Web API, response_url sink and Socket Mode, on 127.0.0.1:0.

It runs on its own thread and event loop, so sync (urllib) and async (aiohttp) Slack
clients can both reach it, and a test's own loop never has to serve it. Every request is
recorded; an unknown Web API method gets a loud 404 so a new call the product starts
making shows up at once. Failures are scripted with `fail_next` and `fail_rate`.

    with FakeSlack() as slack:
        settings = Settings(slack_bot_token=Secret(slack.bot_token),
                            slack_api_base_url=slack.base_url, ...)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import random
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web

TEAM_ID = "T0FAKE01"
BOT_USER_ID = "U0REDLINE"
BOT_ID = "B0REDLINE"

# Environment variables that would leak real credentials or send test traffic to a proxy.
ENV_TO_CLEAR = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_VERIFICATION_TOKEN",
    "SLACK_API_BASE_URL",
    "SLACK_ADMIN_GROUP",
    "SLACK_HTTP_PORT",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)


@dataclass
class Call:
    """One request the fake received."""

    method: str  # Web API method, "response_url" or "socket_ack"
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]
    token: str | None = None
    status: int = 200  # what the fake answered
    response: dict[str, Any] | None = None  # the JSON answer, when there was one


@dataclass
class _Failure:
    outcome: int | str  # an HTTP status, or an `error` code answered with HTTP 200
    retry_after: int = 0


@dataclass
class _Rate:
    p: float
    rng: random.Random
    methods: tuple[str, ...]
    outcome: int | str
    retry_after: int


@dataclass
class FakeUser:
    """A user as users.info describes it."""

    id: str
    name: str = "someone"
    is_admin: bool = False
    is_owner: bool = False
    tz: str = "Europe/London"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": self.name.title(),
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_bot": False,
            "deleted": False,
            "tz": self.tz,
        }


@dataclass
class FakeSlack:
    """The fake server. Use as a context manager or call start()/stop()."""

    bot_token: str = "xoxb-fake-bot-token"
    app_token: str = "xapp-fake-app-token"
    team_id: str = TEAM_ID
    users: dict[str, FakeUser] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.port = 0
        self._calls: list[Call] = []
        self._cond = threading.Condition()
        self._failures: dict[str, deque[_Failure]] = {}
        self._rate: _Rate | None = None
        self._ts = itertools.count(1)
        self._tickets = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # ---------------------------------------------------------------- life cycle

    def start(self) -> FakeSlack:
        """Start serving on 127.0.0.1 on an ephemeral port; returns self."""
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve())
            except BaseException as e:  # surface bind errors in the test thread
                errors.append(e)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-slack", daemon=True)
        self._thread.start()
        ready.wait(5)
        if errors:
            raise errors[0]
        return self

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response_url/{name}", self._response_url)
        app.router.add_get("/socket-mode", self._socket_mode)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    def stop(self) -> None:
        """Close sockets, stop the server and join its thread."""
        if self._loop is None or self._thread is None:
            return
        loop = self._loop

        async def shutdown() -> None:
            for ws in list(self._sockets):
                await ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(5)
        self._loop = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- addresses

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass as the Web API base URL (SLACK_API_BASE_URL)."""
        return f"{self.root}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """A response_url for a slash-command payload; answers land in calls_to('response_url')."""
        return f"{self.root}/response_url/{name}"

    # ---------------------------------------------------------------- scripting

    def add_user(
        self, user_id: str, *, admin: bool = False, owner: bool = False, tz: str = "Europe/London"
    ) -> FakeUser:
        """Make users.info know `user_id`."""
        user = FakeUser(user_id, name=user_id.lower(), is_admin=admin, is_owner=owner, tz=tz)
        self.users[user_id] = user
        return user

    def fail_next(self, method: str, outcome: int | str, *, retry_after: int = 0) -> None:
        """The next call to `method` answers `outcome`: an HTTP status (429 carries
        Retry-After: `retry_after`) or a Slack error code with HTTP 200. Calls queue up."""
        with self._cond:
            self._failures.setdefault(method, deque()).append(_Failure(outcome, retry_after))

    def fail_rate(
        self,
        p: float,
        seed: int = 0,
        *,
        methods: tuple[str, ...] = ("chat.postMessage",),
        outcome: int | str = 500,
        retry_after: int = 0,
    ) -> None:
        """A fraction `p` of calls to `methods` fail with `outcome`, reproducibly per `seed`."""
        with self._cond:
            self._rate = (
                _Rate(p, random.Random(seed), methods, outcome, retry_after) if p > 0 else None
            )

    # ---------------------------------------------------------------- inspection

    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call to `method` (a Web API method, "response_url", "socket_ack")."""
        with self._cond:
            return [c for c in self._calls if c.method == method]

    def posted(self) -> list[dict[str, Any]]:
        """Bodies of chat.postMessage calls that succeeded."""
        return [c.body for c in self.calls_to("chat.postMessage") if c.status == 200]

    def wait_for(self, method: str, count: int = 1, timeout: float = 3.0) -> list[Call]:
        """Block until `count` calls to `method` arrived; raises AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(
                        f"expected {count}× {method} within {timeout}s; saw {seen}"
                    )
                self._cond.wait(left)

    async def await_for(self, method: str, count: int = 1, timeout: float = 3.0) -> list[Call]:
        """`wait_for` from async code without blocking the caller's loop."""
        return await asyncio.to_thread(self.wait_for, method, count, timeout)

    def wait_socket(self, timeout: float = 3.0) -> None:
        """Block until a Socket Mode client is connected and greeted."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._sockets:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no Socket Mode connection")
                self._cond.wait(left)

    def reset(self) -> None:
        """Forget recorded calls and scripted failures."""
        with self._cond:
            self._calls.clear()
            self._failures.clear()
            self._rate = None

    # ---------------------------------------------------------------- inbound helpers

    def slash_payload(
        self,
        text: str = "",
        *,
        user_id: str = "U0MEMBER",
        channel_id: str = "C0NEWS",
        command: str = "/redline",
        response_name: str | None = None,
    ) -> dict[str, str]:
        """The fields Slack sends for a slash command (form body or Socket Mode payload)."""
        name = response_name or f"cmd-{uuid.uuid4().hex[:8]}"
        return {
            "token": "deprecated-verification-token",
            "team_id": self.team_id,
            "team_domain": "fake",
            "channel_id": channel_id,
            "channel_name": "news",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0REDLINE",
            "is_enterprise_install": "false",
            "response_url": self.response_url(name),
            "trigger_id": f"{time.time():.0f}.fake.trigger",
        }

    async def push_slash_command(
        self, text: str = "", *, timeout: float = 3.0, **fields: Any
    ) -> dict[str, Any]:
        """Send a slash command over Socket Mode; returns the client's ack frame."""
        if self._loop is None or not self._sockets:
            raise AssertionError("no Socket Mode connection to push to")
        envelope_id = uuid.uuid4().hex
        frame = {
            "envelope_id": envelope_id,
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": self.slash_payload(text, **fields),
        }
        ws = self._sockets[-1]
        sent = asyncio.run_coroutine_threadsafe(ws.send_str(json.dumps(frame)), self._loop)
        await asyncio.wrap_future(sent)
        return await asyncio.to_thread(self._wait_ack, envelope_id, timeout)

    def _wait_ack(self, envelope_id: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while envelope_id not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"envelope {envelope_id} was not acknowledged")
                self._cond.wait(left)
            return self._acks[envelope_id]

    # ---------------------------------------------------------------- handlers

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _scripted(self, method: str) -> _Failure | None:
        with self._cond:
            queue = self._failures.get(method)
            if queue:
                return queue.popleft()
            rate = self._rate
            if rate is not None and method in rate.methods and rate.rng.random() < rate.p:
                return _Failure(rate.outcome, rate.retry_after)
        return None

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        body: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                body.update(json.loads(raw))
            else:
                body.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else body.get("token")
        call = Call(
            method=method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            body=body,
            token=token,
        )
        response = self._answer(method, body, token)
        call.status = response.status
        if response.content_type == "application/json" and response.body is not None:
            call.response = json.loads(response.body)  # type: ignore[arg-type]
        self._record(call)
        return response

    def _answer(self, method: str, body: dict[str, Any], token: str | None) -> web.Response:
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return _json({"ok": False, "error": "unknown_method", "method": method}, status=404)
        failure = self._scripted(method)
        if failure is not None:
            return _failure(failure)
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if not token:
            return _json({"ok": False, "error": "not_authed"})
        if token != expected:
            # A bot token where an app token belongs (or the reverse) is a different error.
            kinds = ("xoxb-", "xoxp-", "xapp-")
            wrong_kind = token.startswith(kinds) and token[:5] != expected[:5]
            return _json(
                {"ok": False, "error": "not_allowed_token_type" if wrong_kind else "invalid_auth"}
            )
        result: web.Response = handler(body)
        return result

    # Web API methods: each returns Slack's documented answer shape, trimmed.

    def _m_auth_test(self, body: dict[str, Any]) -> web.Response:
        return _json(
            {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake Desk",
                "user": "redline",
                "team_id": self.team_id,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        )

    def _m_chat_postMessage(self, body: dict[str, Any]) -> web.Response:
        if not body.get("channel"):
            return _json({"ok": False, "error": "channel_not_found"})
        if not (body.get("text") or body.get("blocks")):
            return _json({"ok": False, "error": "no_text"})
        n = next(self._ts)
        ts = f"{1_700_000_000 + n}.{n:06d}"
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": body.get("text", ""),
            "blocks": body.get("blocks", []),
            "ts": ts,
        }
        if body.get("thread_ts"):
            message["thread_ts"] = body["thread_ts"]
        return _json({"ok": True, "channel": body["channel"], "ts": ts, "message": message})

    def _m_chat_update(self, body: dict[str, Any]) -> web.Response:
        if not body.get("ts"):
            return _json({"ok": False, "error": "message_not_found"})
        return _json(
            {"ok": True, "channel": body.get("channel"), "ts": body["ts"], "text": body.get("text")}
        )

    def _m_conversations_info(self, body: dict[str, Any]) -> web.Response:
        channel = str(body.get("channel") or "")
        if not channel:
            return _json({"ok": False, "error": "channel_not_found"})
        return _json(
            {
                "ok": True,
                "channel": {
                    "id": channel,
                    "name": channel.lower(),
                    "is_channel": True,
                    "is_private": channel.startswith("G"),
                    "is_archived": False,
                    "is_member": True,
                },
            }
        )

    def _m_users_info(self, body: dict[str, Any]) -> web.Response:
        user = self.users.get(str(body.get("user") or ""))
        if user is None:
            return _json({"ok": False, "error": "user_not_found"})
        return _json({"ok": True, "user": user.as_json()})

    def _m_usergroups_users_list(self, body: dict[str, Any]) -> web.Response:
        members = self.usergroups.get(str(body.get("usergroup") or ""))
        if members is None:
            return _json({"ok": False, "error": "no_such_subteam"})
        return _json({"ok": True, "users": list(members)})

    def _m_apps_connections_open(self, body: dict[str, Any]) -> web.Response:
        ticket = next(self._tickets)
        url = f"ws://127.0.0.1:{self.port}/socket-mode?ticket={ticket}"
        return _json({"ok": True, "url": url})

    async def _response_url(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        self._record(
            Call(
                method="response_url",
                path=request.path,
                query=dict(request.query),
                headers=dict(request.headers),
                body=body,
            )
        )
        return web.Response(text="ok")

    async def _socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": "A0REDLINE"},
                }
            )
        )
        with self._cond:
            self._sockets.append(ws)
            self._cond.notify_all()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                envelope_id = frame.get("envelope_id")
                self._record(
                    Call(
                        method="socket_ack",
                        path=request.path,
                        query=dict(request.query),
                        headers={},
                        body=frame,
                    )
                )
                if envelope_id:
                    with self._cond:
                        self._acks[envelope_id] = frame
                        self._cond.notify_all()
        finally:
            with self._cond:
                if ws in self._sockets:
                    self._sockets.remove(ws)
        return ws

    async def _unknown(self, request: web.Request) -> web.Response:
        self._record(
            Call(
                method="unknown",
                path=request.path,
                query=dict(request.query),
                headers=dict(request.headers),
                body={},
                status=404,
            )
        )
        return _json({"ok": False, "error": "unknown_route", "path": request.path}, status=404)


def _json(data: dict[str, Any], *, status: int = 200) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def _failure(failure: _Failure) -> web.Response:
    outcome = failure.outcome
    if isinstance(outcome, str):
        return _json({"ok": False, "error": outcome})
    if outcome == 429:
        return web.Response(
            status=429,
            body=json.dumps({"ok": False, "error": "ratelimited"}).encode(),
            headers={"Content-Type": "application/json", "Retry-After": str(failure.retry_after)},
        )
    # Slack's 5xx pages are not JSON; the client must cope with a bare status.
    return web.Response(status=outcome, text=f"fake slack: HTTP {outcome}")


# ---------------------------------------------------------------- request signing


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends with an HTTP-mode request: v0 HMAC-SHA256 over `v0:ts:body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def form_body(fields: dict[str, str]) -> str:
    """A slash-command payload as Slack's form-encoded request body."""
    return urlencode(fields)
