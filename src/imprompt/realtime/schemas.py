"""Payload models for every client→server event. Strict: unknown fields, wrong types,
oversize strings and null settings are refused before anything touches a room."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ..game.packs import MAX_NAME_CHARS, MAX_PACK_TEXT

Text = Annotated[StrictStr, StringConstraints(max_length=200)]
Name = Annotated[StrictStr, StringConstraints(max_length=64)]
Code = Annotated[StrictStr, StringConstraints(max_length=16)]
Token = Annotated[StrictStr, StringConstraints(min_length=8, max_length=128)]
MemberId = Annotated[StrictStr, StringConstraints(min_length=1, max_length=32)]
Device = Annotated[StrictStr, StringConstraints(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def refuse_null(value: Any) -> Any:
    """An optional field is left out when not given; an explicit null is a bad value."""
    if value is None:
        raise PydanticCustomError("null", "Input should not be null (leave the field out instead)")
    return value


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SettingsPatch(Payload):
    """camelCase on the wire; snake_case inside. A setting left unchanged is left out: null is refused,
    never read as "not given" (defaults are not validated, so a field left out keeps its None)."""

    rounds: StrictInt | None = None
    prompt_seconds: StrictInt | None = Field(None, alias="promptSeconds")
    guess_seconds: StrictInt | None = Field(None, alias="guessSeconds")
    max_words: StrictInt | None = Field(None, alias="maxWords")
    max_players: StrictInt | None = Field(None, alias="maxPlayers")
    hints: StrictBool | None = None
    theme: Annotated[StrictStr, StringConstraints(max_length=32)] | None = None
    pack_only: StrictBool | None = Field(None, alias="packOnly")
    image_style: Annotated[StrictStr, StringConstraints(max_length=16)] | None = Field(None, alias="imageStyle")
    image_review: StrictBool | None = Field(None, alias="imageReview")
    image_choices: StrictInt | None = Field(None, alias="imageChoices")

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return refuse_null(value)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ImportPack(Payload):
    """`pack:import`: a pasted list or a pack file's text (docs/packs.md); `name` for a plain list."""

    text: Annotated[StrictStr, StringConstraints(min_length=1, max_length=MAX_PACK_TEXT)]
    name: Annotated[StrictStr | None, BeforeValidator(refuse_null), StringConstraints(max_length=MAX_NAME_CHARS)] = None


class CreateRoom(Payload):
    name: Name
    spectator: StrictBool = False
    settings: SettingsPatch | None = None


class JoinRoom(Payload):
    code: Code
    name: Name
    spectator: StrictBool = False
    # a random key this browser keeps: a kicked player stays out (left out, not null, when absent)
    device: Annotated[Device | None, BeforeValidator(refuse_null)] = None


class WatchScreen(Payload):
    """`room:screen`: a big screen (a TV) watches the room; no name, no seat in the game."""

    code: Code


class AlbumStep(Payload):
    """`album:step`: the host shows album picture `index` (0-based) on the big screens."""

    index: Annotated[StrictInt, Field(ge=0, le=1000)]


class ResumeRoom(Payload):
    code: Code
    token: Token


class Empty(Payload):
    pass


class Ready(Payload):
    ready: StrictBool


class TextBody(Payload):
    text: Text


class Target(Payload):
    player_id: MemberId = Field(alias="playerId")


class PickImage(Payload):
    """`image:pick`: the writer's choice among the pictures of the review step."""

    index: Annotated[StrictInt, Field(ge=0, le=3)]


class Regenerate(Payload):
    """`image:regenerate`: the turn's one new picture; `reject`: this one gives the answer away."""

    reject: StrictBool = False
