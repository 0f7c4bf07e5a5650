"""The Dutch translations are complete, compiled and in step with the code.

Three ways translations drift, each a test:
- a msgid in the committed .po is untranslated or fuzzy (it would show in English);
- the committed .mo (what Django reads) differs from the .po (someone forgot to compile);
- the code has texts that are not in the .po at all (someone forgot `make messages`):
  `makemessages` is run into a temporary copy of `lens/` and must add nothing.

GNU gettext (xgettext, msgmerge) is a required test dependency: `scripts/system-deps.sh`
installs it. Regenerate with `make messages`, translate, then compile.

The .mo is compared by content, not by file time: git does not keep modification times.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "lens" / "locale" / "nl" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


def key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def translations(entries) -> dict[tuple[str, str, str], object]:
    return {
        key(e): (tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr)
        for e in entries
        if e.msgid
    }


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    assert PO.exists(), f"{PO} is missing: run `make messages`."
    return polib.pofile(str(PO))


def test_every_dutch_message_is_translated_and_not_fuzzy(po):
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not po.metadata_is_fuzzy, "the .po header is marked fuzzy"
    assert not problems, "Translate these in " + str(PO) + ":\n" + "\n".join(problems)


def test_compiled_mo_matches_the_po(po):
    assert MO.exists(), f"{MO} is missing: compile with `lens compilemessages` or msgfmt."
    mo = polib.mofile(str(MO))
    expected = translations(e for e in po if e.translated() and not e.obsolete)
    compiled = translations(mo)
    missing = sorted(set(expected) - set(compiled))
    different = sorted(k for k in expected if k in compiled and compiled[k] != expected[k])
    extra = sorted(set(compiled) - set(expected))
    assert not (missing or different or extra), (
        f"{MO.name} is out of step with {PO.name}; recompile it "
        f"(missing {missing[:5]}, different {different[:5]}, extra {extra[:5]})"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


def test_makemessages_would_add_nothing(tmp_path, po):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.fail(
            "GNU gettext (xgettext, msgmerge) is required for the translation tests. "
            "Install it: apt-get install gettext (or run scripts/system-deps.sh)."
        )
    copy = tmp_path / "lens"
    shutil.copytree(
        ROOT / "lens", copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    )
    # Run the copy's own settings, so LOCALE_PATHS points into the copy: makemessages
    # must never write into the working tree.
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "lens.settings",
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    committed = {key(e) for e in po if not e.obsolete}
    new = sorted(key(e) for e in fresh if not e.obsolete and key(e) not in committed)
    assert not new, (
        "These texts are in the code but not in lens/locale/nl/LC_MESSAGES/django.po. "
        "Run `make messages`, translate them and compile:\n"
        + "\n".join(
            f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid, _ in new
        )
    )
