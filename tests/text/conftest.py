"""Shared fixtures for the analysis tests: the shipped lexicons, loaded once."""

from __future__ import annotations

import pytest

from bot.text.lexicon import Lexicons, load_lexicons
from tests.text.seedtext import LEXICONS


@pytest.fixture(scope="session")
def lexicons() -> Lexicons:
    """The lexicons shipped in rules/lexicons."""
    return load_lexicons(LEXICONS)
