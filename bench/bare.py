"""The baseline for the resolve benchmark: a WSGI app that only answers 302."""


def app(environ, start_response):
    start_response("302 Found", [("Location", "/"), ("Content-Length", "0")])
    return [b""]
