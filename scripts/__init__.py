"""Developer scripts; ``scripts.devstack`` is imported by scripts/run.py and the tests."""
