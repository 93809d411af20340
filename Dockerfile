# Descent: one container serves a whole classroom.
#   docker build -t descent . && docker run -p 8000:8000 descent
# The install/start/health steps live in deploy/container.sh, which a test also runs.

FROM python:3.11-slim AS wheel
WORKDIR /src
RUN pip install --no-cache-dir --disable-pip-version-check build
COPY pyproject.toml README.md ./
COPY app app
COPY core core
COPY static static
COPY templates templates
RUN python -m build --wheel --outdir /dist

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DESCENT_VENV=/opt/descent \
    DESCENT_HOST=0.0.0.0 \
    DESCENT_PORT=8000 \
    DESCENT_WORKERS=0 \
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1
# redis-server: classroom rooms across the worker processes (deploy/container.sh starts it)
RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/container.sh /usr/local/bin/descent-container
COPY --from=wheel /dist /tmp/dist
RUN descent-container install /tmp/dist/*.whl \
    && rm -rf /tmp/dist \
    && useradd --create-home --uid 10001 descent
USER descent
WORKDIR /home/descent
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["descent-container", "health"]
CMD ["descent-container", "start"]
