"""Bounds on one request to the lens engine or the registry, in one place for the API,
`lens assess` and the web forms. Pure Python.

The catalogue has well under a hundred signals and a few dozen risk factors; a list of
codes longer than MAX_CODES is no real input. Finding the closest known codes for an
unknown one costs a comparison with every code and label, so only the first
SUGGESTED_CODES unknown codes of a request get suggestions: enough to spot a typo, never
minutes of work (or megabytes of answer) for a request full of nonsense.
"""

from datetime import date

MAX_CODES = 200  # codes in one list of one request (signals, risk_factors, unknown, ...)
MAX_CODE_LENGTH = 64  # characters of one code; the catalogue's are far shorter
SUGGESTED_CODES = 5  # unknown codes per request that get "closest known" suggestions
# The earliest date an input may name (as_of, observed_on): no signal of a person alive
# now was observed before it, and 0001-01-01 is a mistake, not an assessment.
EARLIEST_DATE = date(1900, 1, 1)
