"""agreement: contracts ready to sign, as DOCX and PDF, from a small parameter file."""

__version__ = "0.1.0"
