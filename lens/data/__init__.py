"""The data model: organisations, memberships, persons, registrations, outcomes
(`registry`), links, work items, requests, relations, combined outcomes
(`coordination`), and the reads every layer above shares (`queries`, `pseudonyms`,
`cells`: spreadsheet-safe text for every export).

Models only: nothing here needs the access policy, the actions or the pages. The models
keep their Django apps (`Meta.app_label`): those apps' `models.py` import them from here,
and their migrations stay where they are. See docs/design/layers.md.
"""
