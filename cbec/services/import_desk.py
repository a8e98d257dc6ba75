"""Use cases of the console's import desk: an operator uploads a CSV or XLSX file, maps its
headers to cbec's columns, sees every error of every row, corrects rows in the page, and
files the good documents — through the same checks and chunked batches as an API import
(:mod:`cbec.services.imports`), all or nothing, idempotent by natural key.

Between the steps the upload is a *draft* held in the database, not in the browser nor in
the web process: a draft must survive a reload, a second tab, another worker process behind
the same load balancer, and a restart, and a web process's memory has none of that. Its
rows carry buyers' names, phones and ID numbers, so the draft's content is sealed by the
runtime's vault (AES-256-GCM or SM4-GCM under the data key ring, bound to the draft's id as
associated data — :meth:`cbec.privacy.vault.Vault.seal_value`), as documents' personal
fields are;
only the kind, the state and counters are in clear. A draft belongs to the user who
uploaded it (another user, let alone another tenant, is told it does not exist, as in the
API). :data:`LIFETIME` after the upload it can no longer be opened, whatever its state, and
the next use of the desk by anyone (or the server's sweep, once a minute) deletes it;
nothing of it becomes a document until the user submits.

Column mappings are remembered per tenant and per header row (its SHA-256): the next file
with the same headers is mapped as the tenant's operators last confirmed it.

Every document is checked in one pass and every error of it is reported: Pydantic collects
every structural error of a row (each field that is missing, malformed or out of range),
each kind's rules return all their violations, not the first, and the rules that relate
fields (a line total against its price and quantity, the amount paid against its parts) and
the parties a row names are checked even when other fields of the row are malformed
(:mod:`cbec.trade.lenient`) — only a rule over a malformed field is not, as a sum over an
amount that is not a number has no meaning. A correction does not reveal an error that was
there all along.

The desk is three modules, re-exported here for its adapters: the drafts and their mapping
(:mod:`cbec.services.import_desk_drafts`), the review of a draft's documents
(:mod:`cbec.services.import_desk_review`) and the import with the templates
(:mod:`cbec.services.import_desk_run`).
"""

from cbec.services.import_desk_drafts import (
    DONE,
    FAILED,
    IMPORTING,
    LIFETIME,
    MAPPING,
    MAX_ROWS,
    READY,
    STALE_AFTER,
    fix_rows,
    header_hash,
    importable,
    list_drafts,
    mapping_file,
    may_import,
    now,
    set_mapping,
    stage_upload,
    sweep,
)
from cbec.services.import_desk_review import rejects_file, review
from cbec.services.import_desk_run import run_import, start_import, template

__all__ = [
    "DONE",
    "FAILED",
    "IMPORTING",
    "LIFETIME",
    "MAPPING",
    "MAX_ROWS",
    "READY",
    "STALE_AFTER",
    "fix_rows",
    "header_hash",
    "importable",
    "list_drafts",
    "mapping_file",
    "may_import",
    "now",
    "rejects_file",
    "review",
    "run_import",
    "set_mapping",
    "stage_upload",
    "start_import",
    "sweep",
    "template",
]
