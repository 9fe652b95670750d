FROM python:3.11-slim-bookworm
# WeasyPrint needs Pango; fonts with Cyrillic for the PDFs, found by fontconfig (lib/text_pdf.py).
# postgresql-client: pg_dump and pg_restore for backups (ops/backups), the server's version.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig gettext postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir '.[s3,sentry]'
ENV DJANGO_SETTINGS_MODULE=config.settings PYTHONUNBUFFERED=1
RUN SECRET_KEY=build DEBUG=0 python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
