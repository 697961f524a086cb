"""Matching: members' questions -> normalised tokens -> the curated facts that answer them.

Pipeline (each step one module): `normalise` (case, punctuation, quotes, dashes,
possessives, numbers, dates, chat abbreviations) -> `vocabulary` (typo correction against
the fact base's words) -> `synonyms` (phrases rewritten to canonical terms) -> stopwords
and light stemming (`normalise`) -> `index` (inverted index, candidate facts) ->
`scoring` (re-ranking a short list, abstention).
"""
