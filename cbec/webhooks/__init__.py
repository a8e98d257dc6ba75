"""Outgoing webhooks after the Standard Webhooks specification (standardwebhooks.com, v1):
the event catalogue, signing, the subscriber's URL rules and the retry schedule — pure
functions; the outbox and the deliverer are :mod:`cbec.store.webhook_store` and
:mod:`cbec.services.webhook_delivery`."""
