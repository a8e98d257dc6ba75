"""The schema's shared parts: the metadata (with the naming convention the migrations use),
the id type and the UTC timestamp type."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, MetaData
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER only


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out, on SQLite (which stores no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect):
        """On SQLite, :meth:`process_bind_param` and SQLAlchemy's DATETIME text in one step:
        ``YYYY-MM-DD HH:MM:SS.ffffff`` of the UTC instant, the storage format of
        ``sqlalchemy.dialects.sqlite.DATETIME``, which ``datetime.isoformat(" ",
        "microseconds")`` writes without its ``%``-formatting of seven fields. Every filed
        document stores two instants and its decision one (a sixth of the INSERTs' Python
        time); ``tests/system/test_utc_datetime.py`` holds the two texts equal."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        # The text of the instant bound last, with the instant itself: a chunk's rows share
        # their filing time (one ``datetime`` object), written once instead of once a row.
        # Replaced as one tuple, so a thread reads a matching pair.
        last: list[tuple[datetime | None, str | None]] = [(None, None)]

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            seen, text = last[0]
            if seen is value:
                return text
            tz = value.tzinfo
            if tz is None:
                raise ValueError("naive datetime given to a UTC column")
            utc = value if tz is UTC else value.astimezone(UTC)
            text = utc.replace(tzinfo=None).isoformat(" ", "microseconds")
            last[0] = (value, text)
            return text

        return process

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
