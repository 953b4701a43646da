"""The six roles, as groups with model permissions.

The oversight role (`OVERSIGHT`) is the Envoys of a Ministerial Envoys intervention, the
Commissioners of a Commissioners one, and so on.

Model permissions say what kind of thing a role may change; which intervention's rows it may
see is decided by `Intervention.objects.visible_to(user)` (a user sees the interventions in
which they are a named person; administrators see all).

The Department (`DEPARTMENT`) is the Ministry's team that oversees many interventions at once:
it is granted an intervention as everyone is, by being named in it (a `Person`), reads it and
nothing more, and sees the interventions it is granted side by side on the portfolio
(`interventions.portfolio`). It never reads what is not yet the council's or the oversight's
to show: draft reports (`reports.permissions.readable`), exempt papers and responses not yet
published (`boards.permissions`); nor does it comment or challenge
(`permissions.can_comment`).
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

COUNCIL_OFFICER = "Council officer"
IMPROVEMENT_TEAM = "Improvement team"
# The people who oversee the council for the Secretary of State, in any model: Envoys,
# Commissioners, an Improvement and Assurance Board's members. The group keeps its first name,
# which users never see: what they are called comes from the intervention's model
# (`interventions.vocabulary`, `permissions.role_name_in`).
ENVOY = "Envoy"
OVERSIGHT = ENVOY
BOARD_MEMBER = "Board member"
ADMINISTRATOR = "Administrator"
DEPARTMENT = "Department"

READ_APPS = ("interventions", "directions", "boards")

# (app label, model) pairs each role may add and change, beyond reading everything: the model
# permissions Django (and its admin) sees. Which rows a person may change is decided on the
# server by `interventions.access.permissions`, for every change, whatever these say.
CHANGES: dict[str, list[tuple[str, str]]] = {
    COUNCIL_OFFICER: [("interventions", "programme"), ("interventions", "milestone")],
    IMPROVEMENT_TEAM: [
        ("interventions", "plan"),
        ("interventions", "strategicaim"),
        ("interventions", "programme"),
        ("interventions", "milestone"),
        ("interventions", "person"),
        ("interventions", "appointment"),
        ("directions", "direction"),
        ("directions", "intervalvariation"),
        ("boards", "board"),
        ("boards", "boardmembership"),
        ("boards", "meeting"),
        ("boards", "recommendation"),
    ],
    ENVOY: [],
    BOARD_MEMBER: [],
    DEPARTMENT: [],
}

ROLE_NAMES = [COUNCIL_OFFICER, IMPROVEMENT_TEAM, ENVOY, BOARD_MEMBER, DEPARTMENT, ADMINISTRATOR]


def sync_groups() -> None:
    """Create the role groups and give each exactly its permissions (safe to run again)."""
    # Permissions are normally created app by app after migrate; make sure all exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    domain = Permission.objects.filter(content_type__app_label__in=READ_APPS)
    views = domain.filter(codename__startswith="view_")
    for name in ROLE_NAMES:
        group, _ = Group.objects.get_or_create(name=name)
        if name == ADMINISTRATOR:
            group.permissions.set(Permission.objects.all())
            continue
        changes = [
            permission
            for app_label, model in CHANGES[name]
            for permission in domain.filter(
                content_type__app_label=app_label,
                codename__in=[f"add_{model}", f"change_{model}"],
            )
        ]
        group.permissions.set(list(views) + changes)
