"""Reads for the public site: what anyone may see of an organization and its groups."""

from django.db.models import Q, QuerySet
from django.http import Http404

from kreds.groups.models import Group, GroupStatus
from kreds.meetings.models import Venue
from kreds.organizations.models import AgeBand, Organization, Topic

# The database form of `Group.is_joinable`: forming, or open for newcomers and not ended.
JOINABLE = Q(status=GroupStatus.FORMING) | (
    Q(is_open_for_newcomers=True) & ~Q(status=GroupStatus.ENDED)
)


def listed_organizations() -> QuerySet[Organization]:
    """Every organization on this installation; the organization is not tenant-owned."""
    return Organization.objects.order_by("name")


def joinable_groups(
    organization: Organization,
    *,
    topic: Topic | None = None,
    age_band: AgeBand | None = None,
    municipality: str = "",
) -> QuerySet[Group]:
    """Groups a person may ask to join, optionally narrowed; ordered by topic, then name."""
    groups = Group.objects.filter(JOINABLE, organization=organization)
    if topic is not None:
        groups = groups.filter(topic=topic)
    if age_band is not None:
        groups = groups.filter(age_band=age_band)
    if municipality:
        groups = groups.filter(venue__municipality=municipality)
    return groups.select_related("organization", "topic", "age_band", "venue").order_by(
        "topic__position", "topic_id", "name", "id"
    )


def joinable_group_or_404(organization: Organization, pk: int) -> Group:
    """One joinable group of this organization; 404 when missing, closed, ended or not ours."""
    group = joinable_groups(organization).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def venue_municipalities(organization: Organization) -> list[str]:
    """The municipalities the organization's rooms are in, each once, sorted."""
    return list(
        Venue.objects.filter(organization=organization)
        .exclude(municipality="")
        .order_by("municipality")
        .values_list("municipality", flat=True)
        .distinct()
    )
