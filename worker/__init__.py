"""generx job system: Celery app and settings, tasks, the store, job API, HTTP API and CLI. No NLP logic."""
