"""The public page of one group, for anyone thinking of joining it."""

from django.http import Http404
from django.shortcuts import render

from kreds.public.queries import joinable_group_or_404


def public_detail(request, org, pk):
    """A joinable group of this organization; never who is in it."""
    if request.organization is None:
        raise Http404
    group = joinable_group_or_404(request.organization, pk)
    return render(request, "groups/public_detail.html", {"group": group})
