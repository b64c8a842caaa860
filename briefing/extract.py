"""The article in an HTML page: main text and metadata (title, publication date, author, site name,
canonical URL), by trafilatura, with htmldate reading the date from the page's metadata only
(JSON-LD, Open Graph and other meta tags, <time> elements, the URL), never from its text or captions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

# trafilatura and htmldate log every page they find wanting; the CLI reports one line itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


class NotAnArticle(ValueError):
    """The page holds no article text (documents.parse_document reports it as bad input)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class Extracted:
    text: str
    title: str | None
    published: str | None  # YYYY-MM-DD from the page's metadata
    author: str | None
    site_name: str | None
    canonical_url: str | None


def _canonical(tree, base: str | None) -> str | None:
    """<link rel=canonical> (else og:url), absolute against the page's URL, without a fragment."""
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = [v.strip() for v in tree.xpath(xpath) if v and v.strip()]
        if found:
            url = urljoin(base or "", found[0])
            return urldefrag(url)[0] if url.startswith(("http://", "https://")) else None
    return None


def extract_html(html: str, name: str, url: str | None = None) -> Extracted:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        raise NotAnArticle(
            f"{name}: not a readable HTML page", "give the article's page, not an index or a file of another kind"
        )
    canonical = _canonical(tree, url)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
        date_extraction_params=DATE_PARAMS,
    )
    if doc is None or not (doc.text or "").strip():
        raise NotAnArticle(
            f"{name}: no article text found in the page",
            "give the page of one article (not a front page or a list of links)",
        )
    paragraphs = [line.strip() for line in doc.text.split("\n") if line.strip()]
    return Extracted(
        text="\n\n".join(paragraphs),
        title=doc.title or None,
        published=doc.date or None,
        author=doc.author or None,
        site_name=doc.sitename or None,
        canonical_url=canonical or None,
    )
