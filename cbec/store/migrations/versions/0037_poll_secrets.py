"""poll secrets: each poll's own random key for the keyed hash of its voters, sealed under
the deployment's data key, so that an HMAC key rotation does not change the hashes of a
poll's voters (polls opened before have none and keep the deployment HMAC key's hashes)

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(sa.Column("secret", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("secret")
