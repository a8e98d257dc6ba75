"""Trade documents of a CBEC sale — order, payment, waybill — and the seller's product catalog.

Each document module holds a Pydantic model (structure) and a ``check`` function (the
business rules that need several fields at once). Neither imports a web or database layer.
"""
