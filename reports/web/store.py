"""The web page's records, in one SQLite file beside the archive (``ARCHIVE/web/web.sqlite3``):
accounts, sessions, login attempts, the audit log (who uploaded, built, adopted, issued what
and when) and the jobs. SQLite in WAL mode, one connection per call (the server's threads and
``report users`` share the file safely); every statement parameterised.

Passwords are kept as argon2id hashes (argon2-cffi, its recommended parameters); a session
is a random token (256 bits) whose SHA-256 is stored, so a copy of the file opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROLES = ("staff", "admin")
SESSION_SECONDS = 8 * 3600  # a working day
LOGIN_WINDOW = 15 * 60  # failed logins counted over this many seconds
LOGIN_LIMIT = 5  # failures in the window, per account and per address, before a pause
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL,
    created REAL NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT NOT NULL, address TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, user TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT NOT NULL, ok INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, user TEXT NOT NULL, title TEXT NOT NULL,
    state TEXT NOT NULL, created REAL NOT NULL, started REAL, finished REAL,
    message TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);
"""


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def db_path(archive: Path) -> Path:
    return Path(archive) / "web" / "web.sqlite3"


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
        finally:
            db.close()

    @contextmanager
    def connect(self):
        """One transaction (BEGIN IMMEDIATE: a writer waits for another, never fails halfway)."""
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=10000")
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    # -- accounts ----------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise StoreError(f"角色只能是 {' 或 '.join(ROLES)}")
        if not name or len(name) > 40 or not name.isprintable() or name != name.strip():
            raise StoreError("用户名应为1到40个可见字符，首尾不能有空格")
        if len(password) < 10:
            raise StoreError("密码至少10个字符")
        with self.connect() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"用户“{name}”已存在（要改密码，先 remove 再 add）")
            db.execute("INSERT INTO users VALUES (?, ?, ?, ?)",
                       (name, role, _hasher().hash(password), time.time()))

    def remove_user(self, name: str) -> None:
        with self.connect() as db:
            if not db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
                raise StoreError(f"没有用户“{name}”")
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))

    def users(self) -> list[tuple[str, str, float]]:
        with self.connect() as db:
            return db.execute("SELECT name, role, created FROM users ORDER BY name").fetchall()

    # -- logging in --------------------------------------------------------------------------
    def paused(self, name: str, address: str) -> bool:
        """Too many failed logins lately, for this account or from this address."""
        since = time.time() - LOGIN_WINDOW
        with self.connect() as db:
            db.execute("DELETE FROM login_failures WHERE at < ?", (since,))
            by_name = db.execute("SELECT COUNT(*) FROM login_failures WHERE name = ? AND at >= ?",
                                 (name, since)).fetchone()[0]
            by_address = db.execute("SELECT COUNT(*) FROM login_failures WHERE address = ? AND "
                                    "at >= ?", (address, since)).fetchone()[0]
        return by_name >= LOGIN_LIMIT or by_address >= LOGIN_LIMIT * 2

    def check_password(self, name: str, password: str, address: str) -> User | None:
        """The user, or None (the failure recorded). The hash is checked even for an unknown
        name, so timing does not say which names exist."""
        from argon2.exceptions import VerificationError, InvalidHashError

        with self.connect() as db:
            row = db.execute("SELECT role, hash FROM users WHERE name = ?", (name,)).fetchone()
        hasher = _hasher()
        stored = row[1] if row else _DUMMY_HASH
        try:
            hasher.verify(stored, password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            with self.connect() as db:
                db.execute("INSERT INTO login_failures VALUES (?, ?, ?)",
                           (name[:80], address, time.time()))
            return None
        if hasher.check_needs_rehash(stored):
            with self.connect() as db:
                db.execute("UPDATE users SET hash = ? WHERE name = ?",
                           (hasher.hash(password), name))
        return User(name, row[0])

    # -- sessions ----------------------------------------------------------------------------
    def open_session(self, user: User) -> tuple[str, str]:
        """(token for the cookie, CSRF token for the forms)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = time.time()
        with self.connect() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                       (_digest(token), user.name, csrf, now, now + SESSION_SECONDS))
        return token, csrf

    def session(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        with self.connect() as db:
            row = db.execute(
                "SELECT s.user, s.csrf, u.role FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE s.token_hash = ? AND s.expires >= ?", (_digest(token), time.time())
            ).fetchone()
        return Session(User(row[0], row[2]), row[1]) if row else None

    def close_session(self, token: str | None) -> None:
        if token:
            with self.connect() as db:
                db.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))

    # -- audit -------------------------------------------------------------------------------
    def audit(self, user: str, action: str, detail: str, ok: bool = True) -> None:
        with self.connect() as db:
            db.execute("INSERT INTO audit (at, user, action, detail, ok) VALUES (?, ?, ?, ?, ?)",
                       (time.time(), user, action, detail[:2000], int(ok)))

    def audit_log(self, limit: int = 200, action: str | None = None) -> list[tuple]:
        with self.connect() as db:
            if action:
                return db.execute("SELECT at, user, action, detail, ok FROM audit WHERE action = ? "
                                  "ORDER BY id DESC LIMIT ?", (action, limit)).fetchall()
            return db.execute("SELECT at, user, action, detail, ok FROM audit ORDER BY id DESC "
                              "LIMIT ?", (limit,)).fetchall()

    # -- jobs --------------------------------------------------------------------------------
    def add_job(self, job_id: str, kind: str, user: str, title: str) -> None:
        with self.connect() as db:
            db.execute("INSERT INTO jobs (id, kind, user, title, state, created) VALUES "
                       "(?, ?, ?, ?, 'queued', ?)", (job_id, kind, user, title, time.time()))

    def update_job(self, job_id: str, state: str, message: str = "", result: str = "") -> None:
        now = time.time()
        with self.connect() as db:
            if state == "running":
                db.execute("UPDATE jobs SET state = ?, started = ?, message = ? WHERE id = ?",
                           (state, now, message, job_id))
            else:
                db.execute("UPDATE jobs SET state = ?, finished = ?, message = ?, result = ? "
                           "WHERE id = ?", (state, now, message[-20000:], result, job_id))

    def job(self, job_id: str) -> dict | None:
        with self.connect() as db:
            row = db.execute("SELECT id, kind, user, title, state, created, started, finished, "
                             "message, result FROM jobs WHERE id = ?", (job_id,)).fetchone()
        keys = ("id", "kind", "user", "title", "state", "created", "started", "finished",
                "message", "result")
        return dict(zip(keys, row)) if row else None

    def abandon_jobs(self) -> None:
        """Jobs a stopped server left running or queued: marked failed, never left spinning."""
        with self.connect() as db:
            db.execute("UPDATE jobs SET state = 'failed', finished = ?, message = "
                       "'服务器重启，任务未完成，请重新提交' WHERE state IN ('queued', 'running')",
                       (time.time(),))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
               "jLMtBJ4DxCdE6zE1Hp4xA4B4gYQrCgbQwB3j2Xc7sO8")
