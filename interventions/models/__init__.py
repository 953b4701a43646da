from interventions.models.calendar_feeds import FeedToken, ReminderSent
from interventions.models.change_log import ChangeLog
from interventions.models.change_requests import ChangeRequest
from interventions.models.comments import Comment
from interventions.models.data_version import DataVersion
from interventions.models.delegations import Delegation
from interventions.models.evidence import Evidence
from interventions.models.intervention import Authority, Intervention, Theme
from interventions.models.measures import Measure, MeasureReading
from interventions.models.people import Appointment, Person
from interventions.models.period_updates import ProgrammeUpdate
from interventions.models.plan import Milestone, Plan, Programme, StrategicAim
from interventions.models.risks import Mitigation, Risk

__all__ = [
    "ChangeLog",
    "ChangeRequest",
    "Comment",
    "DataVersion",
    "Delegation",
    "Evidence",
    "FeedToken",
    "ReminderSent",
    "ProgrammeUpdate",
    "Appointment",
    "Authority",
    "Intervention",
    "Measure",
    "MeasureReading",
    "Milestone",
    "Mitigation",
    "Person",
    "Plan",
    "Programme",
    "Risk",
    "StrategicAim",
    "Theme",
]
