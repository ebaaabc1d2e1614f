# RevRX SMART — developer entry points. Every target bootstraps first (fast when nothing changed).
#   make run     sandbox EHR + app + worker + Redis on this machine (prints the URL to open)
#   make test    pytest; with TEST_DATABASE_URL set, a second pass of db/integration tests on it
#   make test-unit  the edit-test loop: tests/unit without integration/browser tests, on SQLite; no
#                sandbox, web or worker processes (one private redis-server); minutes now, most of them the PHI
#                parts' floor tests: PYTEST_ARGS='-k "not phi_people"' leaves those out
#   make lint    ruff + mypy
# Extra pytest arguments: make test PYTEST_ARGS="-k launch -x"

SHELL  := /bin/bash
PYTHON := .venv/bin/python
TYPED  := $(wildcard smartapp workers sandbox devstack)

.PHONY: bootstrap run test test-unit lint bench eval clean distclean

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	$(PYTHON) scripts/run.py

test: bootstrap
	@bash scripts/test.sh $(PYTEST_ARGS)

# Like pass 1 of `make test` (SQLite whatever the shell has set), on the tests that start no stack.
# The API fuzzing plugins (schemathesis, hypothesis, anyio) serve integration tests only; not loading
# them saves a few seconds of start-up on every run of the loop.
test-unit: bootstrap
	env -u DATABASE_URL -u TEST_DATABASE_URL $(PYTHON) -m pytest tests/unit -m "not integration and not browser" \
		-p no:schemathesis -p no:hypothesispytest -p no:anyio $(PYTEST_ARGS)

# Both checkers always run; the target fails if either found something.
lint: bootstrap
	@rc=0; \
	$(PYTHON) -m ruff check . || rc=1; \
	$(PYTHON) -m mypy --disallow-untyped-defs $(TYPED) scripts || rc=1; \
	exit $$rc

bench: bootstrap
	@if [ -f scripts/bench.py ]; then $(PYTHON) scripts/bench.py; else echo "make bench: no scripts/bench.py yet"; fi
	$(PYTHON) scripts/bench_coding.py
	$(PYTHON) scripts/bench_first_look.py
	$(PYTHON) scripts/bench_subscriptions.py --encounters 100 --rate 1 --workers 2 --burst 1000
	$(PYTHON) scripts/bench_sync.py --encounters 1000 --workers 1,2,4 --runs 5 --curve-runs 1 --approve \
		--json instance/bench/sync-sqlite.json
	@if [ -n "$(BENCH_POSTGRES_URL)" ]; then $(PYTHON) scripts/bench_sync.py --encounters 1000 --workers 1,2,4 \
		--runs 5 --curve-runs 1 --approve --database postgresql --postgres-url "$(BENCH_POSTGRES_URL)" \
		--json instance/bench/sync-postgresql.json; else echo "make bench: BENCH_POSTGRES_URL unset, sync benchmark on SQLite only"; fi
	$(PYTHON) scripts/bench_scheduled_sync.py

eval: bootstrap
	$(PYTHON) scripts/eval.py
	$(PYTHON) scripts/eval_phi.py

# Caches and test output only; instance/ (your data and keys) and .venv stay.
clean:
	find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache tests/output test-output

# Also the virtualenv and instance/ (local databases, encryption and session keys, logs).
distclean: clean
	rm -rf .venv instance
