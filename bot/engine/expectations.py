"""Hold rule results to a ground-truth file such as seeds/expected.yaml.

The file says, per rule, which articles `must` match (with facts), which `must_not`, and
for speaker rules `by_speaker`: which articles must or must not quote each person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.domain.errors import RuleError
from bot.engine.examples import same_fact
from bot.engine.templates import format_value

MENTIONS = "_mentions"
SPEAKERS = "speakers"


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation and whether the results meet it."""

    rule_id: str
    subject: str  # e.g. "002_….txt must", "Biden must 000"
    passed: bool
    detail: str


# file ref -> rule id -> {"facts": {...}, "evidence": [sentences], "new": bool}
Results = dict[str, dict[str, dict[str, Any]]]


def load_expected(path: Path) -> dict[str, Any]:
    """Read an expectations file.

    Raises:
        RuleError: the file is missing or is not a YAML mapping with 'rules'.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise RuleError(f"cannot read expectations: {e}", file=str(path)) from e
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise RuleError("expected a mapping with a 'rules' section", file=str(path))
    return data


def _find(results: Results, name: str) -> str | None:
    """The result key of a file named in the expectations (full name or name prefix)."""
    if name in results:
        return name
    for ref in results:
        base = Path(ref).name
        if base == name or base.startswith(name):
            return ref
    return None


def _fact_ok(key: str, want: Any, record: dict[str, Any]) -> tuple[bool, str]:
    facts = record.get("facts", {})
    if key.endswith(MENTIONS):
        fact = key[: -len(MENTIONS)]
        haystack = [format_value(facts.get(fact)), *record.get("evidence", [])]
        ok = any(str(want).casefold() in h.casefold() for h in haystack)
        return ok, f"{key}: '{want}' not in fact '{fact}' or the evidence"
    got = facts.get(key)
    return same_fact(want, got), f"{key}: expected {want!r}, got {got!r}"


def _speaks(record: dict[str, Any] | None, surname: str) -> bool:
    if record is None:
        return False
    speakers = record.get("facts", {}).get(SPEAKERS) or []
    want = surname.casefold()
    return any(
        str(s).casefold() == want or str(s).casefold().endswith(" " + want) for s in speakers
    )


def check_rule(rule_id: str, spec: dict[str, Any], results: Results) -> list[Check]:
    """Every must / must_not / by_speaker expectation of one rule."""
    out: list[Check] = []

    def record(name: str) -> tuple[str | None, dict[str, Any] | None]:
        ref = _find(results, name)
        return ref, (results.get(ref, {}).get(rule_id) if ref is not None else None)

    for name, facts in (spec.get("must") or {}).items():
        ref, rec = record(name)
        if ref is None:
            out.append(Check(rule_id, f"{name} must", False, "the article was not run"))
            continue
        if rec is None:
            out.append(Check(rule_id, f"{name} must", False, "the rule stayed silent"))
            continue
        problems = [
            why for ok, why in (_fact_ok(k, v, rec) for k, v in (facts or {}).items()) if not ok
        ]
        out.append(Check(rule_id, f"{name} must", not problems, "; ".join(problems) or "ok"))
    for name in spec.get("must_not") or []:
        ref, rec = record(name)
        if ref is None:
            out.append(Check(rule_id, f"{name} must not", False, "the article was not run"))
            continue
        detail = "ok" if rec is None else f"the rule fired: {format_value(rec.get('facts'))}"
        out.append(Check(rule_id, f"{name} must not", rec is None, detail))
    for surname, sides in (spec.get("by_speaker") or {}).items():
        for side in ("must", "must_not"):
            for prefix in (sides or {}).get(side) or []:
                ref, rec = record(str(prefix))
                subject = f"{surname} {side.replace('_', ' ')} {prefix}"
                if ref is None:
                    out.append(Check(rule_id, subject, False, "the article was not run"))
                    continue
                quoted = _speaks(rec, surname)
                ok = quoted if side == "must" else not quoted
                got = (rec or {}).get("facts", {}).get(SPEAKERS) or []
                out.append(
                    Check(
                        rule_id,
                        subject,
                        ok,
                        "ok" if ok else f"speakers: {format_value(got) or 'none'}",
                    )
                )
    return out


def check_expected(expected: dict[str, Any], results: Results, rule_ids: set[str]) -> list[Check]:
    """Every expectation of every rule in the file; a rule that is not loaded fails."""
    out: list[Check] = []
    for rule_id, spec in (expected.get("rules") or {}).items():
        if rule_id not in rule_ids:
            out.append(Check(rule_id, "rule", False, "no loaded rule has this id"))
            continue
        out.extend(check_rule(rule_id, spec or {}, results))
    return out
