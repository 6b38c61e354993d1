"""Benchmarks for alliance-kit (``make bench``); not part of the test suite's pass/fail."""
