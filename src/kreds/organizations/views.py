from django.http import HttpResponse

from kreds.core.access import admin_required, staff_required


@staff_required
def manage_dashboard(request, org):
    return HttpResponse("stub")


topic_list = topic_create = age_band_list = age_band_create = people_list = manage_dashboard


@staff_required
def topic_edit(request, org, pk):
    return HttpResponse("stub")


age_band_edit = topic_edit
settings_edit = admin_required(manage_dashboard)
