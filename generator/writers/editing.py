"""How a DOCX lets its recipient edit it: a render option of the DOCX writer.

Kept apart from the writer (and free of python-docx) so that the pipeline,
the CLI and the web app can name it without loading the writer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Editing:
    """``track_changes`` opens the DOCX with change tracking on (``w:trackRevisions``);
    ``protect_tracking`` also protects it so that only tracked changes can be made
    (``w:documentProtection w:edit="trackedChanges"``, no password): a guard against
    accidents, not security, and it implies ``track_changes``.
    """

    track_changes: bool = False
    protect_tracking: bool = False
    #: The name on the tracked changes and comments a redline carries.
    author: str = "合同生成系统"

    @property
    def tracked(self) -> bool:
        return self.track_changes or self.protect_tracking

    @property
    def label(self) -> str:
        """A short name for a batch manifest: the same rows with other editing give other bytes."""
        return "protected" if self.protect_tracking else "tracked" if self.track_changes else ""


#: Plain editing: no tracking, no protection (the default everywhere).
UNTRACKED = Editing()
