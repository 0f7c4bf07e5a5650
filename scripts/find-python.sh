#!/usr/bin/env bash
# Prints the path of a Python 3.12 or newer interpreter (Django 6 needs it).
# Order: $PYTHON, pyenv's newest 3.12/3.13, then python3.13/python3.12 on PATH.
set -eu
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
if [ -n "${PYTHON:-}" ] && ok "$PYTHON"; then echo "$PYTHON"; exit 0; fi
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for v in $(ls -d "$root"/versions/3.1[23]* 2>/dev/null | sort -V -r); do
  if ok "$v/bin/python"; then echo "$v/bin/python"; exit 0; fi
done
for c in python3.13 python3.12 python3; do
  if command -v "$c" >/dev/null && ok "$(command -v "$c")"; then command -v "$c"; exit 0; fi
done
echo "No Python 3.12+ found. Install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
exit 1
