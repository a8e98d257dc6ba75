"""cbec — an open platform for cross-border e-commerce (CBEC) trade documents."""

__version__ = "0.1.0"
