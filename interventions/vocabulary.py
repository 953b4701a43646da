"""What each intervention model calls its people, its main board and its reports.

The Secretary of State oversees a council through one of several models (Ministerial Envoys,
Commissioners, an Improvement and Assurance Board …). The model decides the words a page, an
email or a PDF uses for the people who oversee the council ("the Envoys", "the Commissioners"),
the name of the main board, and which reports exist and who writes them. Everything that says
one of these reaches it through the intervention (`intervention.words`), never by writing the
words itself, so that a Commissioners intervention never reads "Envoy" and an Envoys one never
reads "Commissioner".

Adding a model is one `InterventionModel` value and one entry in `VOCABULARIES` (a test checks
that every model has one).

Report kinds are named here by their stored values (`directions.choices.ReportKind`: `board`,
`sos`, `stocktake`), which are kept stable: the core cannot import the Directions' package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from interventions.choices import InterventionModel, Role

# Who writes a report: the council (its improvement team), or the people who oversee it.
COUNCIL = "council"
OVERSIGHT = "oversight"

# `ReportKind` values (stored in `Report.kind` and `ReportingDuty.report_kind`).
BOARD_REPORT = "board"
SOS_REPORT = "sos"
STOCKTAKE_REPORT = "stocktake"

# `RecommendationSource` values whose words depend on the model.
STOCKTAKE_SOURCE = "envoys_stocktake"
OVERSIGHT_SOURCE = "commissioners"


@dataclass(frozen=True)
class ReportWords:
    """One kind of report a model has: what it is called and who writes it."""

    kind: str
    label: str
    writer: str
    what: str  # what meets a reporting duty of this kind, e.g. "an issued report to the Board"

    @property
    def by_oversight(self) -> bool:
        return self.writer == OVERSIGHT


@dataclass(frozen=True)
class Vocabulary:
    """The words of one intervention model."""

    model: str
    oversight_body: str  # who oversees, as a body: "Ministerial Envoys", "Commissioners"
    oversight: str  # one of them: "Envoy", "Commissioner"
    oversight_plural: str  # in a sentence: "the Envoys", "the Commissioners"
    oversight_possessive: str  # "the Envoys'", "the Commissioners'"
    roles: dict[str, str]  # the oversight's `Role` values and their names, lead first
    main_board: str  # the default name of the main board
    main_board_short: str  # its short name where one is used ("TAB"), else ""
    reports: tuple[ReportWords, ...]
    runs_boards_they_chair: bool  # whether the oversight may run the boards its members chair
    stocktake_label: str = ""  # a recommendation source: the oversight's stocktake, if any

    @property
    def lead(self) -> str:
        """The lead role's name: "Lead Envoy", "Lead Commissioner", "Board chair"."""
        return next(iter(self.roles.values()))

    @property
    def role_names(self) -> tuple[str, ...]:
        return tuple(self.roles.values())

    @property
    def main_board_name(self) -> str:
        """The main board's name with its short name: "Transformation and Assurance Board
        (TAB)"."""
        if self.main_board_short:
            return f"{self.main_board} ({self.main_board_short})"
        return self.main_board

    @property
    def report_kinds(self) -> list[str]:
        return [report.kind for report in self.reports]

    def report(self, kind: str) -> ReportWords | None:
        return next((report for report in self.reports if report.kind == kind), None)

    def report_label(self, kind: str) -> str:
        report = self.report(kind)
        return report.label if report else kind

    def report_what(self, kind: str) -> str:
        report = self.report(kind)
        return report.what if report else "an issued report"

    def report_choices(self, kinds: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(value, label) of the model's report kinds, or of those of them in `kinds`."""
        wanted = None if kinds is None else set(kinds)
        return [
            (report.kind, report.label)
            for report in self.reports
            if wanted is None or report.kind in wanted
        ]

    def oversight_writes(self, kind: str) -> bool:
        report = self.report(kind)
        return report is not None and report.by_oversight

    @property
    def oversight_kinds(self) -> list[str]:
        return [report.kind for report in self.reports if report.by_oversight]

    def role_label(self, role: str, default: str = "") -> str:
        """The name of an appointment's role in this model."""
        return self.roles.get(role, default or role)

    def source_label(self, source: str, default: str) -> str:
        """A recommendation source's name in this model (its stocktake, its oversight)."""
        if source == STOCKTAKE_SOURCE:
            # A model without a stocktake names such a source as its oversight's report.
            return self.stocktake_label or f"{self.oversight_body}' report"
        if source == OVERSIGHT_SOURCE:
            return self.oversight_body
        return default

    def source_choices(self, choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Recommendation sources as this model names them; a stocktake only where it has
        one."""
        return [
            (value, self.source_label(value, label))
            for value, label in choices
            if value != STOCKTAKE_SOURCE or self.stocktake_label
        ]


# Where the council reports to a Board and to the Secretary of State itself (Envoys, an
# Improvement and Assurance Board), both reports are the council's and read the same.
COUNCIL_REPORTS = (
    ReportWords(
        BOARD_REPORT,
        "Delivery report to the Board",
        COUNCIL,
        "an issued delivery report to the Board",
    ),
    ReportWords(
        SOS_REPORT,
        "Report to the Secretary of State",
        COUNCIL,
        "an issued report to the Secretary of State",
    ),
)

VOCABULARIES: dict[str, Vocabulary] = {
    InterventionModel.MINISTERIAL_ENVOYS: Vocabulary(
        model=InterventionModel.MINISTERIAL_ENVOYS,
        oversight_body="Ministerial Envoys",
        oversight="Envoy",
        oversight_plural="the Envoys",
        oversight_possessive="the Envoys'",
        roles={Role.LEAD_ENVOY: "Lead Envoy", Role.ENVOY: "Envoy"},
        main_board="Transformation and Assurance Board",
        main_board_short="TAB",
        reports=(
            *COUNCIL_REPORTS,
            ReportWords(
                STOCKTAKE_REPORT,
                "Envoys' stocktake",
                OVERSIGHT,
                "an issued Envoys' stocktake report",
            ),
        ),
        runs_boards_they_chair=False,  # Envoys advise; the council keeps every decision
        stocktake_label="Envoys' stocktake",
    ),
    InterventionModel.COMMISSIONERS: Vocabulary(
        model=InterventionModel.COMMISSIONERS,
        oversight_body="Commissioners",
        oversight="Commissioner",
        oversight_plural="the Commissioners",
        oversight_possessive="the Commissioners'",
        roles={
            Role.LEAD_COMMISSIONER: "Lead Commissioner",
            Role.COMMISSIONER: "Commissioner",
            Role.MANAGING_DIRECTOR_COMMISSIONER: "Managing Director Commissioner",
        },
        main_board="Improvement and Recovery Board",
        main_board_short="",
        reports=(
            # The council reports to the Commissioners at six-monthly intervals: the stored
            # kind is the council's delivery report to whoever oversees it.
            ReportWords(
                BOARD_REPORT,
                "Council's report to the Commissioners",
                COUNCIL,
                "an issued council report to the Commissioners",
            ),
            ReportWords(
                SOS_REPORT,
                "Commissioners' report to the Secretary of State",
                OVERSIGHT,
                "an issued Commissioners' report to the Secretary of State",
            ),
        ),
        runs_boards_they_chair=True,  # Commissioners hold powers of the council
    ),
    InterventionModel.IMPROVEMENT_ASSURANCE_BOARD: Vocabulary(
        model=InterventionModel.IMPROVEMENT_ASSURANCE_BOARD,
        oversight_body="Improvement and Assurance Board",
        oversight="Board member",
        oversight_plural="the Board",
        oversight_possessive="the Board's",
        roles={Role.CHAIR: "Board chair", Role.BOARD_MEMBER: "Board member"},
        main_board="Improvement and Assurance Board",
        main_board_short="IAB",
        reports=(
            *COUNCIL_REPORTS,
            ReportWords(
                STOCKTAKE_REPORT,
                "Board's report to the Minister",
                OVERSIGHT,
                "an issued Board's report to the Minister",
            ),
        ),
        runs_boards_they_chair=True,
        stocktake_label="Board's report to the Minister",
    ),
}


def words_for(model: str) -> Vocabulary:
    """The words of an intervention model (a stored `InterventionModel` value)."""
    return VOCABULARIES[model]
