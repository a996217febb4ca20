"""Query building: a raw string typed by a person -> a Whoosh query.

- NFC first, and long input is capped (Whoosh's parser is slow on very long strings).
- Ranked OR matching that rewards documents matching more of the words: staff paste whole
  questions, and a conjunctive default finds nothing for them.
- Words are matched on the exact view (diacritics kept) and on the folded view, the exact
  view weighing more, so "mật" ranks mật above mắt while "mat" still finds both.
- Anything that looks like a document number ("821/QĐ-BQP", "so 821/qd-bqp") is also looked up
  whole, with a boost that puts that document first.
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import NullQuery, Or, Query, Term

from .analysis import doc_number_key
from .errors import UsageError
from .index import SCHEMA
from .normalise import nfc

MAX_QUERY_CHARS = 1000

# Field weights: title over body, exact over folded.
FIELD_BOOSTS = {"title": 3.0, "text": 1.0, "title_folded": 1.5, "text_folded": 0.5}
# A number group: digits, optional year, then type/issuer groups joined by / or -.
DOC_NUMBER_IN_QUERY = re.compile(
    r"(?<![\w/])\d{1,6}(?:\s*/\s*(?:19|20)\d\d)?\s*[/-]\s*[^\W\d_][\w]*(?:\s*[-/]\s*[\w]+)*"
)
NUMBER_BOOST = 50.0


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(FIELD_BOOSTS), schema=SCHEMA, fieldboosts=FIELD_BOOSTS, group=qparser.OrGroup.factory(0.9)
    )
    # Only the searchable text fields may be named in a query for now; other field names are words.
    parser.remove_plugin_class(qparser.FieldsPlugin)
    return parser


def build_query(raw: str) -> Query:
    """Parse what a person typed. Raises UsageError for empty or unparsable input."""
    text = nfc(raw or "").strip()
    if not text:
        raise UsageError("empty query: type some words, a phrase in quotes, or a document number")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
    number_terms = [
        Or([Term("doc_number_key", key), Term("cited_numbers", key)], boost=NUMBER_BOOST)
        for key in {doc_number_key(m.group(0)) for m in DOC_NUMBER_IN_QUERY.finditer(text)}
    ]
    try:
        words = _parser().parse(text)
    except Exception as error:  # whoosh raises assorted errors on odd syntax
        raise UsageError(f"cannot understand the query {raw[:80]!r}: {error}")
    parts = [q for q in [*number_terms, words] if q is not None and q is not NullQuery]
    if not parts:
        raise UsageError(f"the query {raw[:80]!r} has no searchable words")
    return Or(parts) if len(parts) > 1 else parts[0]
