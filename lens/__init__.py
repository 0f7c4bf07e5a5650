"""Uitbuitingslens: signalling support for criminal exploitation."""
