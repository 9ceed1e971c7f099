"""The directory source: seeds/ and scratch folders of .txt, .md and .html article files."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.domain.errors import SourceError
from bot.domain.models import FetchStatus, SourceKind, SourceState
from bot.feeds.backoff import reschedule
from bot.feeds.directory import fetch_directory, read_articles

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NOW = datetime(2024, 9, 1, tzinfo=UTC)


def _expected_seed_names() -> list[str]:
    """The seed files named in seeds/expected.yaml (the ground truth, not a directory listing)."""
    data = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))
    return sorted(data["quotes"])


def test_seeds_give_five_drafts_in_name_order() -> None:
    drafts = read_articles(SEEDS, source="seeds")
    names = [Path(d.path or "").name for d in drafts]
    assert names == _expected_seed_names()
    assert len(drafts) == 5
    assert all(d.source == "seeds" and d.title and d.text for d in drafts)


def test_seed_dates_come_from_the_date_prefix() -> None:
    dates = {Path(d.path or "").name[:3]: d.published for d in read_articles(SEEDS, source="s")}
    assert dates == {
        "000": datetime(2024, 7, 11, tzinfo=UTC),
        "001": None,
        "002": None,
        "003": None,
        "004": datetime(2024, 8, 27, tzinfo=UTC),
    }


def test_seed_titles() -> None:
    drafts = {Path(d.path or "").name[:3]: d for d in read_articles(SEEDS, source="s")}
    first_line = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8").split("\n", 1)[0]
    assert drafts["001"].title == first_line.strip()
    assert drafts["003"].title == (
        "Biden clarifies stance on Ukraine using American weapons against Moscow"
    )
    for prefix in ("000", "002", "004"):  # these open with a sentence, which is the title
        assert drafts[prefix].text.startswith(drafts[prefix].title)


def test_urls_are_stable_file_uris_of_absolute_paths() -> None:
    for draft in read_articles(SEEDS, source="s"):
        assert draft.path and Path(draft.path).is_absolute()
        assert draft.url == Path(draft.path).as_uri()
        assert draft.url.startswith("file:///")


def test_seed_furniture_never_reaches_the_text() -> None:
    text = {Path(d.path or "").name[:3]: d.text for d in read_articles(SEEDS, source="s")}
    assert "ua en ru" not in text["003"] and "(Phoro" not in text["003"]
    assert "Read more" not in text["001"]
    assert "(RELATED:" not in text["004"]


def test_a_single_file_is_accepted(tmp_path: Path) -> None:
    (seed,) = SEEDS.glob("004_*.txt")
    (draft,) = read_articles(seed, source="ingest")
    assert draft.path == str(seed.resolve())
    assert draft.published == datetime(2024, 8, 27, tzinfo=UTC)


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(SourceError, match=r"notes\.pdf is not an article file"):
        read_articles(other, source="s")


def test_a_missing_path_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="There is no file or folder"):
        read_articles(tmp_path / "nope", source="s")


def test_formats_and_undecodable_files(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(" date 2025-01-02 First sentence. Second.\n", "utf-8")
    (tmp_path / "b.md").write_text(
        "# A markdown headline\n\nBody with a [link](https://x.example/) and **bold**.\n", "utf-8"
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>x</title><script>1</script></head><body><nav>Home</nav>"
        "<h1>An HTML headline</h1><p>Body &amp; more.</p></body></html>",
        "utf-8",
    )
    (tmp_path / "d.txt").write_bytes("Caf\xe9 au lait.".encode("latin-1"))  # not UTF-8
    (tmp_path / "e.json").write_text("{}", "utf-8")  # not an article file: ignored
    (tmp_path / "f.txt").write_text("\n\n", "utf-8")  # empty: skipped
    with caplog.at_level(logging.WARNING, logger="bot.feeds.directory"):
        drafts = read_articles(tmp_path, source="scratch")
    summary = [(Path(d.path or "").name, d.title, d.text, d.published) for d in drafts]
    assert summary == [
        ("a.txt", "First sentence.", "First sentence. Second.", datetime(2025, 1, 2, tzinfo=UTC)),
        ("b.md", "A markdown headline", "Body with a link and bold.", None),
        ("c.html", "An HTML headline", "Body & more.", None),
    ]
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "d.txt" in warned and "f.txt" in warned


def _state(location: Path) -> SourceState:
    return SourceState(name="dir", kind=SourceKind.DIRECTORY, location=str(location))


@pytest.mark.asyncio
async def test_fetch_directory_reports_not_modified_until_a_file_changes(tmp_path: Path) -> None:
    article = tmp_path / "one.txt"
    article.write_text("A headline\nThe body.\n", "utf-8")
    state = _state(tmp_path)
    first = await fetch_directory(state)
    assert first.status is FetchStatus.OK and [d.title for d in first.drafts] == ["A headline"]
    state = reschedule(state, first, NOW)
    again = await fetch_directory(state)
    assert again.status is FetchStatus.NOT_MODIFIED and again.drafts == ()
    (tmp_path / "two.txt").write_text("Another headline\nMore.\n", "utf-8")
    st = article.stat()
    os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    changed = await fetch_directory(reschedule(state, again, NOW))
    assert changed.status is FetchStatus.OK and len(changed.drafts) == 2


@pytest.mark.asyncio
async def test_fetch_directory_on_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = await fetch_directory(_state(tmp_path / "missing"))
    assert result.status is FetchStatus.ERROR
    assert result.error and "There is no file or folder" in result.error
