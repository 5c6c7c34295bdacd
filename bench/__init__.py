"""Turno's benchmarks: `python -m bench` prints figures and never asserts timings.

`bench.counting` is also what tests/api/test_call_counts.py uses to hold the DynamoDB call budget.
"""
