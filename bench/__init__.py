"""Benchmarks: `python -m bench` (or `tox -e bench`) prints a table and writes BENCHMARKS.md.

Never part of CI's pass/fail. Every comparison is a ratio measured in the same run and
reported as a median over alternating rounds, because the machines are noisy."""
