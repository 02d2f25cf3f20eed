"""Settings of the `alref serve` dashboard: where its data lives, who may use it, limits.

Modes: ``local`` (default; meant for 127.0.0.1, no token needed) and ``team`` (a shared
deployment: a token is required and a default or short secret is refused). Every limit is a
plan choice of the deployment (labelled ``assumption`` below), not physics.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from alref.errors import ConfigError

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
# assumption: a request body larger than 1 MiB is never a scenario (the largest preset TOML is
# a few kB); larger bodies are refused with 413 before they are read in full
MAX_BODY_BYTES = 1 << 20
# assumption: 2 simulations at once fit the 2-core machines the dashboard targets; more queue
DEFAULT_WORKERS = 2
# assumption: 60 submissions per client per minute is far above interactive use and stops a
# script from filling the queue
RATE_LIMIT_PER_MIN = 60
# assumption: a study launched from the browser is capped at 2000 samples (larger ones belong
# on the command line with a cluster)
MAX_STUDY_SAMPLES = 2000
# assumption: a team secret shorter than 16 characters can be guessed
MIN_TOKEN_CHARS = 16
#: secrets that are never accepted in team mode (defaults copied from examples)
DEFAULT_SECRETS = frozenset({"", "changeme", "change-me", "secret", "password", "token", "alref",
                             "admin", "default", "test"})


@dataclass(frozen=True)
class Settings:
    """What one dashboard instance serves and how it guards itself."""

    data_dir: Path
    mode: str = "local"
    token: str | None = None
    workers: int = DEFAULT_WORKERS
    max_body_bytes: int = MAX_BODY_BYTES
    rate_limit_per_min: int = RATE_LIMIT_PER_MIN
    max_study_samples: int = MAX_STUDY_SAMPLES
    #: signs CSRF tokens; fresh per process unless given (tokens of a restarted server lapse)
    secret: str = field(default_factory=lambda: secrets.token_hex(32))

    @classmethod
    def build(cls, data_dir: str | Path | None = None, *, mode: str = "local",
              token: str | None = None, host: str = "127.0.0.1",
              workers: int = DEFAULT_WORKERS, rate_limit_per_min: int = RATE_LIMIT_PER_MIN
              ) -> Settings:
        """Validated settings (ConfigError naming the option otherwise)."""
        if mode not in ("local", "team"):
            raise ConfigError("--mode", f"{mode!r} is not one of local, team")
        token = token if token is not None else os.environ.get("ALREF_WEB_TOKEN") or None
        if mode == "team":
            if token is None or token.strip().lower() in DEFAULT_SECRETS:
                raise ConfigError("--token", "team mode refuses to start without a secret of "
                                  "its own (set --token or ALREF_WEB_TOKEN; not a default)")
            if len(token) < MIN_TOKEN_CHARS:
                raise ConfigError("--token", f"team secret has {len(token)} characters; "
                                  f"at least {MIN_TOKEN_CHARS} are required")
        elif host not in LOOPBACK_HOSTS and token is None:
            raise ConfigError("--host", f"{host!r} is not a loopback address: serving other "
                              "machines needs --mode team with a --token")
        if not 1 <= workers <= 64:
            raise ConfigError("--workers", f"{workers} is outside 1..64")
        if rate_limit_per_min < 1:
            raise ConfigError("--rate-limit", f"{rate_limit_per_min} must be at least 1")
        root = Path(data_dir if data_dir is not None else "alref-web-data").expanduser()
        if root.exists() and not root.is_dir():
            raise ConfigError("--data", f"{str(root)!r} is a file, not a directory")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError("--data", f"cannot create {str(root)!r}: {exc.strerror}") from None
        return cls(root.resolve(), mode, token, workers, rate_limit_per_min=rate_limit_per_min)
