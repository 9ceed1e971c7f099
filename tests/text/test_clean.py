"""Cleaning: HTML to text, generic page furniture, and the seed-file format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.text.clean import (
    Furniture,
    clean_article,
    html_to_text,
    looks_like_heading,
    split_seed_file,
)
from bot.text.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# -- html_to_text ---------------------------------------------------------------------------


def test_block_elements_become_paragraphs_and_inline_ones_do_not() -> None:
    markup = "<div><h2>Heading</h2><p>One <b>bold</b>\n  word.</p><p>Two.</p></div>"
    assert html_to_text(markup) == "Heading\n\nOne bold word.\n\nTwo."


def test_scripts_styles_nav_and_captions_are_dropped() -> None:
    markup = (
        "<nav><a href='/'>Home</a> <a>World</a></nav><style>p{color:red}</style>"
        "<p>Kept.</p><script>var x = '<p>no</p>';</script>"
        "<figure><img src=a.jpg><figcaption>A caption (Photo: X)</figcaption></figure>"
        "<aside>Related links</aside><p>Also kept.</p>"
    )
    assert html_to_text(markup) == "Kept.\n\nAlso kept."


def test_entities_are_decoded_and_spaces_normalised() -> None:
    markup = "<p>Fish&nbsp;&amp;&#160;chips &mdash; &#8220;quoted&#8221;&hellip;\u200b</p>"
    assert html_to_text(markup) == "Fish & chips — “quoted”…"


def test_line_breaks_and_list_items_keep_lines_apart() -> None:
    assert html_to_text("<p>a<br>b<br/>c</p><ul><li>x</li><li>y</li></ul>") == ("a\nb\nc\n\nx\n\ny")


def test_plain_text_keeps_its_lines_and_decodes_entities() -> None:
    assert html_to_text("First &amp; second.\n\n  Third   line.  ") == (
        "First & second.\n\nThird line."
    )


def test_unclosed_markup_does_not_crash() -> None:
    assert html_to_text("<p>open <b>bold <i>italic") == "open bold italic"


# -- clean_article: generic furniture ------------------------------------------------------


@pytest.mark.parametrize("switcher", ["ua en ru", "EN | FR | DE", "de · en", "uk / ru"])
def test_language_switcher_lines_are_dropped(switcher: str) -> None:
    text = f"{switcher}\nThe council met on Monday."
    assert clean_article(text) == "The council met on Monday."


@pytest.mark.parametrize("line", ["Go on", "No Way", "An ox"])
def test_short_mixed_case_lines_are_not_language_switchers(line: str) -> None:
    assert clean_article(f"{line}\nText.") == f"{line}\n\nText."


def test_repeated_title_with_caption_and_typoed_credit_is_dropped() -> None:
    title = "Germany widens limits on long-range deliveries"
    text = (
        f"{title}\n{title} The chancellor at a briefing (Foto: dpa)\n"
        "The chancellor announced the change on Monday."
    )
    assert clean_article(text, title=title) == "The chancellor announced the change on Monday."


def test_a_title_repeat_with_one_typo_still_matches() -> None:
    title = "Ministers agree new limits on the export of armoured vehicles to allies"
    typo = title.replace("armoured", "armored")
    assert clean_article(f"{typo}\nBody text.", title=title) == "Body text."


def test_a_sentence_that_starts_like_the_title_is_kept() -> None:
    title = "Ministers agree new export limits"
    text = f"{title} for armoured vehicles, officials said on Friday."
    assert clean_article(text, title=title) == text


def test_a_title_that_is_the_first_sentence_stays_in_the_body() -> None:
    lead = "The minister said the limits would stay in place."
    assert clean_article(f"{lead}\nMore text.", title=lead) == f"{lead}\n\nMore text."


@pytest.mark.parametrize("label", ["Read more", "Related", "ALSO READ:", "See also", "Read more »"])
def test_related_label_and_the_headline_after_it_are_dropped(label: str) -> None:
    text = f"First paragraph.\n{label}\nSome Other Story Nobody Asked For\nSecond paragraph."
    assert clean_article(text) == "First paragraph.\n\nSecond paragraph."


def test_related_label_followed_by_a_paragraph_keeps_the_paragraph() -> None:
    text = "First.\nRead more\nThe talks resumed on Tuesday, the ministry said."
    assert clean_article(text) == "First.\n\nThe talks resumed on Tuesday, the ministry said."


def test_related_headline_on_the_same_line_is_dropped() -> None:
    assert clean_article("One.\nRelated: A Story About Something Else\nTwo.") == "One.\n\nTwo."


@pytest.mark.parametrize(
    "fragment",
    [
        "(RELATED: ‘Big Money’: Firms Rush In (Again) After Orders)",
        "[Related: Another headline]",
        "(Read more: A third one)",
    ],
)
def test_inline_related_fragments_are_removed(fragment: str) -> None:
    text = f"The war widened this month. {fragment}\nNext paragraph."
    assert clean_article(text) == "The war widened this month.\n\nNext paragraph."


def test_noise_lines_and_lone_credits_are_dropped() -> None:
    text = "Advertisement\nBody one.\n(Photo by A. Person/Agency)\nContinue reading…\nBody two."
    assert clean_article(text) == "Body one.\n\nBody two."


def test_section_headings_stay_as_their_own_paragraph() -> None:
    text = "Intro sentence.\nWhat happens next\nThe next step is a vote."
    cleaned = clean_article(text)
    assert _paragraphs(cleaned) == [
        "Intro sentence.",
        "What happens next",
        "The next step is a vote.",
    ]
    # The heading is never glued to the sentence after it.
    assert [s.text for s in split_sentences(cleaned)] == _paragraphs(cleaned)


def test_other_languages_can_bring_their_own_furniture_labels() -> None:
    german = Furniture(related=("mehr zum thema",), noise=("anzeige",))
    text = "Anzeige\nErster Absatz.\nMehr zum Thema\nEine Andere Geschichte\nZweiter Absatz."
    assert clean_article(text, furniture=german) == "Erster Absatz.\n\nZweiter Absatz."


def test_cleaning_is_idempotent() -> None:
    title = "A headline"
    text = "ua en ru\nA headline\nA headline (Photo: X)\nBody.\nRead more\nOther Story\nEnd."
    once = clean_article(text, title=title)
    assert clean_article(once, title=title) == once


def test_headline_detection() -> None:
    assert looks_like_heading("Biden clarifies his stance")
    assert not looks_like_heading("He spoke.")
    assert not looks_like_heading("He said:")
    assert not looks_like_heading(" ".join(["word"] * 26))
    assert not looks_like_heading("2024")


# -- split_seed_file ------------------------------------------------------------------------


def test_date_prefix_is_parsed_and_removed() -> None:
    title, text, day = split_seed_file(" date 2024-07-11 The minister spoke. She left.\nMore.")
    assert day == date(2024, 7, 11)
    assert title == "The minister spoke."
    assert text == "The minister spoke. She left.\n\nMore."


def test_a_headline_first_line_is_the_title_and_leaves_the_body() -> None:
    title, text, day = split_seed_file("A short headline\n\nBody sentence one. Two.\n")
    assert (title, text, day) == ("A short headline", "Body sentence one. Two.", None)


def test_first_sentence_title_skips_initials_and_abbreviations() -> None:
    title, _, _ = split_seed_file("Gen. A. B. Smith met U.S. envoys in D.C. on Monday. Then more.")
    assert title == "Gen. A. B. Smith met U.S. envoys in D.C. on Monday."


def test_a_bad_date_prefix_gives_no_date() -> None:
    _, text, day = split_seed_file(" date 2024-13-45 Text here.")
    assert day is None
    assert text == "Text here."


def test_empty_file() -> None:
    assert split_seed_file("\n\n") == ("", "", None)


@pytest.mark.parametrize(
    ("prefix", "day"),
    [
        ("000", date(2024, 7, 11)),
        ("001", None),
        ("002", None),
        ("003", None),
        ("004", date(2024, 8, 27)),
    ],
)
def test_seed_dates(prefix: str, day: date | None) -> None:
    assert split_seed_file(_seed(prefix))[2] == day


def test_seed_001_title_is_its_first_line_and_related_link_is_gone() -> None:
    raw = _seed("001")
    first_line = raw.split("\n", 1)[0]
    title, text, _ = split_seed_file(raw)
    assert title == first_line.strip()
    assert first_line.strip() not in text
    assert "Read more" not in text
    # The related headline is the line right after "Read more" in the raw file.
    raw_lines = [ln.strip() for ln in raw.splitlines()]
    related = raw_lines[raw_lines.index("Read more") + 1]
    assert related and related not in text
    # The paragraph after the related headline survives.
    after = raw_lines[raw_lines.index("Read more") + 2]
    assert after in _paragraphs(text)


def test_seed_003_furniture_is_gone_and_headings_stay() -> None:
    title, text, _ = split_seed_file(_seed("003"))
    assert title == "Biden clarifies stance on Ukraine using American weapons against Moscow"
    assert "ua en ru" not in text
    assert "(Phoro" not in text and "Getty Images" not in text
    assert title not in text
    headings = [p for p in _paragraphs(text) if looks_like_heading(p)]
    assert len(headings) == 3  # the three section headings, each a paragraph of its own
    assert text.startswith("President Joe Biden remains firm")


def test_seed_004_inline_related_fragment_is_gone() -> None:
    title, text, _ = split_seed_file(_seed("004"))
    assert "(RELATED:" not in text and "Worth Billions" not in text
    assert "broaden the scope of the war." in text
    assert text.startswith(title)


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_seeds_opening_with_a_sentence_use_it_as_title_and_keep_it(prefix: str) -> None:
    title, text, _ = split_seed_file(_seed(prefix))
    assert title.endswith(".")
    assert text.startswith(title)
    assert split_sentences(text)[0].text == title


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_bodies_are_clean_and_idempotent(prefix: str) -> None:
    title, text, _ = split_seed_file(_seed(prefix))
    assert "\n\n\n" not in text and not text.startswith(" date")
    assert all(p == p.strip() and p for p in _paragraphs(text))
    assert clean_article(text, title=title) == text


def test_an_unclosed_head_does_not_swallow_the_body() -> None:
    markup = "<html><head><title>Page</title><meta charset=utf-8><body><p>Body text.</p>"
    assert html_to_text(markup) == "Body text."


def test_a_page_wrapped_in_a_form_keeps_its_text() -> None:
    assert html_to_text("<form action=/x><div><p>Article text.</p></div></form>") == (
        "Article text."
    )


def test_bylines_and_timestamps_are_dropped_before_the_title_is_chosen() -> None:
    raw = (
        "By Jane Doe and John Roe, Agency\nUpdated 12:34 GMT, 3 March 2025\n"
        "Allies weigh new limits\nAllies weigh new limits Officials in a hall (Photo credit: AP)\n"
        "Allies are weighing new limits, diplomats said.\n"
    )
    title, text, _ = split_seed_file(raw)
    assert title == "Allies weigh new limits"
    assert text == "Allies are weighing new limits, diplomats said."


@pytest.mark.parametrize("line", ["By the numbers", "Updated guidance for members", "By Friday."])
def test_lines_that_only_look_like_bylines_or_timestamps_stay(line: str) -> None:
    assert clean_article(f"{line}\nText.") == f"{line}\n\nText."
