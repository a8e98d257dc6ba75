"""The relational schema. Documents live in one table: their content is a JSON body with
personal information encrypted field by field; the columns beside it are what access
control, uniqueness and filters need, so those run as indexed SQL.

Split by capability (one module each); everything is importable from here.
"""

from cbec.store.tables.base import BigId, UTCDateTime, metadata
from cbec.store.tables.compliance import (
    compliance_decisions,
    compliance_fired,
    compliance_rules,
    sandbox_enrolments,
    screening_lists,
    screening_results,
)
from cbec.store.tables.customs import (
    customs_profiles,
    customs_signing_keys,
    declaration_events,
    declarations,
)
from cbec.store.tables.desk import ledger_seen, screening_reviews
from cbec.store.tables.disputes import dispute_cases, dispute_events, dispute_messages
from cbec.store.tables.documents import (
    document_versions,
    documents,
    idempotency_keys,
    import_batches,
    reveal_audit,
)
from cbec.store.tables.einvoices import einvoice_credit_notes
from cbec.store.tables.governance import algorithm_records, algorithm_versions
from cbec.store.tables.growth import poll_votes, polls
from cbec.store.tables.imports_desk import import_drafts, import_mappings
from cbec.store.tables.keys import deployment_keys, hmac_rekey
from cbec.store.tables.ledger import (
    ledger_checkpoints,
    ledger_entries,
    ledger_nodes,
    ledger_state,
)
from cbec.store.tables.logistics import (
    tracking_alert_notices,
    tracking_event_keys,
    tracking_events,
)
from cbec.store.tables.marketplaces import marketplace_profiles
from cbec.store.tables.parties import (
    api_key_audit,
    api_keys,
    sessions,
    tenants,
    user_audit,
    users,
)
from cbec.store.tables.privacy import (
    data_transfer_subjects,
    data_transfers,
    dsr_erased_subjects,
    dsr_requests,
    person_keys,
)
from cbec.store.tables.talent import (
    talent_deliverables,
    talent_engagements,
    talent_events,
    talent_experts,
    talent_projects,
)
from cbec.store.tables.tax import (
    tax_quota_charges,
    tax_quota_usage,
)
from cbec.store.tables.webhooks import (
    webhook_deliveries,
    webhook_messages,
    webhook_subscriptions,
)

__all__ = [
    "BigId",
    "UTCDateTime",
    "algorithm_records",
    "algorithm_versions",
    "api_key_audit",
    "api_keys",
    "compliance_decisions",
    "compliance_fired",
    "compliance_rules",
    "customs_profiles",
    "customs_signing_keys",
    "data_transfer_subjects",
    "data_transfers",
    "declaration_events",
    "declarations",
    "deployment_keys",
    "dispute_cases",
    "dispute_events",
    "dispute_messages",
    "document_versions",
    "documents",
    "dsr_erased_subjects",
    "dsr_requests",
    "einvoice_credit_notes",
    "hmac_rekey",
    "idempotency_keys",
    "import_batches",
    "import_drafts",
    "import_mappings",
    "ledger_checkpoints",
    "ledger_entries",
    "ledger_nodes",
    "ledger_seen",
    "ledger_state",
    "marketplace_profiles",
    "metadata",
    "person_keys",
    "poll_votes",
    "polls",
    "reveal_audit",
    "sandbox_enrolments",
    "screening_lists",
    "screening_results",
    "screening_reviews",
    "sessions",
    "talent_deliverables",
    "talent_engagements",
    "talent_events",
    "talent_experts",
    "talent_projects",
    "tax_quota_charges",
    "tax_quota_usage",
    "tenants",
    "tracking_alert_notices",
    "tracking_event_keys",
    "tracking_events",
    "user_audit",
    "users",
    "webhook_deliveries",
    "webhook_messages",
    "webhook_subscriptions",
]
