"""Meldcode casework: a professional's case for one person, step by step.

`workflow`, `weighing` and `periods` are plain Python without any Django import: the whole
workflow is data that can be read in one screen and tested without a database. The
Django layer (models, actions with access-log entries, pages) is planned in
docs/design/casework.md and not built yet.
"""
