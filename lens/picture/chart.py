"""A bar chart of published counts as inline SVG, drawn on the server (no JavaScript).
Only published values go in: a "<10" is drawn as a low hatched bar labelled "<10", an
"x" as no bar labelled "x"; the page shows the same values in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lens.insight.disclosure import LESS_THAN_TEN, Shown

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 20, 30, 10


@dataclass(frozen=True)
class Bar:
    label: str
    shown: Shown
    x: float
    y: float
    width: float
    height: float
    small: bool  # "<10": drawn at the height of 5, hatched

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


def bars(labels: Sequence[str], values: Sequence[Shown]) -> list[Bar]:
    numbers = [v for v in values if isinstance(v, int)]
    top = max([10, *numbers])
    plot = HEIGHT - TOP - BOTTOM
    step = (WIDTH - 2 * LEFT) / max(1, len(labels))
    found = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        amount = value if isinstance(value, int) else 5 if value == LESS_THAN_TEN else 0
        height = plot * amount / top
        found.append(
            Bar(
                label=label,
                shown=value,
                x=LEFT + i * step + step * 0.15,
                y=TOP + plot - height,
                width=step * 0.7,
                height=height,
                small=value == LESS_THAN_TEN,
            )
        )
    return found
