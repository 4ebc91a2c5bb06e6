from django.http import HttpResponse

from kreds.core.access import staff_required


def public_detail(request, org, pk):
    return HttpResponse("stub")


@staff_required
def manage_list(request, org):
    return HttpResponse("stub")


manage_create = manage_list


@staff_required
def manage_detail(request, org, pk):
    return HttpResponse("stub")


manage_edit = manage_detail
