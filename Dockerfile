# One image for the web server, the export worker and Celery beat.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
WORKDIR /app
# gettext compiles the translation catalogs.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
COPY --from=frontend /app/frontend/dist ./frontend/dist
# A throwaway key and data dir: nothing of the build may end up in /data.
RUN DJANGO_SECRET_KEY=build DATA_DIR=/tmp/build python manage.py compilemessages -l id \
    --ignore=frontend && rm -rf /tmp/build
RUN useradd --create-home workbench && mkdir -p /data && chown workbench /data
USER workbench
EXPOSE 8000
CMD ["gunicorn", "-c", "workbench/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "workbench.wsgi"]
