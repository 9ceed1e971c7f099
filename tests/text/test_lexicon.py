"""Lexicons: matching, resolving, and the errors a bad lexicon file gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.errors import RuleError
from bot.text.lexicon import Lexicon, LexiconEntry, Lexicons, load_lexicon, load_lexicons
from tests.text.seedtext import expected

WATCHLIST = {
    "Joe Biden",
    "Volodymyr Zelensky",
    "Vladimir Putin",
    "Olaf Scholz",
    "John Kirby",
    "Antony Blinken",
    "Emmanuel Macron",
    "Jens Stoltenberg",
    "Lloyd Austin",
    "Jake Sullivan",
    "Keir Starmer",
    "Dmitry Peskov",
    "Sergey Lavrov",
    "Matthew Miller",
}


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def texts(lex: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry) for m in lex.find(text)]


# --- matching ---------------------------------------------------------------------------


def test_case_insensitive_word_bounded_longest_first() -> None:
    lex = Lexicon(
        "people",
        "",
        [
            LexiconEntry("Joe Biden", ("Biden",)),
            LexiconEntry("Volodymyr Zelensky", ("Zelensky", "Vladimir Zelensky")),
            LexiconEntry("Vladimir Putin", ("Putin",)),
        ],
    )
    text = "BIDEN met Vladimir Zelensky; Bidenomics is not Biden’s. Vladimir Putin."
    assert texts(lex, text) == [
        ("BIDEN", "Joe Biden"),
        ("Vladimir Zelensky", "Volodymyr Zelensky"),
        ("Biden", "Joe Biden"),
        ("Vladimir Putin", "Vladimir Putin"),
    ]


def test_unicode_letters_are_word_characters() -> None:
    lex = Lexicon("x", "", [LexiconEntry("Kyiv", ("Kiev",))])
    assert texts(lex, "Kievé Kiev") == [("Kiev", "Kyiv")]


def test_capitals_only_acronyms() -> None:
    lex = Lexicon("g", "", [LexiconEntry("US", ("U.S.", "United States"))])
    found = texts(lex, "Let us see: the US, the U.S.-made arms and the United States.")
    assert found == [("US", "US"), ("U.S.", "US"), ("United States", "US")]


def test_word_forms_and_categories() -> None:
    lex = Lexicon(
        "policy",
        "",
        [
            LexiconEntry("loosen", ("lift", "ease")),
            LexiconEntry("tighten", ("ban",)),
            LexiconEntry("restriction", ("ban", "restriction")),
        ],
        word_forms=True,
        kind="cues",
    )
    hits = lex.find("They lifted the ban and eased restrictions; the liftoff was banned.")
    got = [(h.entry, h.alias) for h in hits]
    assert got == [
        ("loosen", "lift"),
        ("tighten", "ban"),
        ("restriction", "ban"),
        ("loosen", "ease"),
        ("restriction", "restriction"),
        ("tighten", "ban"),
        ("restriction", "ban"),
    ]
    # In a cue lexicon the category name itself is not a cue.
    assert lex.find("loosen tighten") == []


def test_patterns_are_matched() -> None:
    lex = Lexicon(
        "f",
        "",
        [LexiconEntry("negated", ("never",), patterns=(r"\bno\s+plans?\s+to\b",))],
        kind="cues",
        word_forms=True,
    )
    assert [h.entry for h in lex.find("It has No plans to act and never will.")] == [
        "negated",
        "negated",
    ]


def test_exclude_phrases_hide_a_mention() -> None:
    lex = Lexicon("g", "", [LexiconEntry("US", ("Washington",))], exclude=("Washington Post",))
    assert texts(lex, "The Washington Post said Washington agreed.") == [("Washington", "US")]
    assert lex.resolve("Washington Post") is None


def test_find_each_lets_categories_overlap() -> None:
    lex = Lexicon(
        "f",
        "",
        [LexiconEntry("boundary", ("even after",)), LexiconEntry("background", ("after he",))],
        kind="cues",
    )
    assert len(lex.find("even after he left")) == 1
    assert {h.entry for h in lex.find_each("even after he left")} == {"boundary", "background"}


# --- the shipped lexicons ---------------------------------------------------------------


def test_shipped_lexicons_load(lexicons: Lexicons) -> None:
    for name in (
        "people",
        "governments",
        "places",
        "weapons",
        "factuality",
        "distance",
        "speech",
        "policy",
    ):
        assert name in lexicons
        assert lexicons.get(name).entries


def test_watchlist(lexicons: Lexicons) -> None:
    assert lexicons.get("people").with_tag("watchlist") == WATCHLIST


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Zelenskiy", "Volodymyr Zelensky"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Vladimir Zelensky", "Volodymyr Zelensky"),
        ("Mr. Biden", "Joe Biden"),
        ("President Joe Biden", "Joe Biden"),
        ("German Chancellor Olaf Scholz", "Olaf Scholz"),
        ("Secretary of State Antony Blinken", "Antony Blinken"),
        ("Dmitri Peskov", "Dmitry Peskov"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Ms. Jean-Pierre", "Karine Jean-Pierre"),
        ("Ursula von der Leyen", "Ursula von der Leyen"),
    ],
)
def test_people_resolve(lexicons: Lexicons, written: str, canonical: str) -> None:
    assert lexicons.get("people").resolve(written) == canonical


def test_every_labelled_speaker_resolves_to_itself(lexicons: Lexicons) -> None:
    people = lexicons.get("people")
    speakers = {q["speaker"] for qs in expected()["quotes"].values() for q in qs if q["speaker"]}
    for speaker in speakers:
        assert people.resolve(speaker) == speaker
    for surname in expected()["rules"]["official-statement"]["by_speaker"]:
        assert people.resolve(surname) in WATCHLIST


def test_places_and_governments_resolve(lexicons: Lexicons) -> None:
    places = lexicons.get("places")
    assert places.resolve("Kharkov") == places.resolve("Kharkiv") == "Kharkiv"
    assert places.resolve("Kiev") == "Kyiv"
    governments = lexicons.get("governments")
    assert governments.resolve("the White House") == "US"
    assert governments.resolve("Britain") == "UK"
    assert governments.resolve("the Kremlin") == "Russia"
    assert governments.resolve("us") is None


def test_people_attrs_name_a_government(lexicons: Lexicons) -> None:
    governments = lexicons.get("governments")
    for entry in lexicons.get("people").entries:
        assert governments.has(entry.attrs["government"]), entry.name
        assert entry.attrs.get("role")


def test_policy_categories(lexicons: Lexicons) -> None:
    policy = lexicons.get("policy")
    text = "Washington eased the curbs, then reimposed a ban."
    cats = {(text[h.start : h.end], h.entry) for h in policy.find(text)}
    assert ("eased", "loosen") in cats
    assert ("curbs", "restriction") in cats
    assert ("ban", "tighten") in cats and ("ban", "restriction") in cats


def test_unknown_lexicon_and_entry(lexicons: Lexicons) -> None:
    with pytest.raises(RuleError, match="unknown lexicon 'nope'"):
        lexicons.get("nope")
    with pytest.raises(RuleError, match="no entry"):
        lexicons.get("people").entry("Nobody")
    assert lexicons.get("people").entry("Joe Biden").attrs["government"] == "US"


# --- load errors ------------------------------------------------------------------------

GOOD = """\
lexicon: people
description: test
entries:
  - name: Joe Biden
    aliases: [Biden]
"""


def test_a_good_file_loads(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, "people", GOOD))
    assert lex.resolve("Biden") == "Joe Biden"


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (GOOD.replace("    aliases: [Biden]", "    alias: [Biden]"), 5, "unknown key 'alias'"),
        (GOOD + "colour: red\n", 6, "unknown key 'colour'"),
        (GOOD.replace("[Biden]", "Biden"), 5, "must be a list"),
        (GOOD + "  - name: Other\n    aliases: [Biden]\n", 7, "also belongs to entry"),
        (GOOD + "  - name: Joe Biden\n", 6, "duplicate entry name"),
        (GOOD.replace("lexicon: people", "lexicon: persons"), 1, "must match its file name"),
        (GOOD.replace("entries:\n", "entries: []\nx:\n"), 4, "unknown key 'x'"),
        (GOOD + "  - name: X\n    patterns: ['(unclosed']\n", 7, "not a valid RE2"),
        (GOOD + "  - name: X\n    patterns: ['(?<=x)y']\n", 7, "not a valid RE2"),
        (GOOD + "  - name: X\n    aliases: [no]\n", 7, "quote words"),
        (GOOD + "  - name: X\n    attrs: {a: [1]}\n", 7, "'attrs' values"),
        (GOOD + "  - just text\n", 6, "must be a mapping"),
        ("- a list\n", 1, "expected a mapping"),
        (GOOD.replace("aliases: [Biden]", "aliases: [Biden"), 5, "invalid YAML"),
    ],
)
def test_errors_name_file_line_lexicon_and_key(
    tmp_path: Path, body: str, line: int, fragment: str
) -> None:
    path = write(tmp_path, "people", body)
    with pytest.raises(RuleError) as err:
        load_lexicon(path)
    message = str(err.value)
    assert fragment in message
    assert err.value.file == str(path)
    assert err.value.line == line, message
    assert message.startswith(f"{path}:{line}: ")
    if "invalid YAML" not in fragment and "expected a mapping" not in fragment:
        assert "lexicon 'pe" in message


def test_error_names_the_key_path(tmp_path: Path) -> None:
    path = write(tmp_path, "people", GOOD + "  - name: X\n    patterns: ['(bad']\n")
    with pytest.raises(RuleError) as err:
        load_lexicon(path)
    assert err.value.key == "entries[1].patterns[0]"
    assert "entry 'X'" in str(err.value)


def test_directory_loading(tmp_path: Path) -> None:
    write(tmp_path, "people", GOOD)
    lexicons = load_lexicons(tmp_path)
    assert list(lexicons) == ["people"] and len(lexicons) == 1
    with pytest.raises(RuleError, match="does not exist"):
        load_lexicons(tmp_path / "missing")


def test_readme_example_is_a_valid_lexicon(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "rules" / "lexicons" / "README.md").read_text(
        encoding="utf-8"
    )
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    lex = load_lexicon(write(tmp_path, "people", block))
    assert lex.resolve("Zelenskiy") == "Volodymyr Zelensky"
    assert lex.find("The Washington Post quoted President Zelenskyy.")[0].entry == (
        "Volodymyr Zelensky"
    )
