"""Load a rules directory: every rule file and lexicon, reporting ALL errors at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.errors import RuleError
from bot.engine.issues import Issues
from bot.engine.model import Rule
from bot.engine.rulefile import RuleParser
from bot.engine.ruleset import RuleSet
from bot.text.lexicon import Lexicon, Lexicons, load_lexicon
from bot.text.yamlsource import load_yaml_text, load_yaml_with_lines

LEXICON_DIR = "lexicons"


class RuleSetError(RuleError):
    """A rule set failed validation; `errors` holds every problem found, each with file:line."""

    def __init__(self, errors: list[RuleError]) -> None:
        self.errors = list(errors)
        first = str(errors[0]) if errors else "no rules"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")


@dataclass(slots=True)
class LoadReport:
    """What loading a directory found: valid rules and lexicons, and every error."""

    rules: list[Rule] = field(default_factory=list)
    lexicons: Lexicons = field(default_factory=Lexicons)
    errors: list[RuleError] = field(default_factory=list)


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a directory (YAML files directly in it), sorted."""
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_lexicon_dir(directory: Path) -> tuple[Lexicons, list[RuleError]]:
    """Every lexicon file in `directory`, and every error (not only the first)."""
    found: dict[str, Lexicon] = {}
    errors: list[RuleError] = []
    if not directory.is_dir():
        return Lexicons(), errors
    for path in rule_files(directory):
        try:
            lex = load_lexicon(path)
        except RuleError as e:
            errors.append(e)
            continue
        if lex.name in found:
            errors.append(
                RuleError(
                    f"lexicon '{lex.name}' is defined twice (also in {found[lex.name].file})",
                    file=str(path),
                    line=1,
                    key="lexicon",
                )
            )
            continue
        found[lex.name] = lex
    return Lexicons(found), errors


def parse_rule_text(
    text: str, name: str, lexicons: Lexicons
) -> tuple[Rule | None, list[RuleError]]:
    """Validate the YAML text of one rule file against `lexicons`."""
    try:
        data, lines = load_yaml_text(text, name)
    except RuleError as e:
        return None, [e]
    issues = Issues(name, lines)
    rule = RuleParser(data, issues, lexicons).build()
    return rule, issues.errors


def parse_rule_file(path: Path, lexicons: Lexicons) -> tuple[Rule | None, list[RuleError]]:
    """Validate one rule file (at most 1 MB, no alias bombs) against `lexicons`."""
    try:
        data, lines = load_yaml_with_lines(path)
    except RuleError as e:
        return None, [e]
    issues = Issues(str(path), lines)
    rule = RuleParser(data, issues, lexicons).build()
    return rule, issues.errors


def load_directory(directory: Path, lexicons: Lexicons | None = None) -> LoadReport:
    """Validate every rule file in `directory` (lexicons from its `lexicons/` folder)."""
    report = LoadReport()
    if not directory.is_dir():
        report.errors.append(RuleError("rules directory does not exist", file=str(directory)))
        return report
    if lexicons is None:
        lexicons, lex_errors = load_lexicon_dir(directory / LEXICON_DIR)
        report.errors.extend(lex_errors)
    report.lexicons = lexicons
    seen: dict[str, Rule] = {}
    for path in rule_files(directory):
        rule, errors = parse_rule_file(path, lexicons)
        report.errors.extend(errors)
        if rule is None:
            continue
        if rule.id in seen:
            report.errors.append(
                RuleError(
                    f"rule id '{rule.id}' is already used by {seen[rule.id].file}",
                    file=str(path),
                    line=rule.line,
                    rule=rule.id,
                    key="id",
                )
            )
            continue
        seen[rule.id] = rule
        report.rules.append(rule)
    return report


def load_ruleset(directory: Path) -> RuleSet:
    """Load and compile the rule set in `directory`.

    Raises:
        RuleSetError: any rule or lexicon is invalid; `.errors` lists every problem.
    """
    report = load_directory(directory)
    if report.errors:
        raise RuleSetError(report.errors)
    return RuleSet(report.rules, report.lexicons, directory=directory)
