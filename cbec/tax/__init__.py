"""Tax and landed cost: China CBEC retail-import tax with per-buyer annual quotas, and the
destination duty, VAT and de minimis of export markets — all from dated, sourced rule data."""
