"""The meldcode case in Django (issue 13): models in lens.data.cases, the pure workflow
in lens.casework, actions, pages and the work list here. docs/design/casework.md."""
