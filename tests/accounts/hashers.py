"""A real password hasher that counts its checks, for the concurrent sign-in tests.

It is Django's MD5 hasher (fast, as the rest of the suite uses) under its own name, so that
the users made with it are checked by it: every password check of the sign-in, from any
thread, goes through `verify` here. Not a mock of our code: the sign-in runs unchanged.
"""

from __future__ import annotations

import threading

from django.contrib.auth.hashers import MD5PasswordHasher

DOTTED = "tests.accounts.hashers.CountingPasswordHasher"


class CountingPasswordHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    _lock = threading.Lock()
    checks = 0

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.checks = 0

    def verify(self, password: str, encoded: str) -> bool:
        with self._lock:
            type(self).checks += 1
        return super().verify(password, encoded)
