#!/usr/bin/env bash
# `make test`: pytest with the repo's config (pyproject.toml), then — when TEST_DATABASE_URL is set —
# a second pass of the db and integration tests against that database. Exits with pytest's code;
# "no tests collected" (5) counts as a failure. Arguments are passed to both pytest runs.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python

run_pytest() {  # $1 = label, rest = pytest arguments
    local label="$1"; shift
    "$PY" -m pytest "$@"
    local rc=$?
    if [[ $rc -eq 5 ]]; then
        echo "make test: $label collected no tests (pytest exit code 5) — counted as a failure." >&2
        echo "make test: check that tests/ exists and that markers are set on db/integration tests." >&2
        return 5
    fi
    [[ $rc -eq 0 ]] || echo "make test: $label failed (pytest exit code $rc)." >&2
    return $rc
}

# Pass 1: everything, on the embedded defaults (SQLite), whatever the shell has set.
first=0
( unset DATABASE_URL TEST_DATABASE_URL; run_pytest "pytest (SQLite)" "$@" ) || first=$?

second=0
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    safe_url="$(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"$TEST_DATABASE_URL")"
    echo "make test: second pass, db and integration tests on $safe_url" >&2
    ( export DATABASE_URL="$TEST_DATABASE_URL"; run_pytest "pytest -m 'db or integration' ($safe_url)" \
        -m "db or integration" "$@" ) || second=$?
fi

if [[ $first -ne 0 ]]; then exit "$first"; fi
exit "$second"
