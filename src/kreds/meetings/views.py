from django.http import HttpResponse

from kreds.core.access import staff_required


@staff_required
def venue_list(request, org):
    return HttpResponse("stub")


venue_create = venue_list


@staff_required
def venue_edit(request, org, pk):
    return HttpResponse("stub")
