"""A bar chart of published counts as inline SVG, drawn on the server (no JavaScript).
Only published values go in. A hidden value ("<10" or "x") is no amount, so it is drawn
as a placeholder of the same fixed height whatever the scale: hatched, with a dashed
outline and its label above it ("<10", "x"), never as a bar of 0 (an outside probe saw
both drawn at a height of (almost) nothing, as if no one was there). The page shows the
same values in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lens.insight.disclosure import Shown

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 20, 30, 10
PLACEHOLDER = 24  # the height of a hidden value's placeholder, not an amount


@dataclass(frozen=True)
class Bar:
    label: str
    shown: Shown
    x: float
    y: float
    width: float
    height: float
    hidden: bool  # "<10" or "x": a hatched placeholder of PLACEHOLDER high

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
        hidden = not isinstance(value, int)
        height = PLACEHOLDER if hidden else plot * value / top
        found.append(
            Bar(
                label=label,
                shown=value,
                x=LEFT + i * step + step * 0.15,
                y=TOP + plot - height,
                width=step * 0.7,
                height=height,
                hidden=hidden,
            )
        )
    return found
