"""The person a document is about (its buyer or payer, by ID) as a keyed reference
(``documents.subject_ref``), and the filer's key for each person of a chunk: what data
subject requests find a person by and what erasing them shreds (PIPL Art. 47)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from cbec.privacy.vault import PersonKey, Vault
from cbec.tenancy.access import Viewer
from cbec.trade.kinds import Kind


def subject_ref_of(vault: Vault, id_type: str, id_number: str) -> str:
    """The keyed reference of the person of an ID (``documents.subject_ref``)."""
    number = id_number.strip()
    if id_type == "resident_id":
        number = number.upper()  # GB 11643's check character X, however it was typed
    return vault.blind_index("subject", f"{id_type}:{number}")


def person_of(doc: BaseModel) -> tuple[str, str] | None:
    """(ID type, ID number) of the person ``doc`` is about — its buyer's, else its payer's
    — or None when it names no ID."""
    person = getattr(doc, "buyer", None) or getattr(doc, "payer", None)
    if person is None or person.id_number is None:
        return None
    return person.id_type, person.id_number


def subject_ref(vault: Vault, kind: Kind, doc: BaseModel) -> str | None:
    person = person_of(doc)
    return subject_ref_of(vault, *person) if person is not None else None


def subjects_and_keys(
    vault: Vault,
    viewer: Viewer,
    persons: dict[int, tuple[str, str] | None],
    at: datetime,
) -> tuple[dict[int, str | None], dict[str, PersonKey]]:
    """Each document's person (keyed reference, from its :func:`person_of`) and the filer's
    key for each person, made for those it has none for yet (in one query for the chunk)."""
    subjects = {i: subject_ref_of(vault, *p) if p is not None else None for i, p in persons.items()}
    refs = {r for r in subjects.values() if r}
    if not refs or vault.persons is None:
        return subjects, {}
    return subjects, vault.persons.for_subjects(viewer.tenant_id, refs, at)
