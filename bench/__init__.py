"""Benchmarks of the answer engine against the obvious approaches, at 100 to 100,000 facts.

`python -m bench.run` writes bench/RESULTS.md; `--quick` is the CI smoke run.
"""
