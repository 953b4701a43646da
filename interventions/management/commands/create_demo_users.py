"""manage.py create_demo_users SLUG — one sign-in per role, for trying Stocktake out."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from interventions.access import roles
from interventions.models import Intervention, Person
from interventions.models.base import set_change_reason

DEMO_USERS = [
    ("officer", roles.COUNCIL_OFFICER, "Demo council officer"),
    ("improvement", roles.IMPROVEMENT_TEAM, "Demo improvement team member"),
    # The oversight is named as the intervention's model names it ("Demo Commissioner").
    ("envoy", roles.OVERSIGHT, "Demo {oversight}"),
    ("board", roles.BOARD_MEMBER, "Demo Board member"),
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
            self.stdout.write(f"  {role:<18} username: {username:<12} password: {password}")
