"""Use cases: every operation cbec offers, one function each, under every adapter.

The HTTP API (:mod:`cbec.api`), the command line (:mod:`cbec.cli`) and the web console are
thin adapters over these functions, after the service layer of *Architecture Patterns with
Python* (Percival & Gregory, ch. 4–6). The conventions, which every module here follows:

- **Signature.** ``def operation(uow: UnitOfWork, caller: Viewer, request: XRequest) -> XResult``.
  ``uow`` arrives unentered; the use case enters it (``with uow.writing():`` to write,
  ``with uow:`` to read) and commits — nothing is acknowledged before the commit returns.
  Collaborators other than the database come on the unit of work: ``uow.vault`` (field
  encryption), ``uow.ledger`` (the evidence log), ``uow.settings``.
  A pure computation that reads nothing stored and needs no permission (a tax assessment, a
  landed-cost quote, a replenishment suggestion) takes only its request, so the command line
  can run it without a database; operator commands (:mod:`.admin`) have no caller but the
  operator who holds the database.
- **Typed.** Requests and results are Pydantic models (the API shows them in OpenAPI; the
  CLI builds the same request from its options). Bounds live on the model fields
  (``Field(ge=…, le=…)``, ``max_length``), so a value that reaches SQL is always in range.
- **Errors.** Only cbec's error family (:mod:`cbec.errors`) leaves a use case: capabilities
  subclass ``BadRequest``, ``NotFound``, ``Forbidden``, ``Conflict`` or ``DocumentInvalid``
  and name the field and the rule; adapters map the family to a status or exit code.
- **Everything an operation must do happens here**: the permission check, the evidence
  append, the commit. An adapter only translates (HTTP/CLI/console ↔ request/result).
"""
