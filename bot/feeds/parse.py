"""Feed bodies to ArticleDrafts: RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed via json.

feedparser is imported here and nowhere else. Entry HTML goes through the same cleaning as
every other article, links are made absolute against the feed URL, dates become UTC.
"""

from __future__ import annotations

import calendar
import json
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from bot.domain.errors import ParseError
from bot.domain.models import ArticleDraft
from bot.feeds.urls import display_host
from bot.text.clean import clean_article, first_sentence, html_to_text, normalise_text

log = logging.getLogger(__name__)

# Only these response headers reach feedparser: the charset matters, but Content-Location
# would make it resolve bare guids against the URL, so ids would change with the host/port.
_PASSED_HEADERS = ("content-type", "content-language")
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.S)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_MAX_TITLE = 200


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _refuse_entities(body: bytes, host: str) -> None:
    """Refuse documents that declare XML entities (billion laughs, external entities).

    Feeds never need their own entities; an unescaped `<!ENTITY` outside CDATA can only be a
    DTD declaration. NUL bytes are removed first so UTF-16/32 bodies are checked as well.
    """
    probe = _CDATA.sub(b"", body.replace(b"\x00", b""))
    if _ENTITY_DECL.search(probe):
        raise ParseError(
            f"The feed at {host} declares XML entities, which are refused as a possible XML bomb."
        )


def _is_json(body: bytes, content_type: str) -> bool:
    if "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _absolute(base: str, link: Any) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    url = urljoin(base, link.strip())
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def _title_text(value: str, html: bool) -> str:
    text = html_to_text(value) if html else normalise_text(value)
    return " ".join(text.split())


def _fallback_title(text: str) -> str:
    sentence = first_sentence(text.split("\n", 1)[0]) if text else ""
    if len(sentence) <= _MAX_TITLE:
        return sentence
    return sentence[:_MAX_TITLE].rsplit(" ", 1)[0] + "…"


def _draft(
    *,
    source: str,
    title: str,
    body: str,
    url: str | None,
    guid: Any,
    published: datetime | None,
) -> ArticleDraft | None:
    title = title or _fallback_title(body)
    if not title and not body:
        return None
    text = clean_article(body, title=title)
    gid = str(guid).strip() if guid not in (None, "") else None
    return ArticleDraft(
        source=source, title=title, text=text, url=url, published=published, guid=gid or None
    )


# -- RSS / Atom ----------------------------------------------------------------------------


def _struct_to_utc(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None  # a date feedparser parsed but that no datetime can hold


def _entry_body(entry: Mapping[str, Any]) -> str:
    """The longest content (content:encoded, atom:content), else the summary, as text."""
    candidates: list[Mapping[str, Any]] = [
        c for c in entry.get("content") or [] if isinstance(c, Mapping)
    ]
    summary = entry.get("summary_detail")
    if isinstance(summary, Mapping) and summary.get("value"):
        candidates.append(summary)
    elif entry.get("summary"):
        candidates.append({"type": "text/html", "value": entry["summary"]})
    best = ""
    for c in candidates:
        value = str(c.get("value") or "")
        kind = str(c.get("type") or "text/html").lower()
        text = html_to_text(value) if kind in _HTML_TYPES else normalise_text(value)
        if len(text) > len(best):
            best = text
    return best


def _entry_title(entry: Mapping[str, Any]) -> str:
    detail = entry.get("title_detail")
    kind = str(detail.get("type", "")) if isinstance(detail, Mapping) else ""
    return _title_text(str(entry.get("title") or ""), kind.lower() in _HTML_TYPES)


def _parse_xml(
    body: bytes, *, url: str, headers: Mapping[str, str], source: str
) -> list[ArticleDraft]:
    host = display_host(url)
    _refuse_entities(body, host)
    passed = {k: v for k in _PASSED_HEADERS if (v := _header(headers, k))}
    try:
        # No sanitising: the HTML is never shown, only turned into text by html_to_text,
        # and the sanitiser would keep the text of elements (nav, aside) that we drop.
        parsed = feedparser.parse(body, response_headers=passed, sanitize_html=False)
    except Exception as e:  # feedparser is meant never to raise; wrap it if it does
        raise ParseError(f"The feed at {host} could not be parsed: {e}.") from e
    entries = list(parsed.get("entries") or [])
    if not entries:
        if not parsed.get("version"):
            raise ParseError(f"The document at {host} is not an RSS, Atom or JSON feed.")
        if parsed.get("bozo"):
            reason = str(parsed.get("bozo_exception") or "malformed XML").rstrip(".")
            raise ParseError(f"The feed at {host} could not be parsed: {reason}.")
    elif parsed.get("bozo"):
        log.info(
            "feed %s from %s is malformed; using the %d entries recovered",
            source,
            host,
            len(entries),
        )
    drafts = []
    for entry in entries:
        draft = _draft(
            source=source,
            title=_entry_title(entry),
            body=_entry_body(entry),
            url=_absolute(url, entry.get("link")),
            guid=entry.get("id"),
            # dict.get: FeedParserDict maps missing keys to others, with a warning.
            published=_struct_to_utc(
                dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
            ),
        )
        if draft is not None:
            drafts.append(draft)
    return drafts


# -- JSON Feed -----------------------------------------------------------------------------


def _rfc3339(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC)


def _item_body(item: Mapping[str, Any]) -> str:
    if isinstance(item.get("content_html"), str) and item["content_html"].strip():
        return html_to_text(item["content_html"])
    for key in ("content_text", "summary"):
        if isinstance(item.get(key), str) and item[key].strip():
            return normalise_text(item[key])
    return ""


def _parse_json(body: bytes, *, url: str, source: str) -> list[ArticleDraft]:
    host = display_host(url)
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ParseError(f"The JSON feed at {host} is not valid JSON: {e}.") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise ParseError(f"The document at {host} is JSON but not a JSON Feed (no items list).")
    drafts = []
    for item in doc["items"]:
        if not isinstance(item, dict):
            continue
        title = item.get("title")
        draft = _draft(
            source=source,
            title=_title_text(title, False) if isinstance(title, str) else "",
            body=_item_body(item),
            url=_absolute(url, item.get("url") or item.get("external_url")),
            guid=item.get("id"),
            published=_rfc3339(item.get("date_published") or item.get("date_modified")),
        )
        if draft is not None:
            drafts.append(draft)
    return drafts


def parse_feed(
    body: bytes, *, url: str, headers: Mapping[str, str], source: str
) -> list[ArticleDraft]:
    """Parse an RSS, Atom or JSON Feed body fetched from `url` into article drafts.

    A malformed feed still yields the entries that could be recovered; a valid feed with
    no entries yields an empty list.

    Raises:
        ParseError: nothing usable, not a feed, or a document that declares XML entities.
    """
    if not body.strip():
        raise ParseError(f"The feed at {display_host(url)} is empty.")
    if _is_json(body, _header(headers, "content-type")):
        return _parse_json(body, url=url, source=source)
    return _parse_xml(body, url=url, headers=headers, source=source)
