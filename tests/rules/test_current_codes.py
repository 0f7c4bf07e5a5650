"""How the catalogue reads stored codes (Catalogue.resolve_signal, current_codes): the one
place where an old registration gets its meaning under the current catalogue."""

from dataclasses import replace

import pytest

from lens.rules.model import CurrentCodes

from .test_retired_codes import retired


@pytest.fixture
def stored(catalogue):
    items = [
        retired("old_cash", signal="cash"),
        retired("oldest_cash", signal="old_cash"),  # a chain: oldest -> old -> cash
        retired("minor", risk="young"),  # now a risk factor
        retired("gone_risk", risk="no_such_risk"),  # a risk factor this catalogue lacks
        retired("dangling", signal="no_such_signal"),  # a signal this catalogue lacks
        retired("loop_a", signal="loop_b"),  # a (mistaken) cycle of retired codes
        retired("loop_b", signal="loop_a"),
    ]
    return replace(catalogue, retired_signals={r.code: r for r in items})


@pytest.mark.parametrize(
    "code, meaning",
    [
        ("cash", ("signal", "cash")),
        ("old_cash", ("signal", "cash")),
        ("oldest_cash", ("signal", "cash")),
        ("minor", ("risk_factor", "young")),
        ("gone_risk", None),
        ("dangling", None),
        ("loop_a", None),
        ("nonsense", None),
    ],
)
def test_what_a_stored_signal_code_means_now(stored, code, meaning):
    assert stored.resolve_signal(code) == meaning


def test_current_codes_keep_order_merge_duplicates_and_drop_the_unknown(stored):
    found = stored.current_codes(
        ["debts", "oldest_cash", "nonsense", "cash", "minor", "old_cash", "gone_risk"],
        ["lvb", "no_such_risk", "young", "lvb"],
    )
    assert found == CurrentCodes(
        signals=("debts", "cash"),
        risk_factors=("young", "lvb"),  # "minor" (a signal once) comes first
        dropped=("nonsense", "gone_risk", "no_such_risk"),
    )


def test_current_codes_without_risk_factors(stored):
    assert stored.current_codes(["minor"]) == CurrentCodes((), ("young",), ())
    assert stored.current_codes([]) == CurrentCodes((), (), ())
