"""A service's flow: the stages a person goes through, in the order the service lists them.

    flow=Flow([
        Eligibility(questions=[...], exits=[Exit("danger", answer_is("in_danger", YES), ...)]),
        ForceRouting(),                      # the postcode page; or ForceRouting(from_answer="...")
                                             # or ForceRouting(from_list=True, question=_l("..."))
        Questions(layout="straight_run"),    # or "task_list"
        CheckAnswers(),
        Declaration(),                       # the service's ``Declaration`` facts
        Payment(),                           # the service's ``fee``, by card, before it is sent
        Confirmation(notes=[Note(_l("..."), condition=answer_is(...))]),
    ])

Each stage is data; the web layer has one small handler module per kind of stage and finds the
next one from here. Whether a stage is done is worked out from a ``Progress`` (the answers, the
channel, and whether a force has been chosen), so nothing here knows about HTTP or databases.
The order is checked when the ``Service`` is built (``Flow.validate``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from webapp.channels import PAPER
from webapp.i18n import lazy_gettext as _l

from .conditions import Condition
from .fields import Label

if TYPE_CHECKING:
    from webapp.fees import Fee

    from .schema import Question, Section, Service

__all__ = [
    "CheckAnswers",
    "Confirmation",
    "Declaration",
    "Eligibility",
    "Exit",
    "Flow",
    "ForceRouting",
    "Note",
    "Payment",
    "Progress",
    "Questions",
    "Stage",
]

ELIGIBILITY_SECTION = "eligibility"


@dataclass(frozen=True)
class Progress:
    """Where a draft stands, as the flow needs to know it."""

    answers: Mapping[str, Any]
    force_chosen: bool
    channel: str | None = None
    today: date | None = None
    # The person has made the declaration and the case waits for its payment (a changed answer
    # clears this, so they declare again).
    declared: bool = False


@dataclass(frozen=True, eq=False)
class Stage:
    """One step of the flow. ``kind`` names the web layer's handler module for it."""

    kind = "stage"

    def sections(self) -> Sequence[Section]:
        """Sections of questions this stage adds to the service (only eligibility has any)."""
        return ()


@dataclass(frozen=True)
class Exit:
    """An answer that means the person cannot use the service: 'You cannot use this service
    because ``reason``', then ``instead`` (where to go: "Call 999 now")."""

    id: str
    when: Condition
    reason: Label
    instead: Sequence[Label]
    title: Label | None = None  # the page's heading; "You cannot use this service" when None


@dataclass(frozen=True, eq=False)
class Eligibility(Stage):
    """Questions asked first, one a page; an exit's answer stops the journey at its exit page."""

    questions: Sequence[Question] = ()
    exits: Sequence[Exit] = ()
    title: Label = field(default_factory=lambda: _l("Before you start"))
    kind = "eligibility"

    def __post_init__(self) -> None:
        from .schema import Section

        # The questions form a section of their own, so they are saved, checked and shown on
        # check answers like any other; the flow asks them before anything else.
        object.__setattr__(
            self, "_section", Section(ELIGIBILITY_SECTION, self.title, list(self.questions))
        )

    def sections(self) -> Sequence[Section]:
        return (self._section,)  # type: ignore[attr-defined]

    @property
    def section(self) -> Section:
        return self._section  # type: ignore[attr-defined, no-any-return]

    def exit_for(self, service: Service, progress: Progress) -> Exit | None:
        """The first exit the answers lead to, if any."""
        from .context import Context

        ctx = Context(service, progress.answers, progress.today, channel=progress.channel)
        return next((candidate for candidate in self.exits if candidate.when(ctx)), None)

    def exit(self, exit_id: str) -> Exit | None:
        return next((candidate for candidate in self.exits if candidate.id == exit_id), None)


@dataclass(frozen=True, eq=False)
class ForceRouting(Stage):
    """Which force receives the case. By default: the postcode page ("What is the postcode
    where you live?"). With ``from_answer``: the postcode in that answer (an address, or a
    postcode typed as text), routed as soon as the page holding it is saved. With
    ``from_list``: the person picks the force from the forces that offer the service, for a
    service where the force is not where one lives but who one deals with (the force one is
    paying); ``question``, ``hint`` and ``error`` are that page's words.

    ``confirm_with`` names an answer asked later (the home address) whose postcode must lie in
    the chosen force's area: when it does not, the page asking it says so and offers to change
    the force, and the case cannot be sent until they agree. It applies where the person chose
    the force from the postcode page, not where staff take an application for their own force."""

    from_answer: str | None = None
    from_list: bool = False
    confirm_with: str | None = None
    question: Label | None = None
    hint: Label | None = None
    error: Label | None = None
    kind = "force"


Layout = Literal["task_list", "straight_run"]


@dataclass(frozen=True, eq=False)
class Questions(Stage):
    """The service's sections: a task list to work through in any order, or a straight run of
    pages one after another, each with a Back link to the one before."""

    layout: Layout = "task_list"
    kind = "questions"

    @property
    def is_task_list(self) -> bool:
        return self.layout == "task_list"


@dataclass(frozen=True, eq=False)
class CheckAnswers(Stage):
    """Every answer on one page with Change links. ``title`` replaces the default heading."""

    title: Label | None = None
    kind = "check"


@dataclass(frozen=True, eq=False)
class Declaration(Stage):
    """The service's ``Declaration`` facts, a tick box and the button that sends."""

    kind = "declaration"


@dataclass(frozen=True, eq=False)
class Payment(Stage):
    """The fee the service declares (``Service.fee``), paid by card after the declaration. The
    case reaches its force only once the payment has succeeded; until then the declared draft
    waits for it ("awaiting payment"). With no fee due, or on a channel whose payment comes
    another way (a paper form), the stage is passed over and the declaration sends the case."""

    kind = "payment"

    def due(self, service: Service, progress: Progress) -> Fee | None:
        """The fee to pay by card now, or None when the stage is passed over (no fee due, or a
        paper form whose payment came with it)."""
        from .context import Context

        if service.fee is None or progress.channel == PAPER:
            return None
        ctx = Context(service, progress.answers, progress.today, channel=progress.channel)
        fee = service.fee(ctx, ctx.today)
        return fee if fee.pence > 0 else None


@dataclass(frozen=True)
class Note:
    """A paragraph of the confirmation, shown when ``condition`` holds for the sent answers."""

    text: Label
    condition: Condition | None = None


@dataclass(frozen=True, eq=False)
class Confirmation(Stage):
    """The page after sending: the reference, what happens next, and any ``notes``."""

    title: Label | None = None  # "Application sent" when None
    notes: Sequence[Note] = ()
    kind = "confirmation"

    def notes_for(
        self, service: Service, answers: Mapping[str, Any], channel: str | None = None
    ) -> list[str]:
        from .context import Context

        ctx = Context(service, answers, channel=channel)
        return [
            str(note.text) for note in self.notes if note.condition is None or note.condition(ctx)
        ]


# The order stages must keep, by kind; ForceRouting from an answer may come anywhere after the
# stage asking that answer, so it is checked on its own.
_ORDER = ("eligibility", "questions", "check", "declaration", "payment", "confirmation")
_REQUIRED = ("force", "questions", "check", "declaration", "confirmation")


@dataclass(eq=False)
class Flow:
    """A service's stages, in order."""

    stages: Sequence[Stage]

    def __iter__(self) -> Any:
        return iter(self.stages)

    def of_kind(self, kind: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.kind == kind), None)

    @property
    def eligibility(self) -> Eligibility | None:
        stage = self.of_kind("eligibility")
        return stage if isinstance(stage, Eligibility) else None

    @property
    def force_routing(self) -> ForceRouting:
        stage = self.of_kind("force")
        assert isinstance(stage, ForceRouting)
        return stage

    @property
    def questions(self) -> Questions:
        stage = self.of_kind("questions")
        assert isinstance(stage, Questions)
        return stage

    @property
    def check_answers(self) -> CheckAnswers:
        stage = self.of_kind("check")
        assert isinstance(stage, CheckAnswers)
        return stage

    @property
    def payment(self) -> Payment | None:
        stage = self.of_kind("payment")
        return stage if isinstance(stage, Payment) else None

    @property
    def confirmation(self) -> Confirmation:
        stage = self.of_kind("confirmation")
        assert isinstance(stage, Confirmation)
        return stage

    def extra_sections(self) -> list[Section]:
        return [section for stage in self.stages for section in stage.sections()]

    def index(self, stage: Stage) -> int:
        return next(
            position for position, candidate in enumerate(self.stages) if candidate is stage
        )

    def before(self, stage: Stage) -> list[Stage]:
        return list(self.stages[: self.index(stage)])

    def after(self, stage: Stage) -> Stage | None:
        position = self.index(stage) + 1
        return self.stages[position] if position < len(self.stages) else None

    def previous(self, stage: Stage) -> Stage | None:
        position = self.index(stage)
        return self.stages[position - 1] if position > 0 else None

    def stage_of_section(self, section_id: str) -> Stage:
        """Which stage asks a section: eligibility's own, else the questions stage."""
        for stage in self.stages:
            if any(section.id == section_id for section in stage.sections()):
                return stage
        return self.questions

    def validate(self, service: Service) -> None:
        """Raise ValueError for a flow that could not work: a stage missing or twice, out of
        order, or a force routed from an answer not asked before it."""
        slug = service.slug
        kinds = [stage.kind for stage in self.stages]
        for kind in set(kinds):
            if kinds.count(kind) > 1:
                raise ValueError(f"{slug}: the flow has more than one {kind!r} stage")
        for kind in _REQUIRED:
            if kind not in kinds:
                raise ValueError(f"{slug}: the flow has no {kind!r} stage")
        ordered = [kind for kind in kinds if kind in _ORDER]
        if ordered != sorted(ordered, key=_ORDER.index):
            raise ValueError(f"{slug}: the flow's stages are out of order: {' -> '.join(kinds)}")
        if kinds[-1] != "confirmation":
            raise ValueError(f"{slug}: the flow must end with the confirmation")
        if "payment" in kinds and service.fee is None:
            raise ValueError(f"{slug}: a payment stage needs the service's fee rule")
        if kinds.index("force") > kinds.index("declaration"):
            raise ValueError(
                f"{slug}: the force must be chosen before the declaration sends the case"
            )
        routing = self.force_routing
        if routing.from_list and routing.from_answer is not None:
            raise ValueError(f"{slug}: the force is chosen from a list or from an answer, not both")
        if not routing.from_list and (routing.question or routing.hint or routing.error):
            raise ValueError(f"{slug}: only a force chosen from a list has a question's words")
        if routing.confirm_with is not None and (
            routing.from_answer is not None or routing.from_list
        ):
            raise ValueError(
                f"{slug}: only a force chosen from the postcode page has an answer to confirm it"
            )
        if routing.from_answer is None:
            if kinds.index("force") > kinds.index("questions"):
                raise ValueError(f"{slug}: the force's page must come before the questions")
        else:
            self._validate_routing_answer(service, routing, routing.from_answer)
        if routing.confirm_with is not None:
            self._validate_routing_answer(service, routing, routing.confirm_with)
        eligibility = self.eligibility
        if eligibility is not None:
            own = {
                question.id
                for page in eligibility.section.pages()
                for question in page.all_questions()
            }
            for candidate in eligibility.exits:
                references = list(getattr(candidate.when, "references", lambda: ())())
                stray = [reference for reference in references if reference not in own]
                if stray:
                    raise ValueError(
                        f"{slug}: exit {candidate.id!r} reads {stray[0]!r}, not an eligibility question"
                    )
            if len({candidate.id for candidate in eligibility.exits}) != len(eligibility.exits):
                raise ValueError(f"{slug}: an exit is declared twice")
            if not eligibility.exits:
                raise ValueError(f"{slug}: eligibility questions need at least one exit")
        for note in self.confirmation.notes:
            for reference in getattr(note.condition, "references", lambda: ())():
                if reference not in service.questions:
                    raise ValueError(
                        f"{slug}: a confirmation note reads unknown question {reference!r}"
                    )

    def _validate_routing_answer(
        self, service: Service, routing: ForceRouting, answer: str
    ) -> None:
        """The answer the force is routed from (or confirmed with) holds a postcode, once."""
        ref = service.questions.get(answer)
        if ref is None:
            raise ValueError(
                f"{service.slug}: the force is routed from unknown question {answer!r}"
            )
        if ref.group is not None:
            raise ValueError(
                f"{service.slug}: the force cannot be routed from an item of a repeating group"
            )
        if not ref.question.field.holds_postcode:
            raise ValueError(
                f"{service.slug}: the force is routed from {answer!r}, which holds no postcode"
            )
        if answer == routing.from_answer:
            asking = self.stage_of_section(service.pages[ref.page.id].section.id)
            if self.index(asking) > self.index(routing):
                raise ValueError(
                    f"{service.slug}: the force is routed from an answer asked after it"
                )


def application_flow() -> Flow:
    """The flow of an application as the platform first built it: the postcode page, a task
    list, check answers, the declaration and the confirmation."""
    return Flow(
        [
            ForceRouting(),
            Questions(layout="task_list"),
            CheckAnswers(),
            Declaration(),
            Confirmation(),
        ]
    )
