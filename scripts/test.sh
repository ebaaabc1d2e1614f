#!/usr/bin/env bash
# `make test`: pytest with the repo's config (pyproject.toml), then — when TEST_DATABASE_URL is set —
# a second pass of the db and integration tests against that database. Exits with pytest's code;
# "no tests collected" (5) counts as a failure. Arguments are passed to every pytest run.
#
# The runs go at the same time: most of the integration and browser tests' time is spent waiting on
# the processes they start (sandbox EHR, web app, worker, Redis, Chromium), so on two cores they leave
# room for the rest. Without arguments (CI), three pytest processes: the SQLite pass's integration and
# browser tests (in the foreground, its progress shown as it goes), the SQLite pass's other tests, and
# the PostgreSQL pass. With arguments (make test PYTEST_ARGS="-k launch", which may select anything) the
# SQLite pass stays one run. The runs share nothing: SQLite files, Redis servers and stacks of their
# own, their own temporary folders and pytest caches. The background runs' output is kept in files and
# printed, in turn, once the foreground run has finished, so no report is interleaved with another.
# TEST_PASSES=sequential runs the two passes one after the other, as one run each (to time them).
# The PostgreSQL pass leaves out integration tests marked `no_app_db` (they never reach the app's
# database, so they would only repeat the SQLite pass).
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

sqlite_run() {  # $1 = label, rest = pytest arguments: on the embedded defaults, whatever the shell has set
    ( unset DATABASE_URL TEST_DATABASE_URL; run_pytest "$@" )
}

postgres_run() {  # the db and integration tests on TEST_DATABASE_URL; $@ = the caller's pytest arguments
    ( export DATABASE_URL="$TEST_DATABASE_URL"
      run_pytest "pytest -m 'db or integration' ($safe_url)" -m "db or (integration and not no_app_db)" "$@" )
}

work="$(mktemp -d -t revrx-test.XXXXXX)"
labels=(); pids=(); logs=()
start_background() {  # $1 = name (its folder under $work), $2 = function, rest = its arguments
    local name="$1" fn="$2"; shift 2
    mkdir -p "$work/$name"
    # A process group of its own (set -m), so that an interrupted `make test` can hand it the Ctrl-C:
    # a background job of a script otherwise ignores SIGINT, and its pytest could not stop its stack.
    set -m
    "$fn" "$@" --basetemp "$work/$name/tmp" -o "cache_dir=.pytest_cache/$name" >"$work/$name.log" 2>&1 &
    pids+=($!)
    set +m
    labels+=("$name"); logs+=("$work/$name.log")
}
stop_background() {
    local pid
    for pid in "${pids[@]}"; do kill -INT -- "-$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid"; done
}
trap 'stop_background; exit 130' INT TERM

safe_url=""
[[ -z "${TEST_DATABASE_URL:-}" ]] || safe_url="$(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"$TEST_DATABASE_URL")"
sequential=0; [[ "${TEST_PASSES:-concurrent}" != "sequential" ]] || sequential=1

first=0; second=0
if [[ $sequential -eq 1 ]]; then
    sqlite_run "pytest (SQLite)" "$@" || first=$?
    if [[ -n "$safe_url" ]]; then
        echo "make test: second pass, db and integration tests on $safe_url" >&2
        postgres_run "$@" || second=$?
    fi
else
    [[ -z "$safe_url" ]] || start_background postgresql postgres_run "$@"
    if [[ $# -eq 0 ]]; then
        start_background sqlite-unit sqlite_run "pytest (SQLite, tests that start no process)" \
            -m "not integration and not browser"
        echo "make test: ${#pids[@]} more pytest run(s) go alongside this one (${labels[*]});" \
             "their output follows" >&2
        sqlite_run "pytest (SQLite, integration and browser tests)" -m "integration or browser" || first=$?
    else
        [[ -z "$safe_url" ]] || echo "make test: the PostgreSQL pass runs alongside; its output follows" >&2
        sqlite_run "pytest (SQLite)" "$@" || first=$?
    fi
    # pytest exits with 2 when interrupted (a Ctrl-C that reached the foreground run only): stop the rest.
    [[ $first -ne 2 ]] || stop_background
    for i in "${!pids[@]}"; do
        rc=0
        wait "${pids[$i]}" || rc=$?
        echo "make test: --- ${labels[$i]} ---" >&2
        cat "${logs[$i]}"
        if [[ ${labels[$i]} == postgresql ]]; then second=$rc; elif [[ $first -eq 0 ]]; then first=$rc; fi
    done
fi

# The temporary folders go too, unless something failed (then they hold the logs of the processes the
# tests started).
if [[ $first -eq 0 && $second -eq 0 ]]; then rm -rf "$work"; else echo "make test: test files kept in $work" >&2; fi
if [[ $first -ne 0 ]]; then exit "$first"; fi
exit "$second"
