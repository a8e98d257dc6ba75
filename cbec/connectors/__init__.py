"""Connectors: what comes in from, and goes out to, the systems sellers already use
(marketplace order files, …), mapped to cbec's documents at the edge."""
