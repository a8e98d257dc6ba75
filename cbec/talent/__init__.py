"""Talent sharing (issue #20, part 4): expert profiles, projects posted by SMEs, an explainable
match between them, and engagements with deliverables, a rating and their cost against a
full-time hire. Pure core: no web, no database."""
