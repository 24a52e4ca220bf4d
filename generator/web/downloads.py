"""A validated contract as a downloaded file: the same bytes as ``agreement generate`` or ``diff``.

PDF, DOCX and the redlines are made by the render pool; HTML (light work)
in a thread; the YAML is the client file: only what differs from the
server's bases (render options are not parameters: the page shows the
command line that makes the same files from it).
"""

from __future__ import annotations

import shlex
from urllib.parse import quote

from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import RenderError
from ..output import safe_stem
from ..pipeline import Options, Prepared, build, render
from .app import Web
from .contract import Evaluation, Site
from .form import client_tree, client_yaml
from .options import RenderChoices
from .rendering import QueueFull, WorkerLost

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {
    "pdf": "application/pdf",
    "docx": DOCX,
    "html": "text/html; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
    "redline.docx": DOCX,
    "redline.pdf": "application/pdf",
}
#: The redlines against the standard, by download, and the format ``agreement diff`` writes them in.
REDLINES = {"redline.docx": "docx", "redline.pdf": "pdf"}
#: The page's download buttons, in order: format, label, and the part of the page that shows it
#: (the download bar, or the deviation panel for the redlines).
BUTTONS = (
    ("pdf", "下载 PDF", "downloads"),
    ("docx", "下载 DOCX", "downloads"),
    ("yaml", "下载参数文件 YAML", "downloads"),
    ("redline.docx", "下载修订稿 DOCX（可逐条接受/拒绝）", "deviation"),
    ("redline.pdf", "下载修订稿 PDF", "deviation"),
)
#: Seconds a client is asked to wait when the render queue is full.
RETRY_AFTER = 2


def _html(prepared: Prepared, options: Options) -> bytes:
    return render(build(prepared, options), ("html",), prepared.library.roots)["html"]


async def download(web: Web, evaluation: Evaluation, fmt: str, choices: RenderChoices) -> Response:
    """The file of a valid contract in ``fmt``, as an attachment named after its contract number.

    A redline takes no render option, as ``agreement diff`` has none.
    """
    assert evaluation.prepared is not None, "download of an invalid contract"
    site = web.site
    options = site.options(choices)
    if fmt == "yaml":
        data = client_yaml(client_tree(evaluation.layer.tree, site.base_tree()), site.base_names).encode()
    elif fmt == "html":
        data = await run_in_threadpool(_html, evaluation.prepared, options)
    else:
        layers = site.layers(evaluation.layer)
        try:
            if fmt in REDLINES:
                plain = site.options(RenderChoices())
                origin = evaluation.layer.origin
                data = await web.pool.redline(list(site.bases), layers, plain, REDLINES[fmt], origin)
            else:
                data = await web.pool.render(layers, options, fmt)
        except (QueueFull, WorkerLost) as busy:
            reason = "is busy" if isinstance(busy, QueueFull) else "stopped unexpectedly"
            return JSONResponse(
                {"detail": f"every render worker {reason}; try again shortly"},
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        except RenderError as error:
            # The pipeline could not make the file (say, Graphviz missing on the server): the
            # message, as the CLI prints it, and nothing half-made.
            return JSONResponse({"detail": str(error)}, status_code=500)
    name = file_name(evaluation.prepared.params.agreement.contract_no, fmt)
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})


def file_name(contract_no: str, fmt: str) -> str:
    """A download's name: the contract number made safe, then the format (``HX-1.redline.pdf``)."""
    return f"{safe_stem(contract_no)}.{fmt}"


def command_lines(site: Site, contract_no: str, choices: RenderChoices) -> dict[str, str]:
    """The command lines that make the page's files from its downloaded YAML, by the part of the
    page showing them: ``agreement generate`` with the ticked options, ``agreement diff`` for the
    redlines (only over a ``--base`` file: ``diff`` needs the standard as a file)."""
    client = shlex.quote(file_name(contract_no, "yaml"))
    bases = [shlex.quote(name) for name in site.base_names]
    generate = ["agreement generate", client, *(f"--base {b}" for b in bases), *choices.cli]
    lines = {"downloads": " ".join(generate)}
    if bases:
        diff = ["agreement diff", bases[-1], client, *(f"--base {b}" for b in bases[:-1])]
        lines["deviation"] = "\n".join(
            " ".join([*diff, f"--format {kind}", "-o", shlex.quote(file_name(contract_no, fmt))])
            for fmt, kind in REDLINES.items()
        )
    return lines
