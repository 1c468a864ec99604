"""The declarative shape of a public service: sections of pages of questions.

A service file builds one ``Service`` from these classes and nothing else:

    Section("about_you", _l("About you"), [
        Question("surname", _l("What is your surname?"), Name(autocomplete="family-name")),
        Page("phone_numbers", [home_phone, mobile_phone], title=_l("Your phone numbers")),
        RepeatingGroup("other_names", ..., condition=answer_is("has_other_names", YES)),
    ], depends_on=["application"])

A bare ``Question`` in a section is a page with one question (the GOV.UK default: one thing per
page); the page takes the question's id. Ids are unique across the whole service, because they
are URL slugs, form field names and keys in the stored answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import date
from typing import TYPE_CHECKING, Any

from webapp.i18n import gettext
from webapp.i18n import lazy_gettext as _l

from .conditions import AnswerIs, Condition, all_of, answer_is, any_of, channel_is, not_
from .fields import Field, Label, YesNo
from .finding import Proof, SearchKeys
from .flow import Flow, application_flow
from .guide import Guide, GuidePart
from .workflow import Workflow

if TYPE_CHECKING:
    from webapp.fees import Fee

    from .context import Context
    from .prices import PriceList

__all__ = [
    "AnswerIs",
    "ByPost",
    "Condition",
    "Declaration",
    "Guide",
    "GuidePart",
    "Page",
    "Question",
    "RepeatingGroup",
    "Rule",
    "Section",
    "Service",
    "StartInfo",
    "all_of",
    "answer_is",
    "any_of",
    "channel_is",
    "not_",
]


@dataclass(eq=False)
class Question:
    """One answer. ``name`` is the short noun used in errors and on check answers ("Date of birth");
    ``error`` replaces the default message for a missing answer ("Select your gender").

    ``optional_for`` names channels in which the question may be left empty (an email address
    when staff take an application from a caller who has none); there ``optional_hint``, when
    given, replaces the hint, to say what leaving it empty means.

    An ``optional`` question's label says "(optional)", as GOV.UK asks, unless ``say_optional`` is
    False: only for a page whose body asks for at least one of its optional questions (phone
    numbers), where "(optional)" on each would read as if none were needed.
    """

    id: str
    label: Label
    field: Field
    hint: Label | None = None
    name: Label | None = None
    error: Label | None = None
    optional: bool = False
    condition: Condition | None = None
    optional_for: tuple[str, ...] = ()
    optional_hint: Label | None = None
    say_optional: bool = True
    _relaxed: Question | None = dataclass_field(default=None, init=False, repr=False)

    def in_channel(self, channel: str | None) -> Question:
        """The question as it is asked through ``channel``: optional there if declared so."""
        if self.optional or channel is None or channel not in self.optional_for:
            return self
        if self._relaxed is None:
            hint = self.optional_hint if self.optional_hint is not None else self.hint
            self._relaxed = replace(self, optional=True, hint=hint, optional_for=())
        return self._relaxed

    @property
    def short_name(self) -> str:
        return str(self.name if self.name is not None else self.label)

    @property
    def shown_label(self) -> str:
        """The label as the page shows it: with "(optional)" when the answer may be left out."""
        label = str(self.label)
        marker = gettext("(optional)")
        if self.optional and self.say_optional and marker not in label:
            return f"{label} {marker}"
        return label

    def nested(self) -> Sequence[tuple[str, Question]]:
        """(option value, question) pairs this question reveals."""
        return self.field.nested_questions()

    def walk(self) -> Iterator[Question]:
        """This question and every question it reveals, depth first."""
        yield self
        for _value, child in self.nested():
            yield from child.walk()


@dataclass(eq=False)
class Page:
    """A page of the journey. With one question, the question is the page's heading."""

    id: str
    questions: Sequence[Question]
    title: Label | None = None
    condition: Condition | None = None
    body: Sequence[Label] = ()
    warning: Label | None = None
    # One of the service's ``guides`` the page links to (guidance to hand to someone named).
    guide: str | None = None

    @property
    def single(self) -> bool:
        return len(self.questions) == 1

    @property
    def heading(self) -> str:
        if self.title is not None:
            return str(self.title)
        return str(self.questions[0].label) if self.questions else ""

    def all_questions(self) -> Iterator[Question]:
        for question in self.questions:
            yield from question.walk()


def _as_page(part: Page | Question) -> Page:
    return part if isinstance(part, Page) else Page(part.id, [part], condition=None)


@dataclass(eq=False)
class RepeatingGroup:
    """The GOV.UK 'add another' pattern: a list of items, each answered on the same item pages.

    After each item the person sees the list (``title``) with a ``summary`` line per item and, while
    fewer than ``max`` items exist, the question 'Do you need to add another …?'. ``summary`` is a
    question id (its displayed answer) or a function of the item's context.
    """

    id: str
    title: Label
    item_name: Label
    pages: Sequence[Page | Question]
    summary: str | Callable[[Context], str]
    add_another: Label
    add_another_error: Label | None = None
    min: int = 1
    max: int = 20
    condition: Condition | None = None
    hint: Label | None = None
    item_pages: list[Page] = dataclass_field(init=False)
    add_another_page: Page = dataclass_field(init=False)

    def __post_init__(self) -> None:
        self.item_pages = [_as_page(part) for part in self.pages]
        question = Question(
            self.more_question_id,
            self.add_another,
            YesNo(),
            error=self.add_another_error
            or _l("Select yes if you need to add another %(item)s", item=self.item_name),
            name=self.add_another,
        )
        self.add_another_page = Page(self.more_question_id, [question], title=self.title)

    @property
    def more_question_id(self) -> str:
        """Where the answer to 'add another?' is kept, beside the items list."""
        return f"{self.id}_add_another"

    def item_title(self, index: int) -> str:
        """'Referee 2': the heading of one item on the list and on check answers."""
        name = str(self.item_name)
        return f"{name[:1].upper()}{name[1:]} {index + 1}"

    def item_questions(self) -> Iterator[Question]:
        for page in self.item_pages:
            yield from page.all_questions()


@dataclass(frozen=True)
class Rule:
    """A check across answers. ``check`` returns an error message or None; the error is shown on
    ``page`` (linked to ``question``). On a repeating group's item page it runs once per item with
    that item's context; on the add-another page it runs once for the whole group."""

    page: str
    check: Callable[[Context], str | None]
    question: str | None = None


@dataclass(eq=False)
class Section:
    """A task on the task list. ``depends_on`` names sections that must be completed first."""

    id: str
    title: Label
    parts: Sequence[Page | Question | RepeatingGroup]
    condition: Condition | None = None
    depends_on: Sequence[str] = ()
    blocks: list[Page | RepeatingGroup] = dataclass_field(init=False)

    def __post_init__(self) -> None:
        self.blocks = [
            part if isinstance(part, RepeatingGroup) else _as_page(part) for part in self.parts
        ]

    def pages(self) -> Iterator[Page]:
        for block in self.blocks:
            if isinstance(block, RepeatingGroup):
                yield from block.item_pages
                yield block.add_another_page
            else:
                yield block


@dataclass(frozen=True)
class StartInfo:
    """Facts for the GOV.UK start page, declared with the service."""

    summary: Sequence[Label]
    you_will_need: Sequence[Label]
    time_to_complete: Label
    before_you_start: Sequence[Label] = ()
    # What happens next, with how long a decision takes: the one place that says it (the start
    # page and the confirmation both show it).
    after_you_apply: Sequence[Label] = ()
    # The fees on a date, from the service's fee table, for the start page.
    fees: Callable[[date], Sequence[Fee]] | None = None
    # How the fee is paid: said the same way on the start page and the confirmation.
    paying: Label | None = None


@dataclass(frozen=True)
class Declaration:
    """Shown after check answers, with the submit button: statements, a tick box and its error."""

    statements: Sequence[Label]
    confirm: Label
    error: Label
    warning: Label | None = None
    button: Label | None = None  # defaults to "Accept and send"

    @property
    def button_text(self) -> str:
        return str(self.button) if self.button is not None else str(_l("Accept and send"))


@dataclass(frozen=True)
class ByPost:
    """Something the applicant sends by post after applying (photos, say), when ``condition``
    holds: the case shows it outstanding until staff record it received."""

    id: str
    name: Label
    condition: Condition


@dataclass(frozen=True)
class PageRef:
    page: Page
    section: Section
    group: RepeatingGroup | None
    is_add_another: bool = False


@dataclass(frozen=True)
class QuestionRef:
    question: Question
    page: Page
    group: RepeatingGroup | None
    parent: Question | None  # the question that reveals this one, if any
    option: str | None  # the parent's option value that reveals it


# Who to ask for at a police force when nothing names the team: the error pages, and a service
# that declares no ``contact_team``.
NO_TEAM_NAMED = _l("the team that deals with your application")


@dataclass(eq=False)
class Service:
    """A whole public service. Built once at import time; checked for mistakes as it is built."""

    slug: str
    title: Label
    sections: Sequence[Section]
    start: StartInfo
    declaration: Declaration
    rules: Sequence[Rule] = ()
    fee: Callable[[Context, date], Fee] | None = None
    # The service charges from each force's own price list, which the force's administrators
    # keep in the back office; its questions and fee read it at run time (engine/prices.py).
    price_list: PriceList | None = None
    # The question holding the applicant's email address; when it is left empty (a channel may
    # allow that), staff write to the applicant instead.
    contact_email: str | None = None
    by_post: Sequence[ByPost] = ()
    guides: Sequence[Guide] = ()
    # Who in a force deals with the service: the unit's name (a letter's sign-off, a postal
    # address) and how an applicant asks for it on 101 ("your police force's ... team").
    unit_name: Label | None = None
    contact_team: Label | None = None
    # What the privacy notice says the force does with the answers to decide a case.
    privacy: Sequence[Label] = ()
    # After sending: the case workflow staff move it through; the answers that feed staff
    # search; the answers that, beside the reference, prove a case is the person's (resume by
    # reference, a copy). Without a workflow, staff cannot move the service's cases on.
    workflow: Workflow | None = None
    search_keys: SearchKeys = dataclass_field(default_factory=SearchKeys)
    identity: Sequence[Proof] = ()
    # The stages a person goes through, in order (engine/flow.py); checked as the service is built.
    flow: Flow = dataclass_field(default_factory=application_flow)
    pages: dict[str, PageRef] = dataclass_field(init=False)
    questions: dict[str, QuestionRef] = dataclass_field(init=False)
    groups: dict[str, RepeatingGroup] = dataclass_field(init=False)

    def __post_init__(self) -> None:
        self.pages, self.questions, self.groups = {}, {}, {}
        # A stage may bring its own questions (eligibility): they are asked first.
        self.sections = [*self.flow.extra_sections(), *self.sections]
        # Two namespaces: answer keys (question and group ids) and page ids (URL slugs).
        keys: set[str] = set()

        def claim(identifier: str) -> None:
            if identifier in keys:
                raise ValueError(f"{self.slug}: answer key {identifier!r} is used twice")
            keys.add(identifier)

        for section in self.sections:
            for block in section.blocks:
                group = block if isinstance(block, RepeatingGroup) else None
                if group is not None:
                    claim(group.id)
                    self.groups[group.id] = group
                for page in self._pages_of(block):
                    if page.id in self.pages:
                        raise ValueError(f"{self.slug}: page id {page.id!r} is used twice")
                    is_more = group is not None and page is group.add_another_page
                    self.pages[page.id] = PageRef(page, section, group, is_more)
                    for question in page.questions:
                        # The 'add another?' answer sits beside the items, not inside one.
                        self._index(question, page, None if is_more else group, None, None, claim)
        sections = {section.id for section in self.sections}
        for section in self.sections:
            for dependency in section.depends_on:
                if dependency not in sections:
                    raise ValueError(
                        f"{self.slug}: section {section.id!r} depends on unknown {dependency!r}"
                    )
        for ref in self.pages.values():
            if (ref.page.body or ref.page.warning) and ref.page.title is None:
                # Content before the fields needs its own h1, else the h1 (the legend) comes after it.
                raise ValueError(f"{self.slug}: page {ref.page.id!r} has body text but no title")
        for rule in self.rules:
            if rule.page not in self.pages:
                raise ValueError(f"{self.slug}: rule on unknown page {rule.page!r}")
        if self.contact_email is not None and self.contact_email not in self.questions:
            raise ValueError(
                f"{self.slug}: contact email is unknown question {self.contact_email!r}"
            )
        guides = {guide.id for guide in self.guides}
        if len(guides) != len(self.guides):
            raise ValueError(f"{self.slug}: a guide is declared twice")
        for ref in self.pages.values():
            if ref.page.guide is not None and ref.page.guide not in guides:
                raise ValueError(
                    f"{self.slug}: page {ref.page.id!r} links to unknown guide {ref.page.guide!r}"
                )
        if len({item.id for item in self.by_post}) != len(self.by_post):
            raise ValueError(f"{self.slug}: an item sent by post is declared twice")
        self._check_finding()
        for reference in self._condition_references():
            if reference not in self.questions:
                raise ValueError(f"{self.slug}: condition refers to unknown question {reference!r}")
        self.flow.validate(self)

    def _check_finding(self) -> None:
        for answer in self.search_keys.answers():
            if answer not in self.questions:
                raise ValueError(f"{self.slug}: search key is unknown question {answer!r}")
        for proof in self.identity:
            if proof.answer not in self.questions:
                raise ValueError(f"{self.slug}: identity is unknown question {proof.answer!r}")
            if self.questions[proof.answer].group is not None:
                raise ValueError(
                    f"{self.slug}: identity {proof.answer!r} is inside a repeating group"
                )

    @property
    def team(self) -> str:
        """Who to ask for at the force, with a neutral wording when the service names none."""
        return str(self.contact_team if self.contact_team is not None else NO_TEAM_NAMED)

    @staticmethod
    def _pages_of(block: Page | RepeatingGroup) -> list[Page]:
        if isinstance(block, RepeatingGroup):
            return [*block.item_pages, block.add_another_page]
        return [block]

    def _index(
        self,
        question: Question,
        page: Page,
        group: RepeatingGroup | None,
        parent: Question | None,
        option: str | None,
        claim: Callable[[str], None],
    ) -> None:
        claim(question.id)
        self.questions[question.id] = QuestionRef(question, page, group, parent, option)
        for value, child in question.nested():
            self._index(child, page, group, question, value, claim)

    def _condition_references(self) -> Iterator[str]:
        conditions: list[Any] = []
        for section in self.sections:
            conditions.append(section.condition)
            for block in section.blocks:
                conditions.append(block.condition)
        for ref in self.pages.values():
            conditions.append(ref.page.condition)
        for qref in self.questions.values():
            conditions.append(qref.question.condition)
        conditions.extend(item.condition for item in self.by_post)
        for condition in conditions:
            if condition is not None and hasattr(condition, "references"):
                yield from condition.references()

    def __repr__(self) -> str:
        return f"Service({self.slug!r})"

    def section(self, section_id: str) -> Section:
        return next(section for section in self.sections if section.id == section_id)

    def all_questions(self) -> Iterator[Question]:
        return (ref.question for ref in self.questions.values())

    def guide(self, guide_id: str) -> Guide | None:
        return next((guide for guide in self.guides if guide.id == guide_id), None)
