"""The team server's store: accounts, contracts and their versions, approvals, the audit log.

A front door above the library, beside the CLI and the web app: it imports
the pipeline, the pipeline never imports it.  Modules, one concern each:
``database`` (which database, migrations, transactions), ``roles`` (who may
do what), ``accounts``, ``contracts``, ``files`` (final or draft downloads),
``audit``, ``backup``.  SQLAlchemy is imported only by commands that open a
store.
"""
