"""`kokoro serve`: an OpenAI-compatible speech server, a thin HTTP face on the speech pipeline.

``app.create_app(settings)`` builds the FastAPI application. The modules hold one concept each:
``settings`` (what the server is told), ``schemas`` (request bodies), ``voice_spec`` (voice names
and blends as clients write them), ``encoding`` (audio formats, incremental), ``scheduler`` (the
request queue, interleaving streams chunk by chunk on one model), ``service`` (requests to
pipeline jobs), ``api_errors``, ``auth`` and ``access_log`` (HTTP plumbing; the access log also keeps the request
board, ``speech.request_board``, that the dashboard reads), and the routes, the web
page's (``routes_page``, serving ``static/``) among them.
Nothing here is imported by ``kokoro_tui`` itself or at CLI start-up: fastapi loads only to serve.
"""
