"""How a DOCX lets its recipient edit it: a render option of the DOCX writer.

Kept apart from the writer (and free of python-docx) so that the pipeline,
the CLI and the web app can name it without loading the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .protection import check_password, protection_attributes


@dataclass(frozen=True)
class Editing:
    """``track_changes`` opens the DOCX with change tracking on (``w:trackRevisions``);
    ``protect_tracking`` also protects it so that only tracked changes can be made
    (``w:documentProtection w:edit="trackedChanges"``): a guard against accidents, not
    security, and it implies ``track_changes``.  ``password`` (never printed: left out of
    the repr) is the one Word asks for to lift the protection; it implies ``protect_tracking``.
    """

    track_changes: bool = False
    protect_tracking: bool = False
    #: The name on the tracked changes and comments a redline carries.
    author: str = "合同生成系统"
    password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.password is not None:
            check_password(self.password)

    @property
    def protected(self) -> bool:
        return self.protect_tracking or self.password is not None

    @property
    def tracked(self) -> bool:
        return self.track_changes or self.protected

    def label(self, fingerprint: str) -> str:
        """A short name for a batch manifest: the same rows with other editing give other bytes.

        With a password, the contract's protection hash (as in its DOCX, which holds the
        same): another password makes the file again, and the manifest tells no more
        about the password than the DOCX does.
        """
        if self.password is not None:
            return f"protected {protection_attributes(self.password, fingerprint)['hash']}"
        return "protected" if self.protect_tracking else "tracked" if self.track_changes else ""


#: Plain editing: no tracking, no protection (the default everywhere).
UNTRACKED = Editing()
