"""Demo data for intake: municipalities, bookable venue slots, and a believable waiting list.

Called by the loader once an organization's groups exist. It draws from its own random
generator, seeded by the organization's slug, so adding it changes none of the other
demo data. About forty applications per organization: new ones, intake talks planned,
people waiting up to about 200 days, a few referred elsewhere or who declined, each with
its consent, availability and a few keep-apart pairs.
"""

import datetime as dt
import random

from kreds.demo.spec import PersonSpec
from kreds.intake.keep_apart import email_hash
from kreds.intake.models import Application, ApplicationStatus, IntakeOutcome
from kreds.organizations.models import Municipality
from kreds.people.models import Person
from kreds.privacy.models import Consent, Purpose
from kreds.privacy.services import give_consent

# (name, latitude, longitude): a point near each town hall, rounded.
MUNICIPALITIES = {
    "herning": (
        ("Herning", "56.13856", "8.97340"),
        ("Ikast-Brande", "56.13883", "9.15735"),
        ("Ringkøbing-Skjern", "56.08970", "8.24430"),
        ("Holstebro", "56.36000", "8.61600"),
        ("Viborg", "56.45200", "9.40200"),
        ("Silkeborg", "56.16970", "9.54510"),
        ("Struer", "56.49100", "8.59400"),
        ("Skive", "56.56700", "9.02700"),
        ("Billund", "55.73000", "9.11200"),
    ),
    "norge": (
        ("Oslo", "59.91273", "10.74609"),
        ("Bærum", "59.89130", "10.52600"),
        ("Asker", "59.83330", "10.43500"),
        ("Lillestrøm", "59.95600", "11.05000"),
        ("Lørenskog", "59.92800", "10.96000"),
        ("Nordre Follo", "59.71900", "10.83500"),
        ("Drammen", "59.74390", "10.20450"),
        ("Lier", "59.78300", "10.24200"),
        ("Bergen", "60.39299", "5.32415"),
        ("Trondheim", "63.43049", "10.39506"),
    ),
}

# How many applications of each kind: (status, count).
MIX = (
    (ApplicationStatus.RECEIVED, 8),
    (ApplicationStatus.TALK_PLANNED, 6),
    (ApplicationStatus.WAITING, 22),
    (ApplicationStatus.REFERRED, 3),
    (ApplicationStatus.DECLINED, 1),
)
# The first waiting applicants share a topic, an age band, evenings and a corner of the
# region, so "Propose groups" finds a group in the demo as it would in a real centre.
CLUSTER_SIZE = 7
# Where the organization runs mixed groups, the next waiting applicants are open to a
# group across topics and live in its home town, so a mixed group is proposed too.
MIXED_CLUSTER_SIZE = 6
MIXED_SLOTS = ("wed-evening", "thu-evening")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Slots a borrowed room of each kind can usually be had in; groups already there are added.
VENUE_SLOTS = {
    "own": ("mon-evening", "tue-afternoon", "tue-evening", "wed-evening", "thu-evening"),
    "library": ("tue-afternoon", "wed-afternoon", "thu-afternoon", "thu-evening"),
    "volunteer_centre": ("mon-morning", "tue-evening", "wed-morning", "thu-afternoon"),
    "municipal": ("mon-evening", "tue-evening", "wed-evening"),
    "school": ("tue-evening", "wed-evening", "thu-evening"),
}
VENUE_ROOMS = {"own": 2, "volunteer_centre": 2}
EVENINGS = ["mon-evening", "tue-evening", "wed-evening", "thu-evening"]
DAYTIME = ["mon-morning", "tue-afternoon", "wed-morning", "thu-afternoon", "fri-morning"]

FIRST_NAMES = {
    "herning": (
        ("Karen", "woman"),
        ("Niels", "man"),
        ("Lene", "woman"),
        ("Poul", "man"),
        ("Susanne", "woman"),
        ("Jesper", "man"),
        ("Hanne", "woman"),
        ("Martin", "man"),
        ("Birthe", "woman"),
        ("Peter", "man"),
        ("Lise", "woman"),
        ("Anders", "man"),
        ("Kirsten", "woman"),
        ("Morten", "man"),
        ("Ulla", "woman"),
        ("Jørgen", "man"),
        ("Mette", "woman"),
        ("Ole", "man"),
        ("Charlotte", "woman"),
        ("Kasper", "man"),
        ("Rikke", "woman"),
        ("Frederik", "man"),
        ("Sanne", "woman"),
        ("Mads", "man"),
        ("Ida", "woman"),
        ("Emil", "man"),
        ("Bente", "woman"),
        ("Erik", "man"),
        ("Signe", "woman"),
        ("Kim", ""),
        ("Vibeke", "woman"),
        ("Torben", "man"),
        ("Inger", "woman"),
        ("Svend", "man"),
        ("Julie", "woman"),
        ("Alex", ""),
        ("Marianne", "woman"),
        ("Flemming", "man"),
        ("Laura", "woman"),
        ("Bjarne", "man"),
    ),
    "norge": (
        ("Anne", "woman"),
        ("Jan", "man"),
        ("Inger", "woman"),
        ("Per", "man"),
        ("Kari", "woman"),
        ("Bjørn", "man"),
        ("Marit", "woman"),
        ("Lars", "man"),
        ("Ingrid", "woman"),
        ("Knut", "man"),
        ("Liv", "woman"),
        ("Arne", "man"),
        ("Hilde", "woman"),
        ("Geir", "man"),
        ("Randi", "woman"),
        ("Tor", "man"),
        ("Solveig", "woman"),
        ("Svein", "man"),
        ("Silje", "woman"),
        ("Eirik", "man"),
        ("Ragnhild", "woman"),
        ("Håkon", "man"),
        ("Nina", "woman"),
        ("Øyvind", "man"),
        ("Tone", "woman"),
        ("Magnus", "man"),
        ("Berit", "woman"),
        ("Stian", "man"),
        ("Astrid", "woman"),
        ("Robin", ""),
        ("Gunn", "woman"),
        ("Trond", "man"),
        ("Ida", "woman"),
        ("Even", "man"),
        ("Sigrid", "woman"),
        ("Kim", ""),
        ("Turid", "woman"),
        ("Rune", "man"),
        ("Maja", "woman"),
        ("Odd", "man"),
    ),
}
NOTES = {
    "da": (
        "Jeg kører ikke bil om aftenen, så et sted tæt på busstationen passer mig bedst.",
        "Jeg arbejder på skiftehold, men kan altid tirsdag og torsdag.",
        "Jeg har været i en gruppe før og var glad for det.",
    ),
    "nb": (
        "Jeg bruker rullestol, så jeg trenger et rom uten trapper.",
        "Jeg jobber turnus, men kan alltid på tirsdager.",
        "Jeg har gått i en gruppe før og hadde god nytte av det.",
    ),
}


def build_intake(builder) -> None:
    """Municipalities, venue slots and rooms, and the organization's applications."""
    organization = builder.organization
    rng = random.Random(f"kreds-demo-intake-{organization.slug}")  # noqa: S311 (demo data)
    municipalities = [
        Municipality.objects.create(
            organization=organization, name=name, latitude=latitude, longitude=longitude
        )
        for name, latitude, longitude in MUNICIPALITIES[organization.slug]
    ]
    _give_venues_slots(builder)
    applicants = _applicants(builder, rng)
    applications = []
    kinds = [status for status, count in MIX for _ in range(count)]
    clustered = 0
    for index, (person, status) in enumerate(zip(applicants, kinds, strict=False)):
        cluster = status == ApplicationStatus.WAITING and clustered < CLUSTER_SIZE
        clustered += cluster
        applications.append(
            _application(builder, rng, person, status, municipalities, index, cluster=cluster)
        )
    _keep_apart(applications)
    _mixed_cluster(builder, applications, municipalities)
    participant = _demo_participant(builder)
    if participant is not None:
        _application(
            builder, rng, participant, ApplicationStatus.WAITING, municipalities, 0, days=45
        )


def _mixed_cluster(builder, applications: list[Application], municipalities) -> None:
    """Make a few waiting applicants open to a mixed group, where the organization runs them.

    Its own random generator, so the rest of the demo stays as it was.
    """
    organization = builder.organization
    if not organization.offers_mixed_groups:
        return
    rng = random.Random(f"kreds-demo-mixed-{organization.slug}")  # noqa: S311 (demo data)
    waiting = [a for a in applications if a.status == ApplicationStatus.WAITING]
    low, high = builder.band_ages["adults"]
    home = municipalities[0]
    for application in waiting[CLUSTER_SIZE : CLUSTER_SIZE + MIXED_CLUSTER_SIZE]:
        person = application.person
        person.birth_year = builder.today.year - rng.randint(low + 5, min(high, low + 30))
        person.municipality = home.name
        person.save(update_fields=["birth_year", "municipality"])
        application.topic = None
        application.birth_year = person.birth_year
        application.municipality = home
        application.availability = [
            slot for slot in _week_order() if slot in {*MIXED_SLOTS, rng.choice(EVENINGS)}
        ]
        application.save(update_fields=["topic", "birth_year", "municipality", "availability"])


def _give_venues_slots(builder) -> None:
    """Each venue gets the slots rooms of its kind usually have, plus its groups' slots."""
    used: dict[str, set[str]] = {}
    for spec in builder.spec.groups:
        used.setdefault(spec.venue, set()).add(_slot_of(spec.weekday, spec.at))
    for key, venue in builder.venues.items():
        slots = set(VENUE_SLOTS.get(venue.kind, EVENINGS)) | used.get(key, set())
        venue.slots = [slot for slot in _week_order() if slot in slots]
        venue.rooms = VENUE_ROOMS.get(venue.kind, 1)
        venue.save(update_fields=["slots", "rooms"])


def _slot_of(weekday: int, at: dt.time) -> str:
    part = "morning" if at.hour < 12 else "afternoon" if at.hour < 17 else "evening"
    return f"{DAYS[weekday]}-{part}"


def _week_order() -> list[str]:
    return [f"{day}-{part}" for day in DAYS for part in ("morning", "afternoon", "evening")]


def _applicants(builder, rng: random.Random) -> list:
    """People not yet in a group (left over from the spec), then made-up applicants."""
    leftovers = [spec for people in builder.waiting.values() for spec in people]
    names = FIRST_NAMES[builder.organization.slug]
    specs = leftovers + [
        PersonSpec(f"soeger{number:02d}", name, gender)
        for number, (name, gender) in enumerate(names, start=1)
    ]
    wanted = sum(count for _status, count in MIX)
    people = []
    for spec in specs[:wanted]:
        band = _band_kind(builder, rng)
        low, high = builder.band_ages[band]
        person = builder._upsert_person(
            spec,
            birth_year=builder.today.year - rng.randint(low, high),
            municipality="",
        )
        people.append(person)
    return people


def _band_kind(builder, rng: random.Random) -> str:
    kinds = list(builder.band_ages)
    weights = [{"adults": 6, "elderly": 3, "youth": 1, "children": 0.3}.get(k, 1) for k in kinds]
    return rng.choices(kinds, weights=weights)[0]


def _application(builder, rng, person, status, municipalities, index, *, days=None, cluster=False):
    organization = builder.organization
    now = builder.now
    own = [m for m in municipalities if m.name == person.municipality]
    topics = list(builder.topics.values())
    topic = rng.choice(topics)
    availability = None
    if cluster:
        topic = topics[0]
        low, high = builder.band_ages["adults"]
        person.birth_year = builder.today.year - rng.randint(low + 5, min(high, low + 30))
        person.municipality = municipalities[index % 2].name
        person.save(update_fields=["birth_year", "municipality"])
        own = [municipalities[index % 2]]
        availability = sorted(
            {"tue-evening", "thu-evening", rng.choice(EVENINGS)}, key=_week_order().index
        )
    if own:
        municipality = own[0]
    else:
        municipality = municipalities[0] if rng.random() < 0.45 else rng.choice(municipalities)
        person.municipality = municipality.name
        person.save(update_fields=["municipality"])
    waited = days if days is not None else rng.randint(5, 200)
    waiting_since = now - dt.timedelta(days=waited, hours=rng.randint(0, 8))
    created_at = _created_at(rng, status, now, waiting_since)
    language = person.preferred_language
    consent = give_consent(
        person=person, organization=organization, purpose=Purpose.TOPIC, language=language
    )
    Consent.objects.filter(pk=consent.pk).update(given_at=created_at)
    application = Application.objects.create(
        organization=organization,
        person=person,
        topic=topic,
        birth_year=person.birth_year,
        municipality=municipality,
        availability=availability or _availability(rng, person.birth_year, builder.today.year),
        gender=person.gender,
        email_hash=email_hash(person.email),
        note=_note(rng, organization.primary_language, index),
        is_member=rng.random() < 0.7 if organization.membership_required else None,
        consent=consent,
        **_talk(rng, status, now, waiting_since, builder.today),
    )
    Application.objects.filter(pk=application.pk).update(created_at=created_at)
    return application


def _created_at(rng, status, now, waiting_since) -> dt.datetime:
    if status in (ApplicationStatus.RECEIVED, ApplicationStatus.TALK_PLANNED):
        return now - dt.timedelta(days=rng.randint(0, 21), hours=rng.randint(0, 12))
    return waiting_since - dt.timedelta(days=rng.randint(7, 28))


def _talk(rng, status, now, waiting_since, today) -> dict:
    """The intake-talk fields that go with a status."""
    if status == ApplicationStatus.RECEIVED:
        return {"status": status}
    if status == ApplicationStatus.TALK_PLANNED:
        return {"status": status, "intake_talk_on": today + dt.timedelta(days=rng.randint(1, 14))}
    outcome = {
        ApplicationStatus.WAITING: IntakeOutcome.FITS,
        ApplicationStatus.REFERRED: IntakeOutcome.REFERRED,
        ApplicationStatus.DECLINED: IntakeOutcome.DECLINED,
    }[status]
    return {
        "status": status,
        "intake_outcome": outcome,
        "intake_talk_on": waiting_since.date(),
        "waiting_since": waiting_since if status == ApplicationStatus.WAITING else None,
    }


def _availability(rng, birth_year: int, year: int) -> list[str]:
    """Working-age people mostly give evenings, older people mostly daytime."""
    usual = DAYTIME if year - birth_year >= 67 else EVENINGS
    other = EVENINGS if usual is DAYTIME else DAYTIME
    chosen = set(rng.sample(usual, rng.randint(2, len(usual))))
    if rng.random() < 0.3:
        chosen.add(rng.choice(other))
    return [slot for slot in _week_order() if slot in chosen]


def _note(rng, language: str, index: int) -> str:
    notes = NOTES.get(language, NOTES["da"])
    return notes[index % len(notes)] if index % 7 == 3 else ""


def _keep_apart(applications: list[Application]) -> None:
    """A few applicants ask not to share a group with another (an ex, a neighbour)."""
    for first, second in zip(applications[1:12:4], applications[2:13:4], strict=False):
        first.keep_apart_hashes = [second.email_hash]
        first.save(update_fields=["keep_apart_hashes"])


def _demo_participant(builder) -> Person | None:
    """The demo participant login of the organization, when it has one."""
    email = builder.spec.email("deltager")
    return Person.objects.get(email=email) if email in builder.emails else None
