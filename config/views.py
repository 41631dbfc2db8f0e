"""The bases of every API view: DRF's, without OPTIONS.

`wx.request` sends no CORS preflight and the API describes itself at /api/schema/, so OPTIONS is
not a method of any API path: it answers 405 like any other undocumented method, and `Allow`
lists only the documented ones.
"""

from rest_framework import generics, views


class _WithoutOptions:
    http_method_names = [m for m in views.APIView.http_method_names if m != "options"]


class APIView(_WithoutOptions, views.APIView):
    pass


class GenericAPIView(_WithoutOptions, generics.GenericAPIView):
    pass
