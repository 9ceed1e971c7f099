"""Hostile rule files: refused at load with file:line, while the last good set keeps running.

Live reload goes through the App's RuleBook (what the file watcher calls); a rule that
matches everything goes through the pipeline and the deliverer, whose burst folding must
keep a channel readable.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app import App
from bot.domain.message import MessageKind
from bot.domain.models import ArticleDraft
from bot.services.status import status_reply
from tests.hardening.conftest import MATCH_ALL, ROOT, console_poster, rules_dir
from tests.services.conftest import FakeClock


def _alias_bomb() -> str:
    lines = ["id: bomb", "title: Bomb", "match: {terms: [x]}", 'a: &a ["lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghijklm":
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
        prev = name
    return "\n".join(lines) + "\n"


BAD_FILES = {
    "alias-bomb": (_alias_bomb(), "alias"),
    "huge": (
        "id: huge\ntitle: Huge\nmatch: {terms: [x]}\ndescription: '" + "x" * 2_000_000 + "'\n",
        "limit",
    ),
    "unknown-key": ("id: typo\ntitle: Typo\nmatch:\n  terms: [x]\nseverty: high\n", "severty"),
    "lookbehind": ("id: lb\ntitle: LB\nmatch:\n  regex: '(?<=a)b'\n", "RE2"),
    "invalid-yaml": ("id: bad\ntitle: [unclosed\nmatch: {}\n", "YAML"),
    "python-tag": (
        "id: !!python/object/apply:os.system ['true']\ntitle: T\nmatch: {terms: [x]}\n",
        "",
    ),
    "not-a-mapping": ("- just\n- a\n- list\n", ""),
    "binary": ("\udcff\udcfe", ""),
}
# file:line: message; a problem with the whole file (size, encoding) has no line to name.
FILE_LINE = re.compile(r"^\S*\.ya?ml:(\d+:)? \S")


@pytest.fixture
def live_rules(tmp_path: Path) -> Path:
    directory = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", directory)
    return directory


def _write(path: Path, text: str) -> None:
    if text == "\udcff\udcfe":
        path.write_bytes(b"\xff\xfe\x00\x00garbage")
    else:
        path.write_text(text, encoding="utf-8")


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", list(BAD_FILES))
async def test_a_bad_edit_keeps_the_last_good_rule_set_running(
    make_app: Callable[..., App], live_rules: Path, clock: FakeClock, kind: str
) -> None:
    app = make_app(rules_dir=live_rules)
    assert app.rulebook.reload(), app.rulebook.health.errors
    good = app.rulebook.current
    ids = sorted(r.id for r in good.rules)
    assert len(ids) == 3

    clock.advance(minutes=5)
    text, needle = BAD_FILES[kind]
    _write(live_rules / "strike-range.yaml", text)  # an editor replaces a working file
    assert app.rulebook.reload() is False

    assert app.rulebook.current is good
    assert sorted(r.id for r in app.rulebook.current.rules) == ids
    health = app.rulebook.health
    assert health.ok and health.rules == 3 and health.failed_at == clock()
    assert health.errors
    for error in health.errors:
        assert "\n" not in error and "Traceback" not in error
        assert FILE_LINE.match(error), error
        assert "strike-range.yaml" in error
    assert needle.lower() in " ".join(health.errors).lower()
    status = "\n".join(status_reply(app).lines)
    assert "still running the last good set" in status and "strike-range.yaml:" in status

    # Fixing the file loads the new set and clears the error.
    shutil.copy(ROOT / "rules" / "strike-range.yaml", live_rules / "strike-range.yaml")
    assert app.rulebook.reload() is True
    assert app.rulebook.health.errors == [] and app.rulebook.current is not good


@pytest.mark.asyncio
async def test_the_first_load_failing_means_no_rules_and_says_so(
    make_app: Callable[..., App], tmp_path: Path
) -> None:
    directory = rules_dir(tmp_path, {"typo.yaml": BAD_FILES["unknown-key"][0]})
    app = make_app(rules_dir=directory)
    assert app.rulebook.reload() is False
    assert app.rulebook.current is None and not app.rulebook.health.ok
    lines = status_reply(app).lines
    assert "Rules: none loaded." in lines
    assert any("typo.yaml:5" in line for line in lines)


@pytest.mark.asyncio
async def test_a_catastrophic_regex_loads_and_runs_on_a_hostile_article(
    make_app: Callable[..., App], tmp_path: Path
) -> None:
    # Under Python's re, (a+)+$ on 'aaaa…!' takes exponential time; RE2 is linear.
    rule = "id: nested\ntitle: Nested\nmatch:\n  regex: '(a+)+$'\n"
    app = make_app(rules_dir=rules_dir(tmp_path, {"nested.yaml": rule}))
    assert app.rulebook.reload(), app.rulebook.health.errors
    hostile = ArticleDraft(source="wire", title="Letters", text="a" * 50_000 + "!")
    matching = ArticleDraft(source="wire", title="Shout", text="The crowd said " + "a" * 40)
    processed = await app.pipeline.process([hostile, matching])
    by_title = {p.article.title: p for p in processed if p.article is not None}
    assert by_title["Letters"].matches == []
    assert [m.rule_id for m in by_title["Shout"].matches] == ["nested"]


@pytest.mark.asyncio
async def test_a_rule_that_matches_everything_folds_into_a_few_messages(
    make_app: Callable[..., App], tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(rules_dir=rules_dir(tmp_path, {"everything.yaml": MATCH_ALL}), burst_limit=5)
    assert app.rulebook.reload(), app.rulebook.health.errors
    poster = console_poster(app)
    words = "harbour orchard railway glacier lighthouse vineyard quarry meadow canal bridge"
    topics = [f"{a} {b}" for a in words.split() for b in words.split()[:6]]
    drafts = [
        ArticleDraft(
            source=f"wire-{i % 3}",
            title=f"The {topic} report number {i}",
            text=f"Officials discussed the {topic} plan, item {i}, at length on Monday.",
            url=f"https://wire.example.org/{i}",
        )
        for i, topic in enumerate(topics)
    ]
    await app.pipeline.process(drafts)
    alerts = app.storage.alerts.count()
    assert alerts >= 50

    for _ in range(5):  # several drains inside one minute, as the scheduler does
        await app.deliverer().deliver_due()
        clock.advance(seconds=5)
    kinds = [post[2].kind for post in poster.posts]
    assert kinds.count(MessageKind.ALERT) <= 5
    assert len(poster.posts) <= 5 + 5  # the limit, then at most one fold per drain
    assert MessageKind.BURST in kinds
    assert app.storage.outbox.depth() == 0  # folded, not dropped or left waiting


@pytest.mark.asyncio
async def test_one_story_from_thirty_outlets_folds_its_follow_ups_too(
    make_app: Callable[..., App], tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(rules_dir=rules_dir(tmp_path, {"everything.yaml": MATCH_ALL}), burst_limit=5)
    assert app.rulebook.reload(), app.rulebook.health.errors
    poster = console_poster(app)
    text = (
        "The harbour authority in Valdoria closed the northern pier after storm damage, "
        "mayor Ilse Brandt said on Tuesday."
    )
    drafts = [
        ArticleDraft(
            source=f"outlet-{i}",
            title=f"Valdoria harbour closes northern pier {i}",
            text=f"{text} Outlet {i} reported.",
            url=f"https://outlet{i}.example.org/pier",
        )
        for i in range(30)
    ]
    processed = await app.pipeline.process(drafts)
    assert len({p.story_id for p in processed}) == 1  # one story, so 29 follow-ups
    for _ in range(5):
        await app.deliverer().deliver_due()
        clock.advance(seconds=5)
    kinds = [post[2].kind for post in poster.posts]
    assert kinds[0] is MessageKind.ALERT
    assert len(kinds) <= 5 + 5 and MessageKind.BURST in kinds
    assert app.storage.outbox.depth() == 0
