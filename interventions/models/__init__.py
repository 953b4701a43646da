from interventions.models.intervention import Authority, Intervention, Theme
from interventions.models.people import Appointment, Person
from interventions.models.plan import Milestone, Plan, Programme, StrategicAim

__all__ = [
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
