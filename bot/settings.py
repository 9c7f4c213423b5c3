"""The one place that reads the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    workers: int | None = Field(
        default=None, ge=1, le=64,
        description="server processes sharing the database (default: the number of CPU cores)",
    )
    allowed_hosts: str | None = Field(
        default=None,
        description="more host names the server answers to, comma-separated (loopback names, "
        "IP addresses and the public URL's host are always accepted; other names are refused "
        "so that a web page on another site cannot reach the workspace by DNS rebinding)",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto "
        "headers are believed, comma-separated ('*' for any)",
    )
    header_timeout: float = Field(
        default=10.0, gt=0, le=600,
        description="seconds a client has to send a request's headers before it is cut off",
    )
    body_timeout: float = Field(
        default=30.0, gt=0, le=3600,
        description="seconds a client has to send a request's body (answered 408 after)",
    )
    max_unauthenticated_bodies: int = Field(
        default=16, ge=1,
        description="request bodies read at once (per worker) from clients not signed in "
        "(sign-in form, Slack events); more are answered 503",
    )
    sign_in_attempts: int = Field(
        default=10, ge=1,
        description="wrong tokens accepted from one address per minute before it is answered "
        "429 (per worker)",
    )
    auth_cache_seconds: float = Field(
        default=5.0, ge=0, le=300,
        description="how long a worker remembers a token or session check; a removed user or "
        "revoked token stops working within this time",
    )
    work_seconds: float = Field(
        default=2.0, gt=0, le=600,
        description="longest a large check may compute before it is stopped with 503",
    )
    shutdown_seconds: float = Field(
        default=10.0, ge=0, le=600,
        description="on stop (SIGTERM/Ctrl-C), how long requests in flight may finish",
    )
    max_draft_bytes: int = Field(
        default=500_000, ge=1, description="largest draft (form data as JSON) saved"
    )
    max_draft_fields: int = Field(
        default=2_000, ge=1, description="most keys and list items in one draft's data"
    )
    max_draft_versions: int = Field(
        default=50, ge=1,
        description="versions kept per draft; older ones are pruned on save",
    )
    sqlite_synchronous: str = Field(
        default="NORMAL",
        description="SQLite durability, NORMAL or FULL: NORMAL keeps every saved draft if "
        "the server is killed; FULL also if the machine loses power (slower saves)",
    )
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

    @field_validator("toolkit", "database_url", "secret_key", "public_url", "allowed_hosts",
                     mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # MASTERY_TOOLKIT="" means "not set", not "the current folder"
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _durability(cls, value: object) -> object:
        value = value.strip().upper() if isinstance(value, str) else value
        if value not in ("NORMAL", "FULL"):
            raise ValueError("must be NORMAL or FULL")
        return value

    def store_options(self) -> dict[str, Any]:
        """The drafts store's options (``DraftStore.open(url, **options)``)."""
        return {
            "sqlite_synchronous": self.sqlite_synchronous,
            "max_draft_bytes": self.max_draft_bytes,
            "max_draft_fields": self.max_draft_fields,
            "max_draft_versions": self.max_draft_versions,
        }

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mastery.db'}"


def get_settings() -> Settings:
    return Settings()
