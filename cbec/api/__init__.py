"""HTTP adapter (FastAPI): authentication, routes per document kind, errors as RFC 9457."""
