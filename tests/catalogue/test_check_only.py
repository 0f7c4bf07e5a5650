"""`check_only` signals (a question about now, never stored): the loader's checks."""

from lens.catalogue.loader import catalogue_from_dict, catalogue_to_dict, load_directory

from .minimal import FILES, TEXT, write_catalogue
from .test_loader import errors_for

NOW = f"""\
  - code: danger_now
    label: {{nl: Nu gevaar, en: Danger now}}
    explanation: {TEXT}
    indicators: [money]
    life_domains: [wonen_financien]
    strength: zacht
    strength_basis: "a question, not an indicator"
    acute: true
    check_only: true
    sources: [seed_000]
"""


def _with(tmp_path, signal=NOW, extra=None):
    files = {"signals.yaml": FILES["signals.yaml"] + signal, **(extra or {})}
    return write_catalogue(tmp_path, files)


def test_check_only_loads_and_survives_the_snapshot(tmp_path):
    catalogue = load_directory(_with(tmp_path)).catalogue
    assert catalogue.signals["danger_now"].check_only is True
    assert catalogue.signals["cash"].check_only is False
    assert catalogue_from_dict(catalogue_to_dict(catalogue)).signals["danger_now"].check_only


def test_check_only_must_be_acute(tmp_path):
    errors = errors_for(_with(tmp_path, NOW.replace("    acute: true\n", "")))
    assert len(errors) == 1, errors
    assert "'danger_now': check_only needs acute: true" in errors[0]


def test_a_retired_code_cannot_be_replaced_by_a_check_only_signal(tmp_path):
    retired = f"""\
retired_signals:
  - code: old_danger
    replaced_by: danger_now
    label: {{nl: Oud, en: Old}}
    explanation: {TEXT}
    sources: [seed_000]
"""
    errors = errors_for(_with(tmp_path, extra={"retired.yaml": retired}))
    assert len(errors) == 1, errors
    assert "'old_danger': replaced_by 'danger_now' is check_only" in errors[0]


def test_the_real_catalogue_asks_direct_danger_only_in_the_check():
    from pathlib import Path

    catalogue = load_directory(Path(__file__).parents[2] / "catalogue").catalogue
    only = {c for c, s in catalogue.signals.items() if s.check_only}
    assert only == {"direct_danger_now"}


def test_a_check_hint_loads_and_survives_the_snapshot(tmp_path):
    hinted = (
        NOW.replace("    check_only: true\n", "").replace(
            "  - code: danger_now\n", "  - code: knife\n"
        )
        + "    check_hint: {nl: Ook de gevaarvraag, en: The danger question too}\n"
    )
    catalogue = load_directory(_with(tmp_path, hinted)).catalogue
    assert catalogue.signals["knife"].check_hint.nl == "Ook de gevaarvraag"
    assert catalogue.signals["cash"].check_hint is None
    again = catalogue_from_dict(catalogue_to_dict(catalogue))
    assert again.signals["knife"].check_hint.en == "The danger question too"
