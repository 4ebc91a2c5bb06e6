"""Template helpers shared by every app."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(value):
    """Render an i18nfield value in the active language, falling back sensibly."""
    if value is None:
        return ""
    localize = getattr(value, "localize", None)
    return localize(get_language()) if localize else str(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for filters and paging)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter(name="slot_label")
def slot_label_filter(slot_id):
    """`tue-evening` as "Tuesday evening" in the active language."""
    from kreds.meetings.slots import slot_label

    return slot_label(slot_id or "")
