"""`why`: did a rule fire on a stored article, and why (not)? For rule authors and desks."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import NotFoundError


def find_article(app: Any, ref: str) -> Any:
    """A stored article by id (`42`, `#42`) or by URL.

    Raises:
        NotFoundError: no stored article matches.
    """
    ref = ref.strip()
    key = ref.lstrip("#")
    if key.isdigit():
        article = app.storage.articles.get(int(key))
        if article is not None:
            return article
    elif "://" in ref:
        from bot.domain.models import ArticleDraft

        probe = ArticleDraft(source="", title="", text="\0" + ref, url=ref)
        article = app.storage.articles.duplicate_of(probe)
        if article is not None:
            return article
    raise NotFoundError(f"No stored article is '{ref}'; use an id from `lookup` or its URL.")


def explain_article(app: Any, ref: str, rule_id: str | None = None) -> list[str]:
    """Lines saying, per rule, whether it holds on the article and which conditions did."""
    ruleset = app.rulebook.current
    if ruleset is None:
        return ["No rules are loaded; `status` says why."]
    article = find_article(app, ref)
    analysis = app.pipeline.analyse(article, ruleset.lexicons)
    rules = [ruleset.get(rule_id)] if rule_id else list(ruleset.rules)
    fired = {
        f.rule.id
        for f in ruleset.evaluate(analysis, source=article.source, published=article.published)
    }
    lines = [f"#{article.id} {article.title}"]
    for rule in rules:
        verdict = "fires" if rule.id in fired else "does not fire"
        lines.append(f"{rule.id} {verdict}:")
        lines += [
            "  " + line
            for line in ruleset.explain(
                rule.id, analysis, source=article.source, published=article.published
            )
        ]
    return lines
