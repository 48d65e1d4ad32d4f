"""API key use cases: create (the secret is shown once), authenticate, list, revoke.

A key belongs to one team and carries scopes. Only the SHA-256 of the secret is stored, so a lost key
cannot be recovered, only revoked and replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Literal, get_args

from pydantic import BaseModel, Field

from numzy_mcp.errors import InvalidInput, Unauthorized
from numzy_mcp.service.base import ServiceBase, new_id
from numzy_mcp.storage.repositories import ApiKeyRepo
from numzy_mcp.storage.tables import ApiKeyRow

Scope = Literal["receipts:read", "receipts:write", "rules:write"]
ALL_SCOPES: tuple[Scope, ...] = get_args(Scope)
KEY_PREFIX = "nzk_"
TEAM_CLAIM = "numzy_team"
"""Access-token claim holding the caller's team (HTTP MCP)."""
KEY_ID_CLAIM = "numzy_key_id"
"""Access-token claim holding the API key id."""
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class Principal(BaseModel):
    """Who is calling: a team, the scopes granted, and the key used (None for the local owner)."""

    team_id: str
    scopes: frozenset[str]
    key_id: str | None = None

    @classmethod
    def local_owner(cls, team_id: str) -> Principal:
        """The person at this machine (stdio MCP, CLI, loopback REST on the embedded default)."""
        return cls(team_id=team_id, scopes=frozenset(ALL_SCOPES), key_id=None)

    def missing(self, *scopes: str) -> list[str]:
        """The scopes of ``scopes`` this principal lacks, in order."""
        return [scope for scope in scopes if scope not in self.scopes]


class ApiKeyInfo(BaseModel):
    """An API key as listed: never its secret."""

    id: str
    team_id: str
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise a key.")
    scopes: list[Scope]
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class CreatedKey(ApiKeyInfo):
    """A new API key with its secret; the secret is shown only this once."""

    secret: str = Field(description="Send as 'Authorization: Bearer <secret>'. Not stored; keep it safe.")


def hash_secret(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _info(row: ApiKeyRow) -> ApiKeyInfo:
    return ApiKeyInfo(
        id=row.id, team_id=row.team_id, name=row.name, prefix=row.prefix, scopes=list(row.scopes),  # pyright: ignore[reportArgumentType]
        created_at=row.created_at, last_used_at=row.last_used_at, revoked_at=row.revoked_at,
    )  # fmt: skip


class KeyUseCases(ServiceBase):
    """API keys for REST and MCP over HTTP."""

    async def create_key(self, team_id: str, name: str, scopes: list[str] | None = None) -> CreatedKey:
        """Create an API key for ``team_id`` with ``scopes`` (default: all); the result holds the secret once.

        Raises:
            InvalidInput: an unknown scope or an empty name.
        """
        chosen = list(dict.fromkeys(scopes or ALL_SCOPES))
        unknown = [scope for scope in chosen if scope not in ALL_SCOPES]
        if unknown:
            raise InvalidInput(f"Unknown scope(s) {', '.join(unknown)}. Allowed: {', '.join(ALL_SCOPES)}.")
        if not name.strip():
            raise InvalidInput("Give the key a name that says who or what uses it, e.g. 'claude-desktop'.")
        await self._ensure_team(team_id)
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            id=new_id("key"), team_id=team_id, name=name.strip()[:200], prefix=secret[:12],
            secret_sha256=hash_secret(secret), scopes=chosen, created_at=self._clock(),
        )  # fmt: skip
        async with self._sessions.begin() as session:
            await ApiKeyRepo(session).add(row)
        return CreatedKey(**_info(row).model_dump(), secret=secret)

    async def authenticate(self, secret: str) -> Principal:
        """The principal a secret stands for.

        Raises:
            Unauthorized: unknown or revoked key.
        """
        if not secret.startswith(KEY_PREFIX):
            raise Unauthorized(
                "That is not a Numzy API key (they start with 'nzk_'). Create one with `numzy keys create`."
            )
        now = self._clock()
        async with self._sessions.begin() as session:
            row = await ApiKeyRepo(session).by_secret_hash(hash_secret(secret))
            if row is None or row.revoked_at is not None:
                raise Unauthorized("The API key is unknown or revoked. Create a new one with `numzy keys create`.")
            if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
                row.last_used_at = now
            return Principal(team_id=row.team_id, scopes=frozenset(row.scopes), key_id=row.id)

    async def list_keys(self, team_id: str) -> list[ApiKeyInfo]:
        """The team's keys (revoked ones included), oldest first, without secrets."""
        async with self._sessions() as session:
            return [_info(row) for row in await ApiKeyRepo(session).list(team_id)]

    async def revoke_key(self, team_id: str, key_id: str) -> ApiKeyInfo:
        """Revoke a key; it stops working at once. Revoking twice is harmless.

        Raises:
            NotFound: no such key in the team.
        """
        async with self._sessions.begin() as session:
            row = await ApiKeyRepo(session).get(team_id, key_id)
            if row.revoked_at is None:
                row.revoked_at = self._clock()
            return _info(row)
