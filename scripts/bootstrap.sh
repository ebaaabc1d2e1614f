#!/usr/bin/env bash
# Make this machine able to run and test RevRX SMART. Idempotent; about a tenth of a second when
# everything is already there.
#
#   1. System packages (Debian/Ubuntu): redis-server and chromium, only when their binaries are
#      missing. `apt-get update` runs only when something has to be installed. sudo only if not root.
#   2. .venv with Python >= 3.11 (python3.11, python3.12, python3.13 or python3; $PYTHON wins).
#   3. pip install -r requirements-dev.txt, only when requirements*.txt changed since the last
#      successful install (a hash stamp in .venv/.requirements.sha256).
#
# Playwright drives Debian's /usr/bin/chromium: this script never runs `playwright install`.
# Environment: PYTHON=/path/to/python3.x  BOOTSTRAP_SKIP_APT=1 (skip the system packages check).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.requirements.sha256"
LOG="$(mktemp -t revrx-bootstrap.XXXXXX)"
trap 'rm -f "$LOG"' EXIT

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() {
    printf 'bootstrap: ERROR: %s\n' "$*" >&2
    if [[ -s "$LOG" ]]; then
        printf 'bootstrap: last lines of the output:\n' >&2
        tail -n 25 "$LOG" | sed 's/^/    /' >&2
    fi
    exit 1
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' (not root and no sudo). Install it by hand, or run as root."
    fi
}

# shellcheck source=scripts/progress.sh
source "$ROOT/scripts/progress.sh"

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 \
        || die "missing system packages: $* — this is not a Debian/Ubuntu machine; install them by hand."
    if [[ "$APT_UPDATED" -eq 0 ]]; then
        say "first run: installing system packages (about two minutes for Chromium and Redis); apt-get update"
        with_progress "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
            || die "apt-get update failed"
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    with_progress "apt-get install" as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "$@" || die "apt-get install $* failed"
}

have_redis() { command -v redis-server >/dev/null 2>&1 || [[ -x /usr/sbin/redis-server ]] || [[ -x /usr/bin/redis-server ]]; }
have_chromium() { [[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null 2>&1; }

# --- 1. system packages -----------------------------------------------------------------------
if [[ "${BOOTSTRAP_SKIP_APT:-0}" != "1" ]]; then
    missing=()
    have_redis || missing+=(redis-server)
    # fonts-liberation: chromium only recommends it, and headless pages render tofu without a font.
    have_chromium || missing+=(chromium fonts-liberation)
    if [[ ${#missing[@]} -gt 0 ]]; then
        apt_install "${missing[@]}"
    fi
    have_redis || die "redis-server is still missing after apt-get install"
    have_chromium || die "chromium is still missing after apt-get install"
fi

# --- 2. Python virtual environment ------------------------------------------------------------
py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [[ -n "$candidate" ]] || continue
        if command -v "$candidate" >/dev/null 2>&1 && py_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if [[ -x "$VENV/bin/python" ]] && ! py_ok "$VENV/bin/python"; then
    say ".venv is broken or older than Python 3.11; recreating it"
    rm -rf "$VENV"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    PY="$(find_python)" || {
        if command -v apt-get >/dev/null 2>&1 && [[ "${BOOTSTRAP_SKIP_APT:-0}" != "1" ]]; then
            apt_install python3 python3-venv
            PY="$(find_python)" || die "no Python >= 3.11 found (tried \$PYTHON, python3.11..3.13, python3)"
        else
            die "no Python >= 3.11 found (tried \$PYTHON, python3.11..3.13, python3); set PYTHON=/path/to/python3.11"
        fi
    }
    say "creating .venv with $PY ($("$PY" -c 'import platform; print(platform.python_version())'))"
    if ! "$PY" -m venv "$VENV" >"$LOG" 2>&1; then
        # Debian's python3 ships venv without ensurepip until python3-venv is installed.
        rm -rf "$VENV"
        if command -v apt-get >/dev/null 2>&1 && [[ "${BOOTSTRAP_SKIP_APT:-0}" != "1" ]]; then
            ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            apt_install "python${ver}-venv"
            "$PY" -m venv "$VENV" >"$LOG" 2>&1 || { rm -rf "$VENV"; die "python -m venv failed with $PY"; }
        else
            die "python -m venv failed with $PY (on Debian/Ubuntu: apt-get install python3-venv)"
        fi
    fi
    rm -f "$STAMP"
fi

# --- 3. Python packages -----------------------------------------------------------------------
req_files=("$ROOT"/requirements*.txt)
[[ -e "${req_files[0]}" ]] || die "no requirements*.txt in $ROOT"
want="$( { "$VENV/bin/python" -c 'import sys; print(sys.version)'; cat "${req_files[@]}"; } | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$want" != "$have" ]]; then
    say "installing Python packages from requirements-dev.txt (about a minute the first time)"
    with_progress "pip install" "$VENV/bin/python" -m pip install --progress-bar off --disable-pip-version-check \
        --no-input -r "$ROOT/requirements-dev.txt" || die "pip install -r requirements-dev.txt failed"
    printf '%s\n' "$want" >"$STAMP"
fi

exit 0
