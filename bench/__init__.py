"""Benchmarks, run by hand (never timed asserts in tests): ``cockpit-bench`` (docs/benchmarks.md)."""
