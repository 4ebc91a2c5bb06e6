"""Form handling shared by every app's views."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

T = TypeVar("T")


def posted(request):
    """The submitted data on POST, None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def save_form(request, form, save: Callable[[dict], T], success_message: str) -> T | None:
    """Run `save(cleaned_data)` on a valid POST and return what it saved, else None.

    A rule the service refuses lands on the form, so the page shows it like any other error.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success_message)
    return saved


BIGINT = 2**63


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses ids no database column can hold.

    Django passes the posted ids straight to the query; SQLite raises OverflowError on a
    number past 64 bits. Such an id is simply not a valid choice.
    """

    def _check_values(self, value):
        for pk in value:
            try:
                if not -BIGINT <= int(pk) < BIGINT:
                    raise ValueError
            except (TypeError, ValueError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        return super()._check_values(value)
