"""The parameter file a PDF/A contract carries: the final parameters, as YAML.

Every key is written, ``null`` included, so the file read back over any
``--base`` files overrides all of them and gives the same parameters, hence
the same fingerprint and the same PDF bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from ..params import Parameters

#: The attachment's file name inside the PDF.
NAME = "agreement-parameters.yaml"
DESCRIPTION = "The parameter file this contract was generated from (agreement generate)"
MEDIA_TYPE = "application/yaml"


def parameter_file(params: Parameters) -> str:
    """The final parameters as a YAML parameter file, with a header saying what it is."""
    agreement = params.agreement
    body = yaml.safe_dump(agreement.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=1000)
    return f"# {agreement.contract_no}: the final parameters of this contract (agreement params)\n{body}"
