"""Gunicorn's settings under `lens serve` (`--config python:lens.ops.gunicorn_conf`).

The bind address and the number of workers come from `lens serve`'s command line; more
gunicorn options can be given in GUNICORN_CMD_ARGS (gunicorn reads it itself). Gunicorn's
own log (start, workers, errors) and the access log are written as one JSON object per
line on stderr and stdout, with `P-…` where a pseudonym stood in a path (as in
lens.core.logfilters: the server log is no second record of who looked for whom).
"""

import logging

from lens.core.logfilters import masked


class MaskPseudonyms(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = masked(record.getMessage()), ()
        return True


# Sync workers: each request on a worker process of its own, one kept database connection
# per worker (CONN_MAX_AGE). The PDFs take a few seconds at most.
worker_class = "sync"
timeout = 60
graceful_timeout = 30
# Recycle a worker now and then (with jitter, so they do not restart together).
max_requests = 2000
max_requests_jitter = 200
# No control socket: one per user at a fixed path, so a second server on the host
# (another instance, a test) would take it over; nothing here uses it.
control_socket_disable = True
accesslog = "-"
# No query string (the check's answers never travel in URLs, but be sure) and no referer.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": MaskPseudonyms}},
    "formatters": {"json": {"()": "lens.core.logjson.JsonFormatter"}},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
            "filters": ["mask"],
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["mask"],
        },
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
