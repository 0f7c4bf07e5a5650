"""A small per-process LRU: values kept by everything that determines them (a rendered
outcome section, a drawn outcome document), at most `size`, the oldest used first out.
Thread-safe. A kept value is shared by every request that asks for its key: never
mutate one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class Kept[V]:
    def __init__(self, size: int):
        self.size = size
        self.kept: OrderedDict[Hashable, V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self.lock:
            value = self.kept.get(key)
            if value is not None:
                self.kept.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self.lock:
            self.kept[key] = value
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
