"""`{% my_offers %}`: the person's open offers with yes/no buttons, for "my page"."""

from django import template

from kreds.meetings.slots import slot_label
from kreds.placement.queries import open_offers_for_person

register = template.Library()


@register.inclusion_tag("placement/_my_offers.html", takes_context=True)
def my_offers(context):
    request = context["request"]
    offers = open_offers_for_person(request.user) if request.user.is_authenticated else []
    for offer in offers:
        offer.slot_label = slot_label(offer.group.meeting_slot)
    return {"offers": offers, "request": request, "csrf_token": context.get("csrf_token")}
