from django.http import HttpResponse


def organizations(request):
    return HttpResponse("stub")


home = what_is = how_it_works = find_group = contact = lambda request, org: HttpResponse("stub")  # noqa: E731
