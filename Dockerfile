# The application image: `lens serve` (web) by default; compose.yaml runs the same image
# as the task worker (`lens worker`) and for the migrations. No container engine runs in
# this project's CI: tests/ops/test_container.py runs the commands below (CMD and
# compose.yaml's commands) outside a container instead.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/var/lib/lens \
    BIND=0.0.0.0:8000 \
    LOG_FORMAT=json

WORKDIR /app

# The libraries the PDFs need (scripts/system-deps.sh --runtime) and pg_dump/pg_restore
# for `lens backup` and `lens restore` on PostgreSQL (Debian 12: version 15, as the
# PostgreSQL in compose.yaml; pg_dump refuses a newer server).
COPY scripts/system-deps.sh scripts/system-deps.sh
RUN scripts/system-deps.sh --runtime \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock
COPY . .
# Editable, as `make venv` does: the catalogue, templates and static files stay in /app.
RUN pip install --no-deps -e . \
    && useradd --system --home-dir /var/lib/lens --shell /usr/sbin/nologin lens \
    && mkdir -p /var/lib/lens && chown lens /var/lib/lens

USER lens
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Collects the static files into VAR_DIR, then runs gunicorn (2 x cores + 1 workers, at
# most 12, or WEB_CONCURRENCY) on BIND.
CMD ["lens", "serve"]
