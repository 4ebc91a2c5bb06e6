"""Reading the audit log: one organization at a time, filtered and paged."""

import datetime as dt

from django.utils import timezone

from kreds.audit import queries
from kreds.audit.models import AuditEvent
from kreds.audit.services import record_change
from tests import factories as f


def event(organization, obj, action="group.updated", actor=None) -> AuditEvent:
    return record_change(organization=organization, actor=actor, action=action, obj=obj, changes={})


def event_at(organization, obj, at: dt.datetime) -> AuditEvent:
    """An event with a chosen time (rows cannot be changed afterwards on PostgreSQL)."""
    return AuditEvent.objects.create(
        organization=organization,
        action="group.updated",
        object_type="groups.group",
        object_id=str(obj.pk),
        created_at=at,
    )


def test_events_for_lists_only_the_organizations_own_events(
    organization, other_organization, group
):
    ours = event(organization, group)
    other_group = f.GroupFactory(organization=other_organization)
    event(other_organization, other_group)
    assert list(queries.events_for(organization).object_list) == [ours]


def test_events_for_filters_by_action_and_actor(organization, group, coordinator, org_admin):
    updated = event(organization, group, action="group.updated", actor=coordinator)
    event(organization, group, action="group.ended", actor=coordinator)
    event(organization, group, action="group.updated", actor=org_admin)
    page = queries.events_for(organization, action="group.updated", actor=coordinator)
    assert list(page.object_list) == [updated]


def test_events_for_pages_newest_first(organization, group):
    events = [event(organization, group) for _ in range(5)]
    first = queries.events_for(organization, per_page=2)
    last = queries.events_for(organization, per_page=2, page=3)
    assert list(first.object_list) == events[::-1][:2]
    assert list(last.object_list) == [events[0]]
    assert first.paginator.num_pages == 3


def test_events_for_nonsense_page_gives_a_page(organization, group):
    only = event(organization, group)
    for page in ("abc", "-1", "999", None):
        assert list(queries.events_for(organization, page=page).object_list) == [only]


def test_actions_for_lists_each_action_of_the_organization_once(
    organization, other_organization, group
):
    event(organization, group, action="group.updated")
    event(organization, group, action="group.updated")
    event(organization, group, action="group.ended")
    event(
        other_organization, f.GroupFactory(organization=other_organization), action="venue.created"
    )
    assert queries.actions_for(organization) == ["group.ended", "group.updated"]


def test_events_for_date_filter_uses_whole_days_in_the_organizations_time_zone(organization, group):
    # 23:30 in Copenhagen on 1 October is 21:30 UTC: it belongs to 1 October.
    late = event_at(organization, group, dt.datetime(2026, 10, 1, 21, 30, tzinfo=dt.UTC))
    next_day = event_at(organization, group, dt.datetime(2026, 10, 1, 22, 30, tzinfo=dt.UTC))
    october_first = dt.date(2026, 10, 1)
    assert list(
        queries.events_for(organization, since=october_first, until=october_first).object_list
    ) == [late]
    assert list(queries.events_for(organization, since=dt.date(2026, 10, 2)).object_list) == [
        next_day
    ]
    assert timezone.is_aware(AuditEvent.objects.get(pk=late.pk).created_at)
