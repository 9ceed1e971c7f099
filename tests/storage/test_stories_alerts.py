"""Stories (articles grouped by event) and the alerts recorded for them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.errors import NotFoundError
from bot.domain.models import Severity
from bot.storage import Storage
from tests.storage.conftest import T0, add, draft


def test_story_lifecycle(storage: Storage) -> None:
    a1, a2, a3 = (add(storage, draft(n)) for n in range(3))
    story = storage.stories.create(a1.id, {"terms": ["kharkiv"]}, at=T0)
    assert (story.first_article_id, story.created, story.article_ids) == (a1.id, T0, (a1.id,))
    assert storage.stories.add_article(story.id, a2.id, at=T0 + timedelta(hours=1))
    assert not storage.stories.add_article(story.id, a2.id, at=T0 + timedelta(hours=2))
    storage.stories.set_fingerprint(story.id, {"terms": ["kharkiv", "biden"]})
    got = storage.stories.story_of(a2.id)
    assert got is not None
    assert got.id == story.id
    assert got.article_ids == (a1.id, a2.id)
    assert got.updated == T0 + timedelta(hours=1)
    assert got.fingerprint == {"terms": ["kharkiv", "biden"]}
    assert storage.stories.story_of(a3.id) is None
    assert [a.id for a in storage.stories.articles_of(story.id)] == [a1.id, a2.id]


def test_an_article_belongs_to_one_story(storage: Storage) -> None:
    a1, a2 = add(storage, draft(1)), add(storage, draft(2))
    s1 = storage.stories.create(a1.id, {}, at=T0)
    s2 = storage.stories.create(a2.id, {}, at=T0)
    assert not storage.stories.add_article(s2.id, a1.id, at=T0)
    with pytest.raises(NotFoundError):
        storage.stories.create(a1.id, {}, at=T0)
    assert storage.stories.story_of(a1.id) == storage.stories.get(s1.id)


def test_unknown_story_or_article_is_not_found(storage: Storage) -> None:
    a1 = add(storage, draft(1))
    story = storage.stories.create(a1.id, {}, at=T0)
    with pytest.raises(NotFoundError):
        storage.stories.add_article(story.id + 5, a1.id + 5, at=T0)
    with pytest.raises(NotFoundError):
        storage.stories.create(a1.id + 5, {}, at=T0)


def test_recent_stories_by_last_activity(storage: Storage) -> None:
    a = [add(storage, draft(n)) for n in range(4)]
    old = storage.stories.create(a[0].id, {"n": 0}, at=T0 - timedelta(days=3))
    new = storage.stories.create(a[1].id, {"n": 1}, at=T0)
    revived = storage.stories.create(a[2].id, {"n": 2}, at=T0 - timedelta(days=5))
    storage.stories.add_article(revived.id, a[3].id, at=T0 + timedelta(hours=1))
    recent = storage.stories.recent(T0 - timedelta(days=1))
    assert [s.id for s in recent] == [revived.id, new.id]
    assert old.id not in [s.id for s in recent]


def _alert(storage: Storage, article_id: int, **kw: object) -> int:
    fields: dict[str, object] = {
        "rule_id": "official-statement",
        "article_id": article_id,
        "severity": Severity.MEDIUM,
        "tags": ("statements", "us"),
        "message": {"title": "Biden said", "kind": "alert"},
        "created": T0,
    }
    fields.update(kw)
    return storage.alerts.add(**fields)  # type: ignore[arg-type]


def test_alert_round_trip(storage: Storage) -> None:
    article = add(storage, draft(1, source="wire"))
    story = storage.stories.create(article.id, {}, at=T0)
    alert_id = _alert(storage, article.id, story_id=story.id, key="US", speaker="Joe Biden")
    got = storage.alerts.get(alert_id)
    assert got is not None
    assert (got.rule_id, got.article_id, got.story_id, got.key) == (
        "official-statement",
        article.id,
        story.id,
        "US",
    )
    assert (got.severity, got.tags, got.created, got.new) == (
        Severity.MEDIUM,
        ("statements", "us"),
        T0,
        True,
    )
    assert got.message == {"title": "Biden said", "kind": "alert"}
    assert (got.speaker, got.source, got.parent_alert_id) == ("Joe Biden", "wire", None)
    storage.alerts.set_message(alert_id, {"title": "changed"})
    changed = storage.alerts.get(alert_id)
    assert changed is not None and changed.message == {"title": "changed"}
    assert storage.alerts.get(alert_id + 1) is None
    assert storage.alerts.count() == 1


def test_recent_alerts_with_filters(storage: Storage) -> None:
    a = add(storage, draft(1, source="wire"))
    b = add(storage, draft(2, source="blog"))
    ids = [
        _alert(storage, a.id, created=T0, speaker="Joe Biden"),
        _alert(storage, b.id, created=T0 + timedelta(hours=1), rule_id="strike-range"),
        _alert(storage, b.id, created=T0 + timedelta(hours=2), speaker="John Kirby"),
    ]
    assert [x.id for x in storage.alerts.recent()] == ids[::-1]
    assert [x.id for x in storage.alerts.recent(rule="strike-range")] == [ids[1]]
    assert [x.id for x in storage.alerts.recent(speaker="Joe Biden")] == [ids[0]]
    assert [x.id for x in storage.alerts.recent(source="blog")] == [ids[2], ids[1]]
    assert [x.id for x in storage.alerts.recent(since=T0 + timedelta(hours=1))] == [
        ids[2],
        ids[1],
    ]
    assert [x.id for x in storage.alerts.recent(1)] == [ids[2]]
    assert [x.id for x in storage.alerts.for_article(b.id)] == [ids[1], ids[2]]


def test_first_in_story_is_the_parent_of_follow_ups(storage: Storage) -> None:
    a1, a2 = add(storage, draft(1)), add(storage, draft(2))
    story = storage.stories.create(a1.id, {}, at=T0)
    storage.stories.add_article(story.id, a2.id, at=T0)
    assert storage.alerts.first_in_story(story.id, "official-statement") is None
    first = _alert(storage, a1.id, story_id=story.id)
    follow = _alert(storage, a2.id, story_id=story.id, parent_alert_id=first, new=False)
    _alert(storage, a2.id, story_id=story.id, rule_id="strike-range")
    got = storage.alerts.first_in_story(story.id, "official-statement")
    assert got is not None and got.id == first
    child = storage.alerts.get(follow)
    assert child is not None and (child.parent_alert_id, child.new) == (first, False)
