# Sourced by bin/dev, bin/test, bin/install and bin/check-deploy: find Python 3.12+, create .venv and
# install into it from uv.lock (hashes checked) with uv, which is bootstrapped with pip once.
# MOTTAINAI_GROUPS chooses what is installed:
#   runtime  the site's runtime dependencies only (a ward's server: bin/install, bin/check-deploy)
#   dev      runtime + the dev group (bin/dev)
#   all      runtime + every group: dev, test, browser, stack, bench (bin/test)
# "all" removes whatever uv.lock does not list; the others only add, so running bin/dev after
# bin/test keeps the test tools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
MOTTAINAI_GROUPS="${MOTTAINAI_GROUPS:-dev}"

find_python() {
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.14 python3.13 python3.12)
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    if [ -d "$pyenv_root/versions" ]; then
        # Newest first; skip pre-releases and non-CPython builds.
        while IFS= read -r dir; do
            candidates+=("$dir/bin/python3")
        done < <(ls -d "$pyenv_root"/versions/3.1[2-9]* 2>/dev/null | sort -V -r)
    fi
    candidates+=(/usr/bin/python3.13 /usr/bin/python3.12 python3)
    local c
    for c in "${candidates[@]}"; do
        if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            command -v "$c" 2>/dev/null || echo "$c"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
        local py
        if ! py="$(find_python)"; then
            echo "Mottainai needs Python 3.12 or newer (Django 6), and none was found." >&2
            echo "Install one, e.g. 'sudo apt install python3.12 python3.12-venv' or 'pyenv install 3.12'," >&2
            echo "or point PYTHON=/path/to/python3.12 at it, then run this command again." >&2
            exit 1
        fi
        echo "Creating .venv with $("$py" --version) ($py)"
        rm -rf "$VENV"
        "$py" -m venv "$VENV"
    fi
    # uv is pinned in pyproject.toml's dev group; the first install comes from pip.
    local uv_pin
    uv_pin="$(grep -o '"uv==[^"]*"' "$ROOT/pyproject.toml" | tr -d '"')"
    if ! "$VENV/bin/uv" --version 2>/dev/null | grep -q "^uv ${uv_pin#uv==}"; then
        echo "Installing $uv_pin into .venv"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$uv_pin"
    fi
    local args=(--frozen --quiet)
    case "$MOTTAINAI_GROUPS" in
        runtime) args+=(--no-dev --inexact) ;;
        dev) args+=(--inexact) ;;
        all) args+=(--all-groups) ;;
        *) echo "MOTTAINAI_GROUPS must be runtime, dev or all (not '$MOTTAINAI_GROUPS')" >&2; exit 2 ;;
    esac
    # --frozen: install exactly uv.lock; a pyproject.toml edit needs `.venv/bin/uv lock` first.
    UV_PROJECT_ENVIRONMENT="$VENV" UV_PYTHON_DOWNLOADS=never \
        "$VENV/bin/uv" sync --project "$ROOT" "${args[@]}"
}

ensure_venv
PY="$VENV/bin/python"
cd "$ROOT"
