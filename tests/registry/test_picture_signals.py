"""The signal counts beside each area on the local picture: their noise must come from the
persons behind them (a fixed key would let anyone who knows the method take it off again),
and they are hidden beside a hidden number of persons."""

from lens.insight import disclosure
from lens.picture.published import signals_shown as _signals_shown


def test_the_noise_on_a_signal_count_varies_with_the_persons_behind_it():
    # 45 randomly rounded to tens, by the cell key: 40 or 50
    shown = {_signals_shown(disclosure.Count(45, key), 25) for key in range(200)}
    assert shown == {40, 50}


def test_signal_counts_are_rounded_to_tens():
    for signals in range(10, 200, 7):
        for key in range(20):
            shown = _signals_shown(disclosure.Count(signals, key), 25)
            assert shown % 10 == 0 and abs(shown - signals) <= 9


def test_the_same_persons_give_the_same_signal_count():
    first = _signals_shown(disclosure.Count(40, 12345), 25)
    assert first == _signals_shown(disclosure.Count(40, 12345), 25)


def test_signals_are_hidden_beside_a_hidden_number_of_persons():
    assert _signals_shown(disclosure.Count(40, 1), disclosure.LESS_THAN_TEN) == disclosure.SECONDARY
    assert _signals_shown(disclosure.Count(40, 1), disclosure.SECONDARY) == disclosure.SECONDARY


def test_no_persons_means_no_signals():
    assert _signals_shown(disclosure.Count(0, 0), 0) == 0


def test_few_signals_beside_many_persons_are_shown_as_fewer_than_ten():
    assert _signals_shown(disclosure.Count(4, 99), 12) == disclosure.LESS_THAN_TEN
