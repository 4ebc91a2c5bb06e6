"""Response headers that protect personal data."""


class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a logged-in person may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
