"""Regex sources for terms with their English inflections ("lift" -> lifts/lifted/lifting)."""

from __future__ import annotations

import re

# Short grammatical words are never inflected: "no plans to" must not become "nos plan to".
_FIXED_WORDS = frozenset(
    "a an and as at be by for from in into is it its no nor not of off on or over so the "
    "than that their them then these this those to too under up upon us was we were with "
    "she her hers him his he they you your our i me my who whom whose which what".split()
)

# Irregular English verb forms (morphology, not domain vocabulary).
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "bar": ("barred", "barring"),
    "begin": ("began", "begun"),
    "bring": ("brought",),
    "choose": ("chose", "chosen"),
    "draw": ("drew", "drawn"),
    "forbid": ("forbade", "forbidden"),
    "give": ("gave", "given"),
    "greenlight": ("greenlit",),
    "hold": ("held",),
    "keep": ("kept",),
    "lay": ("laid",),
    "lead": ("led",),
    "let": ("lets", "letting"),
    "make": ("made",),
    "put": ("puts", "putting"),
    "rise": ("rose", "risen"),
    "say": ("said",),
    "see": ("saw", "seen"),
    "seek": ("sought",),
    "set": ("sets", "setting"),
    "speak": ("spoke", "spoken"),
    "stand": ("stood",),
    "strike": ("struck", "stricken"),
    "take": ("took", "taken"),
    "tell": ("told",),
    "think": ("thought",),
    "withdraw": ("withdrew", "withdrawn"),
    "withhold": ("withheld",),
    "write": ("wrote", "written"),
}

_VOWELS = "aeiou"


def _singular(word: str) -> str | None:
    """The singular of a plural written in a lexicon ("restrictions"), so both forms match."""
    if len(word) >= 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 5 and word.endswith("s") and word[-2] not in "sui'":
        return word[:-1]
    return None


def _alternatives(word: str) -> str:
    """The regex for one lowercase word and its inflected forms."""
    if len(word) <= 2 or word in _FIXED_WORDS or not word.isalpha() or not word.isascii():
        return re.escape(word)
    single = _singular(word)
    if single is not None and single not in _FIXED_WORDS:
        return f"(?:{_alternatives(single)}|{re.escape(word)})"
    forms: str
    if word.endswith("ee"):
        forms = f"{word}(?:s|d|ing)?"
    elif len(word) > 4 and word[-3:] in ("ize", "ise"):
        # American and British spellings are the same word: authorize = authorise.
        forms = f"{word[:-3]}i[sz](?:e|es|ed|ing)"
    elif word.endswith("e"):
        forms = f"{word[:-1]}(?:e|es|ed|ing)"
    elif word.endswith("y") and word[-2] not in _VOWELS:
        forms = f"{word[:-1]}(?:y|ies|ied|ying)"
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms = f"{word}(?:es|ed|ing)?"
    elif word[-1] not in _VOWELS + "wy" and word[-2] in _VOWELS and word[-3:-2] not in _VOWELS:
        # A final consonant after one short vowel may double: ban -> banned, permit -> permitted.
        last = word[-1]
        forms = f"{word}(?:s|{last}?ed|{last}?ing)?"
    else:
        forms = f"{word}(?:s|ed|ing)?"
    extra = _IRREGULAR.get(word)
    if extra:
        forms = "(?:" + forms + "|" + "|".join(extra) + ")"
    return forms


def literal_pattern(term: str) -> str:
    """A regex source for a term as written: any run of spaces matches any whitespace."""
    words = term.split()
    return r"\s+".join(_literal_word(w) for w in words)


def _literal_word(word: str) -> str:
    parts = [re.escape(p) for p in word.split("-")]
    joined = r"[-\s]?".join(parts) if len(parts) > 1 and all(parts) else re.escape(word)
    # Straight and curly apostrophes are the same character to a reader.
    return joined.replace("'", "['’]").replace("’", "['’]").replace("['['’]]", "['’]")


def word_form_pattern(term: str) -> str:
    """A regex source matching `term` with English inflections on each word, at word bounds.

    "lift" matches lift/lifts/lifted/lifting but not "liftoff"; "authorize" also matches the
    British "authorised". Words of a multi-word term are separated by any whitespace. The
    source is valid for both Python `re` and RE2.
    """
    out: list[str] = []
    for word in term.split():
        parts = word.split("-")
        if len(parts) > 1 and all(parts):
            head = r"[-\s]?".join(_literal_word(p) for p in parts[:-1])
            out.append(head + r"[-\s]?" + _word(parts[-1]))
        else:
            out.append(_word(word))
    body = r"\s+".join(out)
    start = r"\b" if term[:1].isalnum() else ""
    end = r"\b" if term[-1:].isalnum() else ""
    return f"{start}(?:{body}){end}"


def _word(word: str) -> str:
    lower = word.lower()
    if lower.isalpha() and lower.isascii():
        return _alternatives(lower)
    return _literal_word(word)
