"""The casework models are defined in the data-model layer (lens.data.cases, below the
access policy); Django finds them through this module. Import them from there."""

from lens.data.cases import Case, Consultation, HandOver, Step  # noqa: F401
