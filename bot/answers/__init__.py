"""Answers: what the engine returns for a question, and how it is rendered as text/JSON."""
