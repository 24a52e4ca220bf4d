"""Batch generation: one contract per row of a spreadsheet, in a process pool.

``table`` reads the rows, ``rows`` turns a row into a parameter layer,
``naming`` gives each contract a safe and unique file name, ``manifest``
remembers what was made so a re-run continues where the last one stopped,
and ``run`` maps the single-contract pipeline over the rows.
"""
