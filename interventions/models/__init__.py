from interventions.models.deadlines import FeedToken, ReminderSent
from interventions.models.intervention import Authority, Intervention, Theme
from interventions.models.people import Appointment, Person
from interventions.models.plan import Milestone, Plan, Programme, StrategicAim
from interventions.models.updates import (
    ChangeRequest,
    Comment,
    Delegation,
    Evidence,
    ProgrammeUpdate,
)

__all__ = [
    "ChangeRequest",
    "Comment",
    "Delegation",
    "Evidence",
    "FeedToken",
    "ReminderSent",
    "ProgrammeUpdate",
    "Appointment",
    "Authority",
    "Intervention",
    "Milestone",
    "Person",
    "Plan",
    "Programme",
    "StrategicAim",
    "Theme",
]
