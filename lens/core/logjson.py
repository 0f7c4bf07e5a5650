"""One JSON object per log line (LOG_FORMAT=json; always under `lens serve` and
`lens worker` unless LOG_FORMAT says otherwise): a log collector reads each line as a
record without parsing free text. The filters of lens.core.logfilters run first, so a
line holds no pseudonym and a refusal no traceback."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from lens.core.logfilters import masked

# Attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": masked(record.getMessage()),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, (int, float, bool)) else masked(str(value))
        if record.exc_info:
            entry["exception"] = masked(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
