"""A throw-away working directory with the project's seeds, rules and a sources file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """cwd = a copy of seeds/ and rules/, a sources.yaml with only the seeds, no chat env."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: seeds\n    kind: directory\n    path: seeds\n    interval: 60s\n"
    )
    for var in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "DISCORD_TOKEN",
        "REDLINE_DB",
        "REDLINE_DATA_DIR",
        "REDLINE_RULES_DIR",
        "REDLINE_SOURCES_FILE",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
