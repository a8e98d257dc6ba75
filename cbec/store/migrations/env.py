"""Alembic environment: runs on the connection cbec passes in (see cbec.store.db.upgrade),
after refusing a database at a revision these migrations do not know (a newer release's)."""

from alembic import context

from cbec.store.db import check_schema
from cbec.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # invoked from the alembic command line
    from cbec.config import get_settings
    from cbec.store.db import make_engine

    engine = make_engine(get_settings().resolved_database_url())
    with engine.begin() as connection:
        check_schema(connection, context.script)
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
else:
    check_schema(connection, context.script)
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
