"""One word for one thing in the Dutch texts. A run of a command that only counts what
it would do (`--dry-run`) is a "proefdraai" everywhere: the templates and the Dutch
translations are scanned for the other words once used for it."""

from __future__ import annotations

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "lens" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
TERM = "proefdraai"
# Other Dutch (and English) words for the same trial run, as whole words.
VARIANTS = re.compile(
    r"\b(proef[- ]?run(s)?|test[- ]?run(s)?|proef[- ]?loop|oefen[- ]?run|droog[- ]?(run|loop|draai)"
    r"|dry[- ]?run(s)?|schaduw[- ]?run|proefberekening|probeer[- ]?run)\b",
    re.IGNORECASE,
)


def dutch_texts() -> list[tuple[str, str]]:
    found = [(f"{PO.name}: {e.msgid!r}", e.msgstr) for e in polib.pofile(str(PO)) if e.msgstr]
    found += [
        (f"{PO.name}: {e.msgid!r}", text)
        for e in polib.pofile(str(PO))
        for text in e.msgstr_plural.values()
    ]
    for template in sorted((ROOT / "lens").rglob("templates/**/*.html")):
        found.append((str(template.relative_to(ROOT)), template.read_text(encoding="utf-8")))
    return found


def test_the_scan_finds_a_variant():
    for text in ("Zou 3 e-mails versturen (proefrun).", "een test-run", "(dry run)", "droogloop"):
        assert VARIANTS.search(text), text
    assert not VARIANTS.search("Zou 3 gegevens verwijderen (proefdraai).")


def test_the_trial_run_is_a_proefdraai_everywhere():
    wrong = [
        f"{where}: {match.group(0)!r}"
        for where, text in dutch_texts()
        for match in VARIANTS.finditer(text)
    ]
    assert wrong == []


def test_both_commands_say_proefdraai():
    """`lens cases remind --dry-run` and `lens retention run --dry-run` in Dutch."""
    po = polib.pofile(str(PO))
    for msgid in ("Would send %(n)d e-mails (dry run).", "Would delete %(n)d records (dry run)."):
        entry = po.find(msgid)
        assert entry is not None and TERM in entry.msgstr, msgid
