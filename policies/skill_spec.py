"""What a skill declares: APIs with typed arguments and results, entity types, sample dialogues.

A skill folder holds ``skill.yaml`` (validated into ``SkillSpec`` here, pure data) and a Python
module with one handler per API. Understanding learns its intent prototypes from the samples;
dialogue reads which arguments are required, how to ask for them and which APIs need a yes
before they run. The intent of API ``set`` in skill ``timer`` is ``timer.set``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bus.messages.base import TOKEN_RE

# Argument types every skill may use without declaring them; slot extraction knows each.
BUILTIN_TYPES = ("number", "duration", "time", "date", "room", "device", "language", "text")
RESULT_TYPES = ("str", "number", "bool", "list", "dict")
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _name(value: str, what: str) -> str:
    if not _NAME_RE.match(value):
        raise ValueError(f"{what} {value!r} must be lower-case letters, digits or '_', "
                         "starting with a letter")
    return value


class EntityType(_Strict):
    """A skill's own slot type: listed values (canonical -> synonyms) and/or regex patterns."""

    values: dict[str, list[str]] = Field(default_factory=dict)
    patterns: list[str] = Field(default_factory=list)

    @field_validator("values", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        # A plain list means values without synonyms: [red, green] -> {red: [], green: []}
        if isinstance(value, list):
            return {str(v): [] for v in value}
        if isinstance(value, dict):
            return {str(k): [] if v is None else v for k, v in value.items()}
        return value

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(
                    f"pattern {pattern!r} is not a regular expression: {err}") from None
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> EntityType:
        if not self.values and not self.patterns:
            raise ValueError("an entity type needs values or patterns")
        return self


class Arg(_Strict):
    type: str
    required: bool = False
    prompt: str | None = None  # the question when a required argument is missing
    default: str | int | float | bool | None = None
    examples: list[str] = Field(default_factory=list)  # for sample substitution (text args)
    description: str = ""

    @model_validator(mode="after")
    def _prompt_when_required(self) -> Arg:
        if self.required and not self.prompt:
            raise ValueError("a required argument needs a prompt (the question to ask)")
        return self


class FollowUp(_Strict):
    """A latent goal an API often leads to (seeds goal prediction): the intent to offer, its
    slots as templates over the request's slots and the result's data ("{seconds}",
    "{degrees|plus:2}"), and the question to ask ("... a timer for {seconds|duration}?")."""

    intent: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    slots: dict[str, str | int | float | bool] = Field(default_factory=dict)
    say: str = Field(min_length=1)
    confidence: float = Field(default=0.6, ge=0.0, le=1.0)  # the prior before any feedback
    # Only when the request had these values ({city: beach}: the beach forecast, not any).
    when: dict[str, str | int | float | bool] = Field(default_factory=dict)


class Api(_Strict):
    description: str = ""
    args: dict[str, Arg] = Field(default_factory=dict)
    result: dict[str, Literal["str", "number", "bool", "list", "dict"]] = Field(
        default_factory=dict)
    # A question asked before the API runs (risky actions); {arg} names are filled in.
    confirm: str | None = None
    samples: list[str] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)  # latent goals (anticipation)

    @field_validator("args")
    @classmethod
    def _arg_names(cls, value: dict[str, Arg]) -> dict[str, Arg]:
        for name in value:
            _name(name, "argument")
        return value


class Turn(_Strict):
    user: str | None = None
    assistant: str | None = None
    call: str | None = None  # the API this user turn asks for (first turns must say)

    @model_validator(mode="after")
    def _one_side(self) -> Turn:
        if (self.user is None) == (self.assistant is None):
            raise ValueError("a turn is either 'user' or 'assistant'")
        if self.call is not None and self.user is None:
            raise ValueError("only a user turn can name a 'call'")
        return self


class Dialogue(_Strict):
    turns: list[Turn] = Field(min_length=1)

    @model_validator(mode="after")
    def _starts_with_a_call(self) -> Dialogue:
        first = self.turns[0]
        if first.user is None or first.call is None:
            raise ValueError("a sample dialogue starts with a user turn that names its 'call'")
        return self


class SkillSpec(_Strict):
    name: str
    description: str = Field(min_length=1)
    invocation: list[str] = Field(default_factory=list)  # names for "ask the <name> skill ..."
    entities: dict[str, EntityType] = Field(default_factory=dict)
    apis: dict[str, Api] = Field(min_length=1)
    dialogues: list[Dialogue] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _skill_name(cls, value: str) -> str:
        _name(value, "skill name")
        if not TOKEN_RE.match(value):
            raise ValueError(f"skill name {value!r} cannot be a subject token")
        return value

    @field_validator("apis")
    @classmethod
    def _api_names(cls, value: dict[str, Api]) -> dict[str, Api]:
        for name in value:
            _name(name, "API name")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SkillSpec:
        known = set(BUILTIN_TYPES) | set(self.entities)
        for api_name, api in self.apis.items():
            for arg_name, arg in api.args.items():
                if arg.type not in known:
                    raise ValueError(
                        f"apis.{api_name}.args.{arg_name}.type: unknown type {arg.type!r} "
                        f"(built-in: {', '.join(BUILTIN_TYPES)}; or declare it in entities)")
            for i, sample in enumerate(api.samples):
                _check_placeholders(sample, api, f"apis.{api_name}.samples.{i}")
            if api.confirm:
                _check_placeholders(api.confirm, api, f"apis.{api_name}.confirm")
        for d, dialogue in enumerate(self.dialogues):
            current: Api | None = None
            for t, turn in enumerate(dialogue.turns):
                where = f"dialogues.{d}.turns.{t}"
                if turn.call is not None:
                    if turn.call not in self.apis:
                        raise ValueError(f"{where}.call: no API named {turn.call!r}")
                    current = self.apis[turn.call]
                if turn.user is not None and current is not None:
                    _check_placeholders(turn.user, current, f"{where}.user")
        routable = {api for api, spec in self.apis.items() if spec.samples}
        routable |= {d.turns[0].call for d in self.dialogues if d.turns[0].call}
        missing = sorted(set(self.apis) - routable)
        if missing:
            raise ValueError(f"apis.{missing[0]}.samples: every API needs at least one sample "
                             "utterance or sample dialogue")
        return self

    # -- what the rest of Hearth reads ----------------------------------------------------
    def intent(self, api: str) -> str:
        return f"{self.name}.{api}"

    def api_of(self, intent: str) -> Api | None:
        skill, _, api = intent.partition(".")
        return self.apis.get(api) if skill == self.name else None

    def names(self) -> list[str]:
        """How a person may name this skill: its name (underscores as spaces) and invocations."""
        return [self.name.replace("_", " "), *self.invocation]

    def samples(self) -> list[tuple[str, str]]:
        """(template, intent) for every sample utterance and every first turn of a dialogue."""
        out = [(s, self.intent(name)) for name, api in self.apis.items() for s in api.samples]
        for dialogue in self.dialogues:
            first = dialogue.turns[0]
            if first.user is not None and first.call is not None:
                out.append((first.user, self.intent(first.call)))
        return out


def _check_placeholders(text: str, api: Api, where: str) -> None:
    for name in PLACEHOLDER_RE.findall(text):
        if name not in api.args:
            raise ValueError(f"{where}: {{{name}}} is not an argument of this API")
