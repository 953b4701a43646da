"""manage.py create_demo_users SLUG — one sign-in per role, for trying Stocktake out.

The demo Department user is granted the intervention named and every other intervention
shipped in `data/` that has been imported (the 2014 and 2025 Tower Hamlets interventions), so
that its portfolio has more than one row.

So that the demo officer has something of their own to update (rather than "There is nothing
for you to update"), the first programme of the plan is delegated to them: a delegation marked
as a demo, which changes nobody's real role in the data (the programme keeps its sponsor and
SRO).
"""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from interventions.access import roles
from interventions.models import Delegation, Intervention, Person, Programme
from interventions.models.base import set_change_reason

# The interventions shipped in `data/` (each file's intervention slug): the demo Department
# user is granted those that have been imported.
SHIPPED_SLUGS = ("tower-hamlets-2025", "tower-hamlets-2014")

DEMO_DELEGATION_NOTE = "Demo only: lets the demo council officer try updating a programme."

DEMO_USERS = [
    ("officer", roles.COUNCIL_OFFICER, "Demo council officer"),
    ("improvement", roles.IMPROVEMENT_TEAM, "Demo improvement team member"),
    # The oversight is named as the intervention's model names it ("Demo Commissioner").
    ("envoy", roles.OVERSIGHT, "Demo {oversight}"),
    ("board", roles.BOARD_MEMBER, "Demo Board member"),
    ("department", roles.DEPARTMENT, "Demo Department official"),
    ("admin", roles.ADMINISTRATOR, "Demo administrator"),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) one demo user per role in an intervention and print their "
        "passwords. Development only: refused unless DEBUG is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The intervention the demo users belong to.")

    @transaction.atomic
    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo users are for development only; DEBUG is off.")
        intervention = Intervention.objects.filter(slug=slug).first()
        if intervention is None:
            raise CommandError(f"No intervention with the slug {slug!r}.")
        roles.sync_groups()
        User = get_user_model()
        self.stdout.write(f"Demo users for {intervention.title} (demo only):")
        people: dict[str, Person] = {}
        for username, role, template in DEMO_USERS:
            label = template.format(oversight=intervention.words.oversight)
            password = secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = label.split(" ", 1)
            user.is_staff = role == roles.ADMINISTRATOR
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            # The person record is what lets the user see the intervention; it says it is a demo.
            person, _ = Person.objects.get_or_create(
                intervention=intervention,
                key=f"demo-{username}",
                defaults={"name": label, "post": "Demo account", "organisation": "Stocktake demo"},
            )
            if person.user_id != user.pk:
                person.user = user
                set_change_reason(person, "Demo account set up")
                person.save()
            people[username] = person
            if role == roles.DEPARTMENT:
                self._grant_shipped(intervention, user, label)
            self.stdout.write(f"  {role:<18} username: {username:<12} password: {password}")
        programme = self._delegate_to_demo_officer(intervention, people)
        if programme is not None:
            self.stdout.write(
                f"The demo council officer may update programme {programme} (a demo-only "
                "delegation); the other programmes belong to their real sponsors and SROs."
            )

    def _grant_shipped(self, intervention: Intervention, user: Any, label: str) -> None:
        """Name the Department user in the other shipped interventions too (once each)."""
        others = Intervention.objects.filter(slug__in=SHIPPED_SLUGS).exclude(pk=intervention.pk)
        for other in others:
            person, _ = Person.objects.get_or_create(
                intervention=other,
                key="demo-department",
                defaults={"name": label, "post": "Demo account", "organisation": "Stocktake demo"},
            )
            if person.user_id != user.pk:
                person.user = user
                set_change_reason(person, "Demo account set up")
                person.save()

    def _delegate_to_demo_officer(
        self, intervention: Intervention, people: dict[str, Person]
    ) -> Programme | None:
        """Delegate the plan's first open programme to the demo officer, once."""
        officer = people["officer"]
        existing = Delegation.objects.filter(person=officer, note=DEMO_DELEGATION_NOTE).first()
        if existing is not None:
            return existing.programme
        today = timezone.localdate()
        programme = (
            Programme.objects.filter(intervention=intervention)
            .open_on(today)
            .order_by("number")
            .first()
        )
        if programme is None:
            return None
        granted_by = people["improvement"].user
        assert granted_by is not None  # set in the loop above
        delegation = Delegation(
            programme=programme,
            person=officer,
            granted_by=granted_by,
            starts_on=today,
            note=DEMO_DELEGATION_NOTE,
        )
        set_change_reason(delegation, "Demo account set up")
        delegation.save()
        return programme
