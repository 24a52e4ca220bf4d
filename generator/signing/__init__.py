"""Digital signing: signature fields, PAdES signatures, verification, PDF/A-3 with its parameters.

``fields``, ``pdfa`` and ``embedded`` are light (the PDF writer and the
pipeline use them while a contract is made); ``sign``, ``verify`` and
``extract`` import pyHanko, and only the commands that need it import them.
"""
