"""``agreement serve``: the web page for sales and the JSON API, a front door onto the same pipeline.

Imported only by the ``serve`` command (FastAPI and uvicorn load with it).
``create_app(settings)`` in ``app`` builds the application; ``contract``
runs the library's pipeline for one request, ``rendering`` the warm worker
pool, ``security`` the access rules, ``pages`` and ``api`` the routes.
"""
