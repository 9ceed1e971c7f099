"""A fake Discord (REST v10 + JSON gateway) on 127.0.0.1 that the real discord.py talks to.

Point discord.py at it with `discord.http.Route.BASE = fake.api_base` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)` (or the
DISCORD_API_BASE / DISCORD_GATEWAY_URL settings). Every REST call is recorded in `calls`;
unknown routes get a loud 404 JSON. Tests drive it like a user: `send_slash_command()`,
`send_autocomplete()`, then `wait_for()` what the bot did. Failures are scripted with
`fail_next()` / `rate_limit_next()`, a random share of them with `fail_rate()`, and
`deny_channel()` makes a channel answer 403.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway/"
EPHEMERAL = 1 << 6

# Discord JSON error codes the fake can answer with.
UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008
UNKNOWN_INTERACTION = 10062
MISSING_ACCESS = 50001
INVALID_FORM_BODY = 50035
THREAD_ALREADY_CREATED = 160004

OPTION_TYPES = {str: 3, int: 4, bool: 5, float: 10}


@dataclass
class Call:
    """One REST request as the fake saw it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    status: int = 0


@dataclass
class Failure:
    """A scripted answer for the next `times` requests matching (method, path regex)."""

    method: str
    pattern: re.Pattern[str]
    status: int
    code: int = 0
    message: str = ""
    retry_after: float | None = None
    times: int = 1


@dataclass
class FailureRate:
    """A share `p` of requests matching (method, path regex) fail with one of `statuses`."""

    p: float
    rng: random.Random
    method: str
    pattern: re.Pattern[str]
    statuses: tuple[int, ...]
    retry_after: float


@dataclass
class FakeInteraction:
    """A slash command or autocompletion the fake sent, and how the bot answered it."""

    id: str
    token: str
    payload: dict[str, Any]
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    original: dict[str, Any] | None = None

    @property
    def answered(self) -> bool:
        return bool(self.callbacks)


Handler = Callable[[web.Request, Call, re.Match[str]], Awaitable[web.Response]]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response with exactly `application/json`, which discord.py insists on."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(status: int, code: int, message: str) -> web.Response:
    return json_response({"message": message, "code": code}, status=status)


def _rate_limited(message: str, retry_after: float | None) -> web.Response:
    """A 429 discord.py retries: a `Via` header and a JSON retry_after."""
    return json_response(
        {"message": message, "retry_after": retry_after, "global": False},
        status=429,
        headers={
            "Via": "1.1 google",
            "Retry-After": str(retry_after),
            "X-RateLimit-Scope": "user",
        },
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class FakeDiscord:
    """A recording fake of the Discord API for one bot, one server and two channels."""

    def __init__(self, *, token: str = "fake-token") -> None:
        self.token = token
        self.app_id = "1100000000000000001"
        self.bot_id = self.app_id  # a bot user shares its application's id
        self.guild_id = "1200000000000000001"
        self.channel_id = "1300000000000000001"
        self.other_channel_id = "1300000000000000002"
        self.user_id = "1400000000000000001"
        self.calls: list[Call] = []
        self.unknown: list[Call] = []
        self.channels: dict[str, dict[str, Any]] = {
            cid: self._channel(cid, name)
            for cid, name in ((self.channel_id, "news"), (self.other_channel_id, "desk"))
        }
        self.messages: dict[str, dict[str, Any]] = {}
        self.denied_channels: set[str] = set()
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id -> commands
        self.interactions: dict[str, FakeInteraction] = {}  # by token
        self.client_ops: list[int] = []
        self.identifies: list[dict[str, Any]] = []
        self.gateway_queries: list[dict[str, str]] = []
        self._failures: list[Failure] = []
        self._rate: FailureRate | None = None
        self._ids = itertools.count(1500000000000000001)
        self._seq = 0
        self._sockets: set[web.WebSocketResponse] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler, bool]] = [
            ("GET", re.compile(r"/users/@me"), self._me, True),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application, True),
            ("GET", re.compile(r"/gateway(/bot)?"), self._gateway_info, True),
            ("PUT", re.compile(r"/applications/(\d+)/commands"), self._sync, True),
            ("PUT", re.compile(r"/applications/(\d+)/guilds/(\d+)/commands"), self._sync, True),
            ("GET", re.compile(r"/applications/(\d+)/commands"), self._get_commands, True),
            (
                "GET",
                re.compile(r"/applications/(\d+)/guilds/(\d+)/commands"),
                self._get_commands,
                True,
            ),
            ("POST", re.compile(r"/channels/(\d+)/messages"), self._create_message, True),
            ("PATCH", re.compile(r"/channels/(\d+)/messages/(\d+)"), self._edit_message, True),
            ("POST", re.compile(r"/channels/(\d+)/messages/(\d+)/threads"), self._thread, True),
            ("POST", re.compile(r"/interactions/(\d+)/([^/]+)/callback"), self._callback, False),
            ("POST", re.compile(r"/webhooks/(\d+)/([^/]+)"), self._followup, False),
            (
                "PATCH",
                re.compile(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)"),
                self._webhook_edit,
                False,
            ),
            (
                "DELETE",
                re.compile(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)"),
                self._webhook_delete,
                False,
            ),
        ]

    # ---- lifecycle -------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Serve on 127.0.0.1 on an ephemeral port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._entry)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # ---- scripting and inspection ----------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        status: int,
        *,
        code: int = 0,
        message: str = "",
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests to (method, path regex) with an error."""
        self._failures.append(
            Failure(
                method, re.compile(path), status, code, message or f"{status} error", None, times
            )
        )

    def rate_limit_next(
        self, method: str, path: str, retry_after: float, *, times: int = 1
    ) -> None:
        """Answer with a 429 discord.py retries: a `Via` header and a JSON retry_after."""
        self._failures.append(
            Failure(
                method, re.compile(path), 429, 0, "You are being rate limited.", retry_after, times
            )
        )

    def fail_rate(
        self,
        p: float,
        seed: int = 0,
        *,
        method: str = "POST",
        path: str = r"/channels/\d+/messages",
        statuses: tuple[int, ...] = (500,),
        retry_after: float = 0.1,
    ) -> None:
        """A share `p` of requests to (method, path regex) fail, reproducibly per `seed`.

        Each failure answers one of `statuses`, picked at random: 429 is a rate limit that
        discord.py waits out (`retry_after` seconds) and retries; any other status is an
        error answer. Scripted `fail_next()` failures come first. `p=0` turns it off.
        """
        self._rate = (
            FailureRate(p, random.Random(seed), method, re.compile(path), statuses, retry_after)
            if p > 0
            else None
        )

    def deny_channel(self, channel_id: str) -> None:
        """Every request about this channel gets 403 Missing Access (bot removed)."""
        self.denied_channels.add(channel_id)

    def calls_to(self, method: str, path: str) -> list[Call]:
        """Recorded calls whose path fully matches the regex `path`."""
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path)]

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages created in a channel (or thread), oldest first."""
        return [m for m in self.messages.values() if m["channel_id"] == channel_id]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> None:
        """Wait until `predicate()` is truthy; it is re-checked after every request or frame."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- interactions ----------------------------------------------------------------

    async def send_slash_command(
        self,
        group: str,
        sub: str,
        options: dict[str, Any] | None = None,
        *,
        member_permissions: int = 0,
        channel_id: str | None = None,
        user_id: str | None = None,
    ) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE for `/group sub option:value …` from a member."""
        data = self._command_data(group, sub, options or {}, focused=None)
        return await self._interact(2, data, member_permissions, channel_id, user_id)

    async def send_autocomplete(
        self,
        group: str,
        sub: str,
        options: dict[str, Any],
        *,
        focused: str,
        member_permissions: int = 0,
    ) -> FakeInteraction:
        """Dispatch an autocompletion interaction (type 4) with `focused` being typed."""
        data = self._command_data(group, sub, options, focused=focused)
        return await self._interact(4, data, member_permissions, None, None)

    def _command_data(
        self, group: str, sub: str, options: dict[str, Any], *, focused: str | None
    ) -> dict[str, Any]:
        guild_cmds = {c["name"]: c for c in self.commands.get(self.guild_id, [])}
        global_cmds = {c["name"]: c for c in self.commands.get("global", [])}
        command = guild_cmds.get(group) or global_cmds.get(group)
        opts = []
        for name, value in options.items():
            opt: dict[str, Any] = {"name": name, "type": OPTION_TYPES[type(value)], "value": value}
            if name == focused:
                opt["focused"] = True
            opts.append(opt)
        data: dict[str, Any] = {
            "id": command["id"] if command else self._id(),
            "name": group,
            "type": 1,
            "options": [{"name": sub, "type": 1, "options": opts}],
        }
        if group in guild_cmds:
            data["guild_id"] = self.guild_id
        return data

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        permissions: int,
        channel_id: str | None,
        user_id: str | None,
    ) -> FakeInteraction:
        iid = self._id()
        token = f"itoken-{iid}"
        cid = channel_id or self.channel_id
        payload = {
            "id": iid,
            "application_id": self.app_id,
            "type": kind,
            "token": token,
            "version": 1,
            "data": data,
            "guild_id": self.guild_id,
            "guild": {"id": self.guild_id, "locale": "en-US", "features": []},
            "channel_id": cid,
            "channel": self.channels[cid],
            "member": self._member(user_id or self.user_id, permissions),
            "app_permissions": str(self._bot_permissions()),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": 0,
            "attachment_size_limit": 10485760,
        }
        interaction = FakeInteraction(iid, token, payload)
        self.interactions[token] = interaction
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    # ---- gateway ---------------------------------------------------------------------

    async def dispatch(self, event: str, d: dict[str, Any]) -> None:
        """Send an op-0 dispatch to every connected client."""
        for ws in list(self._sockets):
            await self._send(ws, event, d)

    async def _send(self, ws: web.WebSocketResponse, event: str, d: dict[str, Any]) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": d}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        self._sockets.add(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for frame in ws:
                if frame.type is not WSMsgType.TEXT:
                    continue
                message = json.loads(frame.data)
                op = message.get("op")
                self.client_ops.append(op)
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    await self._identify(ws, message["d"])
                elif op == 6:
                    await self._send(ws, "RESUMED", {})
                await self._notify()
        finally:
            self._sockets.discard(ws)
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: dict[str, Any]) -> None:
        self.identifies.append({k: v for k, v in d.items() if k != "token"})
        if d.get("token") not in (self.token, f"Bot {self.token}"):
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        await self._send(
            ws,
            "READY",
            {
                "v": 10,
                "user": self._bot_user(),
                "guilds": [{"id": self.guild_id, "unavailable": True}],
                "session_id": "fake-session",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": self.app_id, "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "shard": [0, 1],
            },
        )
        await self._send(ws, "GUILD_CREATE", self._guild())

    # ---- HTTP entry and routing ------------------------------------------------------

    async def _entry(self, request: web.Request) -> web.StreamResponse:
        if request.path == GATEWAY_PATH or request.path == GATEWAY_PATH.rstrip("/"):
            return await self._gateway(request)
        call = Call(
            method=request.method,
            path=request.path.removeprefix(API_PREFIX),
            query=dict(request.query),
            headers=dict(request.headers),
            body=await self._body(request),
        )
        self.calls.append(call)
        try:
            response = await self._route(request, call)
        finally:
            await self._notify()
        call.status = response.status
        return response

    async def _route(self, request: web.Request, call: Call) -> web.Response:
        if not request.path.startswith(API_PREFIX):
            return self._unknown(call)
        for method, pattern, handler, needs_auth in self._routes:
            match = pattern.fullmatch(call.path)
            if method != call.method or match is None:
                continue
            if needs_auth and call.headers.get("Authorization") != f"Bot {self.token}":
                return error_response(401, 0, "401: Unauthorized")
            scripted = self._scripted(call)
            if scripted is not None:
                return scripted
            return await handler(request, call, match)
        return self._unknown(call)

    def _unknown(self, call: Call) -> web.Response:
        self.unknown.append(call)
        return error_response(404, 0, f"fake Discord has no route {call.method} {call.path}")

    def _scripted(self, call: Call) -> web.Response | None:
        for failure in self._failures:
            if failure.times <= 0 or failure.method != call.method:
                continue
            if not failure.pattern.fullmatch(call.path):
                continue
            failure.times -= 1
            if failure.status == 429:
                return _rate_limited(failure.message, failure.retry_after)
            return error_response(failure.status, failure.code, failure.message)
        rate = self._rate
        if (
            rate is not None
            and rate.method == call.method
            and rate.pattern.fullmatch(call.path)
            and rate.rng.random() < rate.p
        ):
            status = rate.rng.choice(rate.statuses)
            if status == 429:
                return _rate_limited("You are being rate limited.", rate.retry_after)
            return error_response(status, 0, f"{status} error")
        return None

    @staticmethod
    async def _body(request: web.Request) -> Any:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            raw = form.get("payload_json")
            return json.loads(str(raw)) if raw is not None else None
        raw_bytes = await request.read()
        return json.loads(raw_bytes) if raw_bytes else None

    # ---- REST handlers ---------------------------------------------------------------

    async def _me(self, request: web.Request, call: Call, m: re.Match[str]) -> web.Response:
        return json_response(self._bot_user())

    async def _application(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        owner = {
            "id": "1400000000000000009",
            "username": "owner",
            "discriminator": "0",
            "avatar": None,
        }
        return json_response(
            {
                "id": self.app_id,
                "name": "Redline",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": owner,
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,
                "team": None,
            }
        )

    async def _gateway_info(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _sync(self, request: web.Request, call: Call, m: re.Match[str]) -> web.Response:
        scope = m.group(2) if m.lastindex and m.lastindex >= 2 else "global"
        out = []
        for cmd in call.body or []:
            echoed = {"type": 1, "description": "", **cmd}
            echoed.update(id=self._id(), application_id=self.app_id, version=self._id())
            if scope != "global":
                echoed["guild_id"] = scope
            out.append(echoed)
        self.commands[scope] = out
        return json_response(out)

    async def _get_commands(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        scope = m.group(2) if m.lastindex and m.lastindex >= 2 else "global"
        return json_response(self.commands.get(scope, []))

    def _channel_problem(self, channel_id: str) -> web.Response | None:
        if channel_id in self.denied_channels:
            return error_response(403, MISSING_ACCESS, "Missing Access")
        if channel_id not in self.channels:
            return error_response(404, UNKNOWN_CHANNEL, "Unknown Channel")
        return None

    async def _create_message(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        channel_id = m.group(1)
        problem = self._channel_problem(channel_id) or self._invalid_body(call.body)
        if problem is not None:
            return problem
        return json_response(self._message(channel_id, call.body))

    async def _edit_message(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        channel_id, message_id = m.group(1), m.group(2)
        problem = self._channel_problem(channel_id) or self._invalid_body(call.body)
        if problem is not None:
            return problem
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return error_response(404, UNKNOWN_MESSAGE, "Unknown Message")
        message.update({k: v for k, v in (call.body or {}).items() if k in ("content", "embeds")})
        message["edited_timestamp"] = now_iso()
        return json_response(message)

    async def _thread(self, request: web.Request, call: Call, m: re.Match[str]) -> web.Response:
        channel_id, message_id = m.group(1), m.group(2)
        problem = self._channel_problem(channel_id)
        if problem is not None:
            return problem
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return error_response(404, UNKNOWN_MESSAGE, "Unknown Message")
        if message_id in self.channels:
            return error_response(
                400, THREAD_ALREADY_CREATED, "A thread has already been created for this message"
            )
        thread = self._channel(message_id, str((call.body or {}).get("name", "thread")))
        thread.update(
            type=11,
            parent_id=channel_id,
            owner_id=self.bot_id,
            message_count=0,
            member_count=1,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": (call.body or {}).get("auto_archive_duration", 1440),
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        )
        self.channels[message_id] = thread
        message["thread"] = thread
        return json_response(thread, status=201)

    async def _callback(self, request: web.Request, call: Call, m: re.Match[str]) -> web.Response:
        interaction = self.interactions.get(m.group(2))
        if interaction is None or interaction.id != m.group(1):
            return error_response(404, UNKNOWN_INTERACTION, "Unknown interaction")
        if interaction.callbacks:
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        body = call.body or {}
        problem = self._invalid_body(body.get("data"))
        if problem is not None:
            return problem
        interaction.callbacks.append(body)
        kind = body.get("type")
        answer: dict[str, Any] = {
            "interaction": {"id": interaction.id, "type": interaction.payload["type"]}
        }
        if kind in (4, 5):
            data = dict(body.get("data") or {})
            flags = int(data.get("flags") or 0)
            message = self._message(
                interaction.payload["channel_id"], data, store=flags & EPHEMERAL == 0
            )
            message["interaction_metadata"] = {
                "id": interaction.id,
                "type": 2,
                "user": self._user(self.user_id),
            }
            interaction.original = message
            answer["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
            answer["resource"] = {"type": kind, "message": message}
        return json_response(answer)

    async def _followup(self, request: web.Request, call: Call, m: re.Match[str]) -> web.Response:
        interaction = self.interactions.get(m.group(2))
        if interaction is None or m.group(1) != self.app_id:
            return error_response(404, 10015, "Unknown Webhook")
        problem = self._invalid_body(call.body)
        if problem is not None:
            return problem
        flags = int((call.body or {}).get("flags") or 0)
        message = self._message(
            interaction.payload["channel_id"], call.body, store=flags & EPHEMERAL == 0
        )
        interaction.followups.append(message)
        return json_response(message)

    async def _webhook_edit(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        interaction = self.interactions.get(m.group(2))
        if interaction is None or interaction.original is None:
            return error_response(404, UNKNOWN_MESSAGE, "Unknown Message")
        problem = self._invalid_body(call.body)
        if problem is not None:
            return problem
        target = interaction.original
        if m.group(3) != "@original":
            found = [f for f in interaction.followups if f["id"] == m.group(3)]
            if not found:
                return error_response(404, UNKNOWN_MESSAGE, "Unknown Message")
            target = found[0]
        target.update({k: v for k, v in (call.body or {}).items() if k in ("content", "embeds")})
        target["edited_timestamp"] = now_iso()
        interaction.edits.append(dict(call.body or {}))
        return json_response(target)

    async def _webhook_delete(
        self, request: web.Request, call: Call, m: re.Match[str]
    ) -> web.Response:
        interaction = self.interactions.get(m.group(2))
        if interaction is None or interaction.original is None:
            return error_response(404, UNKNOWN_MESSAGE, "Unknown Message")
        return web.Response(status=204)

    # ---- payload builders ------------------------------------------------------------

    def _id(self) -> str:
        return str(next(self._ids))

    def _message(self, channel_id: str, body: Any, *, store: bool = True) -> dict[str, Any]:
        body = body or {}
        message = {
            "id": self._id(),
            "channel_id": channel_id,
            "guild_id": self.guild_id,
            "author": self._bot_user(),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": int(body.get("flags") or 0),
            "components": [],
            "allowed_mentions": body.get("allowed_mentions"),
        }
        if store:
            self.messages[message["id"]] = message
        return message

    @staticmethod
    def _invalid_body(body: Any) -> web.Response | None:
        """Discord's embed limits, enforced: 400 Invalid Form Body when one is broken."""
        embeds = (body or {}).get("embeds") or []
        problems = []
        if len(embeds) > 10:
            problems.append("more than 10 embeds")
        total = 0
        for e in embeds:
            title, description = e.get("title") or "", e.get("description") or ""
            footer = (e.get("footer") or {}).get("text") or ""
            fields = e.get("fields") or []
            if len(title) > 256 or len(description) > 4096 or len(footer) > 2048:
                problems.append("title, description or footer too long")
            if len(fields) > 25:
                problems.append("more than 25 fields")
            for f in fields:
                if not f.get("name") or not f.get("value"):
                    problems.append("empty field")
                if len(f.get("name") or "") > 256 or len(f.get("value") or "") > 1024:
                    problems.append("field too long")
                total += len(f.get("name") or "") + len(f.get("value") or "")
            total += len(title) + len(description) + len(footer)
        if total > 6000:
            problems.append("embeds longer than 6000 characters in all")
        if problems:
            return error_response(
                400, INVALID_FORM_BODY, "Invalid Form Body: " + "; ".join(problems)
            )
        return None

    def _user(self, user_id: str, *, bot: bool = False) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": "redline" if bot else f"user{user_id[-3:]}",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": bot,
            "public_flags": 0,
            "flags": 0,
        }

    def _bot_user(self) -> dict[str, Any]:
        return {**self._user(self.bot_id, bot=True), "verified": True, "mfa_enabled": False}

    def _member(self, user_id: str, permissions: int) -> dict[str, Any]:
        return {
            "user": self._user(user_id),
            "roles": [],
            "joined_at": "2025-01-01T00:00:00+00:00",
            "permissions": str(permissions),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "communication_disabled_until": None,
        }

    @staticmethod
    def _bot_permissions() -> int:
        # View, Send, Embed Links, Read History, Create Public Threads, Send in Threads.
        return (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 35) | (1 << 38)

    def _channel(self, channel_id: str, name: str) -> dict[str, Any]:
        return {
            "id": channel_id,
            "type": 0,
            "guild_id": self.guild_id,
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def _guild(self) -> dict[str, Any]:
        everyone = {
            "id": self.guild_id,
            "name": "@everyone",
            "permissions": str(self._bot_permissions()),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        bot_member = self._member(self.bot_id, self._bot_permissions())
        bot_member["user"] = self._bot_user()
        del bot_member["permissions"]
        return {
            "id": self.guild_id,
            "name": "Desk",
            "icon": None,
            "owner_id": "1400000000000000009",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "roles": [everyone],
            "emojis": [],
            "stickers": [],
            "channels": [c for c in self.channels.values() if c["type"] == 0],
            "threads": [],
            "members": [bot_member],
            "member_count": 2,
            "large": False,
            "joined_at": "2025-01-01T00:00:00+00:00",
            "unavailable": False,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
