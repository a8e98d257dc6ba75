"""rule and list binding: the platform a rule or screening list binds (NULL: every platform)

A rule a platform puts, and a list a platform loads, apply only to orders on that platform;
the starter rules and a regulator's rules and lists apply to all. Existing rows are bound
by who made them: a rule by the author of its first revision, a list by who loaded it.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03 10:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("compliance_rules") as batch:
        batch.add_column(sa.Column("platform_id", _ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_compliance_rules_platform_id_tenants"), "tenants", ["platform_id"], ["id"]
        )
    with op.batch_alter_table("screening_lists") as batch:
        batch.add_column(sa.Column("platform_id", _ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_screening_lists_platform_id_tenants"), "tenants", ["platform_id"], ["id"]
        )
    op.execute(
        "UPDATE compliance_rules SET platform_id = ("
        " SELECT first.changed_by FROM compliance_rules AS first"
        " JOIN tenants ON tenants.id = first.changed_by"
        " WHERE first.rule_id = compliance_rules.rule_id AND first.revision = 1"
        " AND tenants.role = 'platform')"
    )
    op.execute(
        "UPDATE screening_lists SET platform_id = loaded_by"
        " WHERE loaded_by IN (SELECT id FROM tenants WHERE role = 'platform')"
    )


def downgrade() -> None:
    with op.batch_alter_table("screening_lists") as batch:
        batch.drop_constraint(op.f("fk_screening_lists_platform_id_tenants"), type_="foreignkey")
        batch.drop_column("platform_id")
    with op.batch_alter_table("compliance_rules") as batch:
        batch.drop_constraint(op.f("fk_compliance_rules_platform_id_tenants"), type_="foreignkey")
        batch.drop_column("platform_id")
