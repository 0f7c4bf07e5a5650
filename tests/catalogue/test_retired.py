"""Retired signal codes: the loader checks what replaces them, naming file and line."""

from lens.catalogue.loader import catalogue_from_dict, catalogue_to_dict, load_directory

from .minimal import TEXT, line_of, write_catalogue
from .test_loader import errors_for

RETIRED = f"""\
retired_signals:
  - code: old_cash
    replaced_by: cash
    label: {{nl: Oud, en: Old}}
    explanation: {TEXT}
    sources: [seed_000]
  - code: older_cash
    replaced_by: old_cash
    label: {{nl: Ouder, en: Older}}
    explanation: {TEXT}
    sources: [seed_000]
  - code: was_a_signal
    replaced_by_risk_factor: debts
    label: {{nl: Was een signaal, en: Was a signal}}
    explanation: {TEXT}
    sources: [seed_000]
"""


def test_retired_codes_load_and_resolve(tmp_path):
    catalogue = load_directory(write_catalogue(tmp_path, {"retired.yaml": RETIRED})).catalogue
    assert catalogue.resolve_signal("old_cash") == ("signal", "cash")
    assert catalogue.resolve_signal("older_cash") == ("signal", "cash")  # a chain
    assert catalogue.resolve_signal("was_a_signal") == ("risk_factor", "debts")
    assert catalogue.resolve_signal("cash") == ("signal", "cash")
    assert catalogue.resolve_signal("never_known") is None
    codes = catalogue.current_codes(["older_cash", "cash", "was_a_signal", "x"], ["debts"])
    assert codes.signals == ("cash",)  # two codes for one signal count once
    assert codes.risk_factors == ("debts",)
    assert codes.dropped == ("x",)
    # The snapshot keeps them; a snapshot stored before the section existed still reads.
    snapshot = catalogue_to_dict(catalogue)
    assert catalogue_from_dict(snapshot).retired_signals == catalogue.retired_signals
    del snapshot["retired_signals"]
    assert catalogue_from_dict(snapshot).retired_signals == {}


def _broken(tmp_path, old, new):
    assert RETIRED.count(old) == 1
    directory = write_catalogue(tmp_path, {"retired.yaml": RETIRED.replace(old, new)})
    return directory, directory / "retired.yaml"


def test_unknown_replacement_names_file_and_line(tmp_path):
    directory, path = _broken(tmp_path, "replaced_by: cash", "replaced_by: cahs")
    errors = errors_for(directory)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{path}:{line_of(path, 'code: old_cash')}: ")
    assert "'cahs' is not a signal or a retired signal" in errors[0]
    assert "did you mean 'cash'" in errors[0]


def test_unknown_risk_factor_replacement(tmp_path):
    directory, path = _broken(
        tmp_path, "replaced_by_risk_factor: debts", "replaced_by_risk_factor: dbets"
    )
    errors = errors_for(directory)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{path}:{line_of(path, 'dbets')}: ")
    assert "unknown code 'dbets'" in errors[0]


def test_both_or_no_replacement_refused(tmp_path):
    directory, path = _broken(
        tmp_path, "replaced_by: cash\n", "replaced_by: cash\n    replaced_by_risk_factor: debts\n"
    )
    errors = errors_for(directory)
    assert len(errors) == 1 and "exactly one of replaced_by" in errors[0], errors
    assert errors[0].startswith(f"{path}:{line_of(path, 'code: old_cash')}: ")
    directory, path = _broken(tmp_path / "none", "    replaced_by: cash\n", "")
    errors = errors_for(directory)
    assert len(errors) == 1 and "exactly one of replaced_by" in errors[0], errors


def test_cycle_refused(tmp_path):
    directory, path = _broken(tmp_path, "replaced_by: cash", "replaced_by: older_cash")
    errors = errors_for(directory)
    assert len(errors) == 2, errors  # both codes of the circle are named
    assert all("goes round in a circle" in e for e in errors)
    assert errors[0].startswith(f"{path}:{line_of(path, 'code: old_cash')}: ")


def test_retired_code_cannot_be_a_current_signal(tmp_path):
    directory, path = _broken(tmp_path, "code: old_cash", "code: threatened")
    errors = errors_for(directory)
    assert any(
        e.startswith(f"{path}:{line_of(path, 'code: threatened')}: ")
        and "also a current signal" in e
        for e in errors
    ), errors
