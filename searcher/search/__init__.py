"""Query text -> results: the query language, scoring, ranking, snippets."""
