"""The one place that reads the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "mastery-comms"


class Settings(BaseSettings):
    """Settings from ``MASTERY_*`` environment variables (Slack's use Slack's names)."""

    model_config = SettingsConfigDict(env_prefix="MASTERY_", extra="ignore")

    toolkit: Path | None = Field(
        default=None, description="a toolkit folder to use instead of the shipped one"
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir, description="where the SQLite database is kept"
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite in the data folder"
    )
    host: str = Field(default="127.0.0.1", description="address the web server listens on")
    port: int = Field(default=8000, description="port the web server listens on")
    max_body_bytes: int = Field(default=2_000_000, description="largest request body accepted")
    secret_key: str | None = Field(
        default=None, description="key that signs links and cookies; generated if unset"
    )
    slack_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "MASTERY_SLACK_BOT_TOKEN"),
        description="the Slack app's bot token (xoxb-…); with the signing secret it turns on "
        "the Slack bot",
    )
    slack_app_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "MASTERY_SLACK_APP_TOKEN"),
        description="app-level token (xapp-…) for Socket Mode (`mastery slack`)",
    )
    slack_signing_secret: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "MASTERY_SLACK_SIGNING_SECRET"),
        description="verifies that requests to /slack/events come from Slack",
    )
    slack_api_url: str | None = Field(
        default=None,
        description="base URL of Slack's Web API (tests point it at a local stand-in)",
    )
    public_url: str | None = Field(
        default=None, description="the web workspace's address, for links sent from Slack"
    )
    require_auth: bool | None = Field(
        default=None,
        description="require sign-in with an API token (default: only when the server "
        "listens on an address other than loopback)",
    )
    session_days: int = Field(default=14, gt=0, description="how long a web sign-in lasts")
    login_link_minutes: int = Field(
        default=15, gt=0, description="how long a signed sign-in link (from Slack) stays valid"
    )

    @field_validator("toolkit", "database_url", "secret_key", "public_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # MASTERY_TOOLKIT="" means "not set", not "the current folder"
        return None if isinstance(value, str) and not value.strip() else value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mastery.db'}"


def get_settings() -> Settings:
    return Settings()
