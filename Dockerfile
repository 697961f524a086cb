# StrikeBot image: a slim Python runtime, dependencies from pyproject.toml, run as non-root.
# Build: docker build -t strikebot .   Run: see README.md ("Docker").

FROM python:3.11-slim AS build
WORKDIR /src
# Only what the package build needs, so editing knowledge/ does not rebuild dependencies.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check .

FROM python:3.11-slim
RUN groupadd --gid 10001 strikebot \
    && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin strikebot \
    && mkdir /data \
    && chown strikebot:strikebot /data
COPY --from=build /opt/venv /opt/venv
# The bundled fact base; mount your own over /app/knowledge to replace it.
COPY knowledge /app/knowledge
WORKDIR /app
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    STRIKEBOT_KNOWLEDGE=/app/knowledge \
    STRIKEBOT_DATA_DIR=/data \
    STRIKEBOT_HEALTH_HOST=127.0.0.1 \
    STRIKEBOT_HEALTH_PORT=8080
VOLUME ["/data"]
USER 10001:10001
# The health check runs inside the container, so the endpoint can stay on loopback.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# strikebot run closes the gateway and the database on SIGTERM (docker stop).
STOPSIGNAL SIGTERM
ENTRYPOINT ["strikebot"]
CMD ["run"]
