"""Compiled watch rules: conditions, fact specs, tracking and examples, ready to evaluate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.domain.models import Severity
from bot.text.lexicon import Lexicon
from bot.text.types import DistanceStatus, Factuality


class ScopeKind(StrEnum):
    """The stretch of text a condition must hold in."""

    SENTENCE = "sentence"
    WINDOW = "window"
    LEAD = "lead"
    ARTICLE = "article"


@dataclass(frozen=True, slots=True)
class Scope:
    """A scope; `size` is the number of sentences of a window."""

    kind: ScopeKind
    size: int = 1

    @property
    def rank(self) -> tuple[int, int]:
        """Narrow to wide: sentence < window (by size) < lead < article."""
        order = {
            ScopeKind.SENTENCE: 0,
            ScopeKind.WINDOW: 1,
            ScopeKind.LEAD: 2,
            ScopeKind.ARTICLE: 3,
        }
        return (order[self.kind], self.size if self.kind is ScopeKind.WINDOW else 0)

    def __str__(self) -> str:
        return f"window of {self.size}" if self.kind is ScopeKind.WINDOW else self.kind.value


SENTENCE = Scope(ScopeKind.SENTENCE)
LEAD = Scope(ScopeKind.LEAD)
ARTICLE = Scope(ScopeKind.ARTICLE)


@dataclass(frozen=True, slots=True)
class LexRef:
    """A lexicon reference: a whole lexicon, one entry (`policy.loosen`), the entries with a
    tag (`places#border`) or those without it (`places#!capital`)."""

    lexicon: str
    entry: str | None = None
    tag: str | None = None
    without_tag: bool = False

    def __str__(self) -> str:
        if self.entry is not None:
            return f"{self.lexicon}.{self.entry}"
        if self.tag is not None:
            return f"{self.lexicon}#{'!' if self.without_tag else ''}{self.tag}"
        return self.lexicon

    def accepts(self, lexicon: Lexicon, entry: str) -> bool:
        """Whether `entry` of `lexicon` is one this reference names."""
        if lexicon.name != self.lexicon:
            return False
        if self.entry is not None:
            return entry == self.entry
        if self.tag is not None:
            return (
                lexicon.has(entry) and (self.tag in lexicon.entry(entry).tags) != self.without_tag
            )
        return True


@dataclass(frozen=True, slots=True)
class FactualityGate:
    """The factuality values a matched word may have."""

    allowed: frozenset[Factuality]

    def __str__(self) -> str:
        return "/".join(sorted(f.value for f in self.allowed))


@dataclass(eq=False, slots=True)
class Node:
    """A condition. Identity is the node itself, so it can key per-article caches."""

    line: int
    path: str  # where it sits in the file, e.g. "match.all[0]"
    scope: Scope | None = None
    name: str | None = None  # `as:`: facts can read the words this condition matched

    @property
    def label(self) -> str:
        """A short description for `explain` and `why`."""
        return type(self).__name__


@dataclass(eq=False, slots=True)
class AllNode(Node):
    children: tuple[Node, ...] = ()

    @property
    def label(self) -> str:
        return "all"


@dataclass(eq=False, slots=True)
class AnyNode(Node):
    children: tuple[Node, ...] = ()

    @property
    def label(self) -> str:
        return "any"


@dataclass(eq=False, slots=True)
class NotNode(Node):
    child: Node | None = None

    @property
    def label(self) -> str:
        return "not"


@dataclass(eq=False, slots=True)
class TermsNode(Node):
    terms: tuple[str, ...] = ()
    word_forms: bool = True
    compiled: Any = None  # an RE2 pattern matching any of the terms
    factuality: FactualityGate | None = None

    @property
    def label(self) -> str:
        words = ", ".join(self.terms[:4]) + (", …" if len(self.terms) > 4 else "")
        return f"terms [{words}]" + _gate(self.factuality)


@dataclass(eq=False, slots=True)
class LexiconNode(Node):
    refs: tuple[LexRef, ...] = ()
    factuality: FactualityGate | None = None

    @property
    def label(self) -> str:
        return "lexicon " + ", ".join(map(str, self.refs)) + _gate(self.factuality)


@dataclass(eq=False, slots=True)
class RegexNode(Node):
    pattern: str = ""
    compiled: Any = None
    case_sensitive: bool = False
    factuality: FactualityGate | None = None

    @property
    def label(self) -> str:
        return f"regex /{self.pattern}/" + _gate(self.factuality)


@dataclass(eq=False, slots=True)
class NearNode(Node):
    children: tuple[Node, ...] = ()
    within: int = 5

    @property
    def label(self) -> str:
        return f"near (within {self.within} words)"


@dataclass(eq=False, slots=True)
class QuoteNode(Node):
    speakers: tuple[LexRef, ...] = ()
    anonymous: bool | None = None
    terms: TermsNode | None = None
    regex: RegexNode | None = None

    @property
    def label(self) -> str:
        parts = []
        if self.speakers:
            parts.append("speaker " + ", ".join(map(str, self.speakers)))
        if self.anonymous is not None:
            parts.append("anonymous" if self.anonymous else "named")
        if self.terms is not None:
            parts.append(self.terms.label)
        if self.regex is not None:
            parts.append(self.regex.label)
        return "quote" + (f" ({'; '.join(parts)})" if parts else "")


@dataclass(frozen=True, slots=True)
class Bounds:
    """Numeric bounds: gt / gte / lt / lte."""

    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    def holds(self, x: float) -> bool:
        """Whether x lies within the bounds."""
        return not (
            (self.gt is not None and not x > self.gt)
            or (self.gte is not None and not x >= self.gte)
            or (self.lt is not None and not x < self.lt)
            or (self.lte is not None and not x <= self.lte)
        )

    def __str__(self) -> str:
        ops = (("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<="))
        return " ".join(f"{s} {getattr(self, k):g}" for k, s in ops if getattr(self, k) is not None)


@dataclass(eq=False, slots=True)
class DistanceNode(Node):
    statuses: frozenset[DistanceStatus] = frozenset()
    km: Bounds | None = None
    units: frozenset[str] = frozenset()
    factuality: FactualityGate | None = None

    @property
    def label(self) -> str:
        parts = []
        if self.statuses:
            parts.append("/".join(sorted(s.value for s in self.statuses)))
        if self.km is not None:
            parts.append(f"km {self.km}")
        if self.units:
            parts.append("unit " + "/".join(sorted(self.units)))
        return "distance" + (f" ({', '.join(parts)})" if parts else "") + _gate(self.factuality)


@dataclass(eq=False, slots=True)
class SourceNode(Node):
    patterns: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "source " + ", ".join(self.patterns)


@dataclass(eq=False, slots=True)
class DateNode(Node):
    since: datetime | None = None
    until: datetime | None = None  # exclusive

    @property
    def label(self) -> str:
        parts = []
        if self.since is not None:
            parts.append(f"since {self.since.isoformat()}")
        if self.until is not None:
            parts.append(f"before {self.until.isoformat()}")
        return "date " + " ".join(parts)


LEAF_TYPES = (TermsNode, LexiconNode, RegexNode, QuoteNode, DistanceNode)


def _gate(gate: FactualityGate | None) -> str:
    return f" [{gate}]" if gate is not None else ""


@dataclass(frozen=True, slots=True)
class FactSpec:
    """How one fact is read from a match (see schema.FACT_KINDS)."""

    name: str
    kind: str  # mention | cue | quote | distance | value | template
    ref: LexRef | None = None  # mention
    through: tuple[tuple[str, str], ...] = ()  # (lexicon, attr) pairs, mention
    attr: str | None = None  # mention
    where: tuple[str, ...] = ("evidence",)  # evidence | lead | article | an `as` name
    all: bool = False
    cues: tuple[tuple[LexRef | str, str], ...] = ()  # cue: a lexicon reference or an `as` name
    field: str = ""  # quote / distance field
    pick: str = "first"  # distance
    value: Any = None  # value
    template: str = ""  # template
    default: Any = None


@dataclass(frozen=True, slots=True)
class Track:
    """Announce only when the tracked value changes for its key."""

    key: str  # a template
    value: str | None  # a fact name; None tracks that the key was seen
    change: str  # any | increase | decrease | new


@dataclass(frozen=True, slots=True)
class Example:
    """One regression text of a rule."""

    text: str
    title: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    published: datetime | None = None
    line: int = 0


@dataclass(slots=True)
class Rule:
    """A validated, compiled watch rule."""

    id: str
    title: str
    match: Node
    file: str = ""
    line: int = 1
    severity: Severity = Severity.MEDIUM
    tags: tuple[str, ...] = ()
    description: str = ""
    message: str = ""
    enabled: bool = True
    scope: Scope = SENTENCE
    require: tuple[str, ...] = ()
    extract: tuple[FactSpec, ...] = ()
    track: Track | None = None
    realert: timedelta | None = None
    fires: tuple[Example, ...] = ()
    silent: tuple[Example, ...] = ()
