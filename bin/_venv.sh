# Sourced by bin/dev and bin/test: find Python 3.12+, create .venv, install the pinned requirements.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

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
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    local stamp="$VENV/.requirements.sha256"
    local want
    want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "Installing pinned dependencies from requirements.txt"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt"
        echo "$want" > "$stamp"
    fi
}

ensure_venv
PY="$VENV/bin/python"
cd "$ROOT"
