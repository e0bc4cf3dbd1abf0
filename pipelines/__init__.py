"""generx NLP: spaCy components, lexicons, relation rules and the Doc -> records conversion.

Importable without Celery, Redis or a database.
"""
