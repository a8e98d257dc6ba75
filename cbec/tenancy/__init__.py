"""Tenants (the firms using cbec), their roles, API keys and who may see what."""
