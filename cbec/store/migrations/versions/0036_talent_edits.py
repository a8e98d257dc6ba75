"""talent edits: when a profile or a project was last changed, when a profile was withdrawn
from the listings and the matches, when a project was closed; the published profiles in
(published_at, id) order, the key the match reads them by in batches

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("talent_experts") as batch:
        batch.add_column(sa.Column("updated_at", _AT, nullable=True))
        batch.add_column(sa.Column("withdrawn_at", _AT, nullable=True))
    with op.batch_alter_table("talent_projects") as batch:
        batch.add_column(sa.Column("updated_at", _AT, nullable=True))
        batch.add_column(sa.Column("closed_at", _AT, nullable=True))
    op.create_index(
        "ix_talent_experts_published", "talent_experts", ["withdrawn_at", "published_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_talent_experts_published", table_name="talent_experts")
    with op.batch_alter_table("talent_projects") as batch:
        batch.drop_column("closed_at")
        batch.drop_column("updated_at")
    with op.batch_alter_table("talent_experts") as batch:
        batch.drop_column("withdrawn_at")
        batch.drop_column("updated_at")
