"""Error pages, rendered in the visitor's language inside the normal layout."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def csrf_failure(request, reason=""):
    return render(request, "core/error.html", {"status": 403}, status=403)


def too_many_requests(request, exception=None):
    """allauth's answer to too many attempts (login, reset): recorded, then the calm page."""
    from kreds.audit.sign_in_events import record_rate_limited

    record_rate_limited(request)
    return render(request, "core/error.html", {"status": 429}, status=429)
