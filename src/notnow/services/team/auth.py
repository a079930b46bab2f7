"""Who is acting: users with roles, argon2 passwords, hashed API tokens, rate-limited sign-in.

Team mode (``notnow serve --team``) signs people in; local mode acts as the workspace owner.
Passwords are hashed with argon2id. API tokens are random 256-bit strings shown once and stored
only as their SHA-256 (a token has too much entropy to need a slow hash, and is checked on every
API request). What each person may see and change is the policy's
(:mod:`notnow.core.policy`); here an `Actor` is built from their row.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, select

from notnow.core import limits
from notnow.core.model import UserRole
from notnow.core.policy import Actor, may_manage_people
from notnow.errors import (
    AuthenticationFailed,
    Conflict,
    DatabaseLocked,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from notnow.services.lookup import resolve_user
from notnow.services.schemas import Id, Input, V, validate
from notnow.services.team import limiter
from notnow.services.team.acting import actor_from_row
from notnow.services.workspace import Workspace
from notnow.storage.tables import ApiToken, User, WebSession

MIN_PASSWORD = 10
TOKEN_PREFIX = "nn_"


# --- schemas ----------------------------------------------------------------------------------


class UserCreate(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=limits.LINE)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=limits.EMAIL)
    role: V(UserRole) = UserRole.SALESPERSON  # type: ignore[valid-type]
    password: str | None = Field(default=None, min_length=MIN_PASSWORD, max_length=1000)
    manager_id: Id | None = None


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str | None
    role: UserRole
    active: bool
    is_owner: bool
    manager_id: int | None
    created_at: datetime


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


class NewToken(TokenPublic):
    token: str = Field(description="The secret; shown once, never stored.")


# --- passwords --------------------------------------------------------------------------------


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"use at least {MIN_PASSWORD} characters", field="password")
    return str(_hasher().hash(password))


def verify_password(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if not stored:
        _hasher().hash("timing-equaliser")  # same cost whether or not the user exists
        return False
    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


# --- users ------------------------------------------------------------------------------------


def _admin_only(actor: Actor, what: str) -> None:
    if not may_manage_people(actor):
        raise PermissionDenied(f"only an admin can {what}")


def add_user(ws: Workspace, actor: Actor, data: dict[str, Any], *,
             manager: str | int | None = None) -> UserPublic:
    """Add a team member (admins only). Email is their login; the password may be set later."""
    _admin_only(actor, "add people")
    with ws.db.write() as s:
        if manager is not None:
            data = {**data, "manager_id": resolve_user(s, manager).id}
        spec = validate(UserCreate, data)
        email = spec.email.lower()
        if s.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
            raise Conflict(f"a user with email {email} exists already", field="email")
        if spec.manager_id is not None and s.get(User, spec.manager_id) is None:
            raise NotFound(f"no user with id {spec.manager_id}", field="manager_id")
        user = User(name=spec.name, email=email, role=spec.role.value,
                    password_hash=hash_password(spec.password) if spec.password else None,
                    active=True, is_owner=False, manager_id=spec.manager_id,
                    created_at=ws.now())
        s.add(user)
        s.flush()
        return UserPublic.model_validate(user)


def list_users(ws: Workspace, actor: Actor, *, limit: int = 500,
               offset: int = 0) -> list[UserPublic]:
    """Everyone in the workspace (admins), or the people the actor manages."""
    with ws.db.read() as s:
        q = select(User).order_by(User.id)
        if not may_manage_people(actor):
            q = q.where(User.id.in_(sorted(actor.team | {actor.id})))
        rows = s.scalars(q.limit(limit).offset(offset))
        return [UserPublic.model_validate(u) for u in rows]


def disable_user(ws: Workspace, actor: Actor, ref: str | int) -> UserPublic:
    """Disable a user (admins only): they can no longer sign in, their tokens stop working."""
    _admin_only(actor, "disable people")
    with ws.db.write() as s:
        user = resolve_user(s, ref)
        if user.role == UserRole.ADMIN.value and user.active:
            admins = s.scalar(select(func.count()).select_from(User).where(
                User.role == UserRole.ADMIN.value, User.active.is_(True),
                User.password_hash.is_not(None)))
            if user.password_hash is not None and (admins or 0) <= 1:
                raise Conflict("this is the last admin who can sign in; add another first",
                               field="user")
        user.active = False
        # their browsers are signed out at once (`notnow.services.team.sessions`)
        s.execute(delete(WebSession).where(WebSession.user_id == user.id))
        s.flush()
        return UserPublic.model_validate(user)


def has_login(ws: Workspace) -> bool:
    """Whether anyone can sign in (team mode needs at least one user with a password)."""
    with ws.db.read() as s:
        return s.scalar(select(User.id).where(User.active.is_(True),
                                              User.password_hash.is_not(None)).limit(1)) is not None


# --- login ------------------------------------------------------------------------------------


def authenticate(ws: Workspace, email: str, password: str, *, client: str | None = None) -> Actor:
    """Check an email and password. Failures are counted in the database by the sign-in
    limiter (`notnow.services.team.limiter`), per account and address, for every worker."""
    key, where = limiter.email_key(email), limiter.client_key(client)
    with ws.db.read() as s:
        limiter.check(s, key, where, ws.now())
        user = s.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
        ok = verify_password(user.password_hash if user else None, password)
        if user is not None and ok and user.active:
            actor = actor_from_row(s, user)
        else:
            actor = None
    with ws.db.write() as s:
        if actor is None:
            limiter.failed(s, key, where, ws.now())
        else:
            limiter.succeeded(s, key, where)
    if actor is None:
        raise AuthenticationFailed("wrong email or password", field="password")
    return actor


# --- API tokens -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(ws: Workspace, actor: Actor, name: str, *,
                 user: str | int | None = None) -> NewToken:
    """A new API token for the actor (an admin may make one for ``user``); the secret is in
    the result and nowhere else."""
    if not name.strip():
        raise InvalidInput("name the token (what script uses it?)", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ws.db.write() as s:
        owner = resolve_user(s, user) if user is not None else s.get(User, actor.id)
        if owner is None:
            raise NotFound("no such user", field="user")
        if owner.id != actor.id:
            _admin_only(actor, "make tokens for other people")
        row = ApiToken(user_id=owner.id, name=name.strip()[:200], token_hash=_token_hash(secret),
                       created_at=ws.now(), revoked=False)
        s.add(row)
        s.flush()
        return NewToken(**TokenPublic.model_validate(row).model_dump(), token=secret)


def list_tokens(ws: Workspace, actor: Actor) -> list[TokenPublic]:
    """The actor's own tokens (never the secrets)."""
    with ws.db.read() as s:
        rows = s.scalars(select(ApiToken).where(ApiToken.user_id == actor.id)
                         .order_by(ApiToken.id))
        return [TokenPublic.model_validate(t) for t in rows]


def revoke_token(ws: Workspace, actor: Actor, token_id: int) -> TokenPublic:
    """Revoke one of the actor's own tokens."""
    with ws.db.write() as s:
        row = s.get(ApiToken, token_id) if 1 <= token_id <= 2**31 - 1 else None
        if row is None or row.user_id != actor.id:
            raise NotFound(f"no token {token_id} of yours", field="token_id")
        row.revoked = True
        s.flush()
        return TokenPublic.model_validate(row)


def actor_for_token(ws: Workspace, token: str) -> Actor:
    """The active user a bearer token belongs to; a bad, revoked or orphaned token fails."""
    digest = _token_hash(token.strip())
    with ws.db.read() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        user = s.get(User, row.user_id) if row is not None and not row.revoked else None
        if row is None or user is None or not user.active:
            raise AuthenticationFailed("invalid or revoked API token", field="authorization")
        actor = actor_from_row(s, user)
        token_id, last_used = row.id, row.last_used_at
    if last_used is None or _naive(ws.now()) - _naive(last_used) > timedelta(hours=1):
        try:
            with ws.db.write() as s:
                fresh = s.get(ApiToken, token_id)
                if fresh is not None:
                    fresh.last_used_at = ws.now()
        except DatabaseLocked:
            pass  # bookkeeping only: the next request marks it; this one is answered
    return actor


def _naive(dt: datetime) -> datetime:
    return dt.replace(tzinfo=None)
