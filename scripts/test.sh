#!/usr/bin/env bash
# `make test`: pytest with the repo's config (pyproject.toml), then — when TEST_DATABASE_URL is set —
# a second pass of the db and integration tests against that database. Exits with pytest's code;
# "no tests collected" (5) counts as a failure. Arguments are passed to both pytest runs.
#
# The two passes run at the same time: most of either pass is spent waiting on the processes its tests
# start (sandbox EHR, web app, worker, Redis, Chromium), so on two cores the pair takes little more
# than the longer pass alone. They share nothing: SQLite files and Redis servers of their own, their
# own temporary folders and pytest caches. The second pass's output is kept in a file and printed
# once the first pass has finished, so neither's report is interleaved with the other's.
# TEST_PASSES=sequential runs them one after the other (a machine short of memory, or to time them).
# The second pass leaves out integration tests marked `no_app_db` (they never reach the app's
# database, so they would only repeat the first pass).
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

second_pass() {  # the db and integration tests on TEST_DATABASE_URL; $@ = the caller's pytest arguments
    export DATABASE_URL="$TEST_DATABASE_URL"
    run_pytest "pytest -m 'db or integration' ($safe_url)" -m "db or (integration and not no_app_db)" \
        --basetemp "$work/pass2" -o cache_dir=.pytest_cache/postgresql "$@"
}

second=0
work=""
pid2=""
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    safe_url="$(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"$TEST_DATABASE_URL")"
    work="$(mktemp -d -t revrx-test.XXXXXX)"
    if [[ "${TEST_PASSES:-concurrent}" == "sequential" ]]; then
        :   # run after the first pass, below
    else
        echo "make test: second pass (db and integration tests on $safe_url) runs alongside the first;" \
             "its output follows the first pass's" >&2
        # A process group of its own (set -m), so that an interrupted `make test` can hand it the Ctrl-C:
        # a background job of a script otherwise ignores SIGINT and its pytest could not stop its stack.
        set -m
        ( second_pass "$@" ) >"$work/pass2.log" 2>&1 &
        pid2=$!
        set +m
        trap 'kill -INT -- "-$pid2" 2>/dev/null; wait "$pid2"; exit 130' INT TERM
    fi
fi

# Pass 1: everything, on the embedded defaults (SQLite), whatever the shell has set.
first=0
( unset DATABASE_URL TEST_DATABASE_URL; run_pytest "pytest (SQLite)" "$@" ) || first=$?

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    echo "make test: second pass, db and integration tests on $safe_url" >&2
    if [[ -n "$pid2" ]]; then
        # pytest exits with 2 when interrupted (Ctrl-C reached the first pass only): stop the second too.
        if [[ $first -eq 2 ]]; then kill -INT -- "-$pid2" 2>/dev/null; fi
        wait "$pid2" || second=$?
        cat "$work/pass2.log"
    else
        ( second_pass "$@" ) || second=$?
    fi
    # Its temporary folders go too, unless it failed (then they hold the logs of the processes it started).
    if [[ $second -eq 0 ]]; then rm -rf "$work"; else echo "make test: second pass's files: $work" >&2; fi
fi

if [[ $first -ne 0 ]]; then exit "$first"; fi
exit "$second"
