"""The search engine: the only code that imports whoosh (schema and index home, analysis, query building, scoring, snippets, the scoped searcher)."""
