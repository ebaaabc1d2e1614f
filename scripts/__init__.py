"""Developer scripts (``make run``, benchmarks, evaluations); the process harness they share with the tests
is the top-level ``devstack`` package."""
