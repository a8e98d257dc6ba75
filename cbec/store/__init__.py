"""Persistence adapter: SQLAlchemy 2 Core tables, Alembic migrations, repository, unit of work."""
