# Sourced by scripts/bootstrap.sh: run a long, quiet step (apt-get, pip) with its output in $LOG, and
# say every $PROGRESS_EVERY seconds (default 10) how long it has run and the last thing it did, so a
# first run's few minutes of installing are never silent.
#
#   with_progress "installing Python packages" pip install ...
# Needs: LOG (a file), say (prints one line). Returns the command's exit status.

with_progress() {
    local label="$1"; shift
    local every="${PROGRESS_EVERY:-10}" waited=0 last pid
    "$@" >"$LOG" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        waited=$((waited + 1))
        if (( waited % every == 0 )) && kill -0 "$pid" 2>/dev/null; then
            last="$(grep -v '^[[:space:]]*$' "$LOG" 2>/dev/null | tail -n 1 | tr -s ' ' | cut -c1-90)"
            say "  ... ${label}: ${waited} s${last:+ (${last})}"
        fi
    done
    wait "$pid"
}
