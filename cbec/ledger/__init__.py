"""Evidence ledger: an append-only RFC 6962 Merkle log with signed checkpoints."""
