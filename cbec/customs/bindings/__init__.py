"""Python bindings generated from the official GACC CBEC 202205 XSDs by xsdata.

Generated, not hand-written — do not edit. To regenerate after a schema change::

    xsdata generate cbec/customs/xsd/ceb_import_202205.xsd \\
        --package cbec.customs.bindings.ceb_import --structure-style single-package
    xsdata generate cbec/customs/xsd/ceb_export_202205.xsd \\
        --package cbec.customs.bindings.ceb_export --structure-style single-package

Every field keeps the schema's name, order, cardinality and length facets (``metadata``)
and its documentation (in Chinese, as published), and amounts are ``Decimal``.
"""
