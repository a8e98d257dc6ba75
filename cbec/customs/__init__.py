"""China customs CBEC messages (跨境电商统一版, 202205): CEB311/411/511/621 and the rest."""
