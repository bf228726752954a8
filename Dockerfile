# Image for web (gunicorn), worker and beat (docker-compose.yml runs all three from it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media

# gettext: compilemessages; curl is not needed (the health check uses Python).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
# Install the dependencies first so code changes do not reinstall them.
RUN python -c "import tomllib,subprocess,sys; deps=tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']; subprocess.check_call([sys.executable,'-m','pip','install',*deps])"

COPY . .
# Front-end libraries are baked into the image so it starts without network access;
# the web service runs vendor_assets again at start (a no-op when present). The named
# volumes for media and the beat schedule inherit the app user's folders from here.
RUN useradd --system --create-home --uid 1000 app \
    && mkdir -p /app/var/media /app/var/beat /app/var/staticfiles \
    && python manage.py vendor_assets \
    && python manage.py compilemessages --ignore=.venv -v0 \
    && chown -R app:app /app

USER app
EXPOSE 8000

# Default command: the web server (compose sets the worker's and beat's commands).
CMD ["gunicorn", "congress.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
