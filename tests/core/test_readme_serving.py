"""The README says, where it introduces `make run`, that it is Django's development server
for trying the application, and that a pilot with several users runs `lens serve` (the
outside probe: bursts of simultaneous requests got connection resets and 503s under
`make run`, none under `lens serve`). Its first commands stay the two-command start."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_make_run_is_introduced_as_a_development_server_and_points_to_lens_serve():
    text = README.read_text(encoding="utf-8")
    first = text.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert first[0].startswith("make run ") and first[2].startswith("make test ")
    introduction = text.split("\n## ", 1)[0]  # the title, the commands and what follows
    assert "development server" in introduction
    assert "`lens serve`" in introduction and "(#deployment)" in introduction
    assert "## Deployment" in text and "`lens serve`" in text.split("## Deployment", 1)[1]
