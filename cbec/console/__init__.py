"""The web console: server-rendered pages (Jinja2) for the people cbec serves — a seller's
operator, a platform's compliance officer, a customs or CAC auditor — in Chinese and English.

The pages are thin adapters over the same use-case functions as the API and the CLI
(:mod:`cbec.services`); every asset comes from the package (``cbec/static``: the vendored
htmx and Apache ECharts with their versions, licences and checksums in ``vendor.json``, and
the console's own CSS and script), so the console works offline and under a strict
Content-Security-Policy with no inline script (:mod:`cbec.console.security`).
"""
