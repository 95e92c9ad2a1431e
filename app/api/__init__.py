"""All of HTTP: the application (:mod:`app.api.main`), its routes (one module per resource in
:mod:`app.api.routes`, each parsing the request, calling one function and shaping the answer), their
dependencies, problem+json bodies, middleware, OpenAPI, uvicorn's own answers, upload limits and the
views the routes answer."""
