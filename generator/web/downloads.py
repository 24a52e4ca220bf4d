"""A validated contract as a downloaded file: the same bytes as ``agreement generate``.

PDF and DOCX are made by the render pool; HTML (light work) in a thread;
the YAML is the client file: only what differs from the server's bases.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..output import safe_stem
from ..pipeline import Options, Prepared, build, render
from .app import Web
from .contract import Evaluation
from .form import client_tree, client_yaml
from .options import RenderChoices
from .rendering import QueueFull

MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}
#: The page's download buttons, in order: format and label (a redline, say, is one more entry here
#: and in ``MEDIA``, and a branch in ``download``).
BUTTONS = (("pdf", "下载 PDF"), ("docx", "下载 DOCX"), ("yaml", "下载参数文件 YAML"))
#: Seconds a client is asked to wait when the render queue is full.
RETRY_AFTER = 2


def _html(prepared: Prepared, options: Options) -> bytes:
    return render(build(prepared, options), ("html",), prepared.library.roots)["html"]


async def download(web: Web, evaluation: Evaluation, fmt: str, choices: RenderChoices) -> Response:
    """The file of a valid contract in ``fmt``, as an attachment named after its contract number."""
    assert evaluation.prepared is not None, "download of an invalid contract"
    site = web.site
    options = site.options(choices)
    if fmt == "yaml":
        data = client_yaml(client_tree(evaluation.layer.tree, site.base_tree()), site.base_names).encode()
    elif fmt == "html":
        data = await run_in_threadpool(_html, evaluation.prepared, options)
    else:
        try:
            data = await web.pool.render(site.layers(evaluation.layer), options, fmt)
        except QueueFull:
            return JSONResponse(
                {"detail": "every render worker is busy; try again shortly"},
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER)},
            )
    name = f"{safe_stem(evaluation.prepared.params.agreement.contract_no)}.{fmt}"
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})
