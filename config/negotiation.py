"""Content negotiation for views that only ever answer JSON."""

from rest_framework.negotiation import DefaultContentNegotiation


class JsonOnlyNegotiation(DefaultContentNegotiation):
    """Pick the view's first renderer without parsing the Accept header.

    The API renders only JSON, so reading Accept changes nothing but a 406 for clients that
    ask for something else; on the resolve path parsing it was a tenth of the request's time.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type
