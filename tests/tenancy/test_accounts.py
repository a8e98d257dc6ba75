"""The pure account rules (cbec.accounts): Argon2id hashes under RFC 9106 parameters, the
password policy's named violations, the lockout arithmetic, TOTP against the RFC 6238 test
vectors, and a code accepted once only."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher, Type

from cbec.accounts import lockout, passwords, totp
from cbec.accounts import sessions as rules

PW = "correct horse battery staple"


@pytest.mark.usefixtures("production_passwords")
def test_hashes_are_argon2id_with_rfc9106_parameters():
    h = passwords.hash_password(PW)
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.hash_password(PW) != h  # a fresh salt every time
    assert passwords.verify(h, PW) == (True, False)
    assert passwords.verify(h, PW + "!") == (False, False)
    assert passwords.verify(None, PW) == (False, False)  # the dummy hash never matches
    assert passwords.verify("not a hash", PW) == (False, False)


@pytest.mark.usefixtures("production_passwords")
def test_a_hash_under_older_parameters_verifies_and_asks_for_a_rehash():
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID)
    old = weak.hash(PW)
    assert old.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert passwords.verify(old, PW) == (True, True)


def test_password_policy_names_the_rule_never_the_value():
    assert passwords.password_violations(PW, "ann@example.com") == []
    short = passwords.password_violations("eleven-char", "ann@example.com")
    assert [(v.field, v.rule, v.params) for v in short] == [
        ("password", "password_too_short", {"min": 12})
    ]
    assert "eleven-char" not in str(short[0])
    same = passwords.password_violations("Ann.Lee@Example.com", "ann.lee@example.com")
    assert [v.rule for v in same] == ["password_is_login"]
    assert [v.rule for v in passwords.password_violations("x" * 129, "a")] == ["password_too_long"]


def test_logins_are_case_folded_and_checked():
    assert passwords.normalise_login("  Ann@Example.COM ") == "ann@example.com"
    assert passwords.login_violations("ann@example.com") == []
    assert passwords.login_violations("warehouse-2") == []
    for bad in ("a", "ann lee", "-ann", "ann\x00"):
        assert [v.rule for v in passwords.login_violations(bad)] == ["login_format"], bad


def test_lock_grows_from_one_minute_doubling_to_an_hour():
    assert [lockout.lock_for(n) for n in range(5)] == [None] * 5
    assert lockout.lock_for(5) == timedelta(minutes=1)
    assert lockout.lock_for(6) == timedelta(minutes=2)
    assert lockout.lock_for(7) == timedelta(minutes=4)
    assert lockout.lock_for(11) == timedelta(hours=1)  # 64 min capped
    assert lockout.lock_for(10_000) == timedelta(hours=1)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    assert lockout.is_locked(at + timedelta(seconds=1), at)
    assert not lockout.is_locked(at, at) and not lockout.is_locked(None, at)


# RFC 6238 Appendix B: SHA-1, the ASCII secret "12345678901234567890", 8 digits, X = 30 s.
RFC6238_SHA1 = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("t", "code"), RFC6238_SHA1)
def test_totp_meets_the_rfc6238_test_vectors(t, code):
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert pyotp.TOTP(secret, digits=8).at(t) == code
    assert totp.counter_at(datetime.fromtimestamp(t, UTC)) == t // 30


def test_a_code_is_accepted_within_one_step_and_once_only():
    secret = totp.new_secret()
    independent = pyotp.TOTP(secret)  # the authenticator app
    at = datetime(2026, 12, 1, 9, 0, 10, tzinfo=UTC)
    now = totp.counter_at(at)
    code = independent.at(at)
    assert totp.accepted_counter(secret, code, at, None) == now
    assert totp.accepted_counter(secret, code, at, now) is None  # replay in its window
    late = independent.at(at - timedelta(seconds=30))
    assert totp.accepted_counter(secret, late, at, None) == now - 1
    assert totp.accepted_counter(secret, late, at, now) is None  # older than the last one
    too_old = independent.at(at - timedelta(seconds=60))
    assert totp.accepted_counter(secret, too_old, at, None) is None
    assert totp.accepted_counter(secret, "12345", at, None) is None
    assert totp.accepted_counter(secret, "abcdef", at, None) is None
    uri = totp.provisioning_uri(secret, "ann@example.com")
    assert uri.startswith("otpauth://totp/cbec:ann%40example.com?secret=" + secret)


def test_session_tokens_lifetimes_and_csrf():
    token = rules.new_token()
    assert len(token) >= 43 and rules.new_token() != token
    assert rules.token_hash(token) != token and len(rules.token_hash(token)) == 64
    csrf = rules.csrf_token_for(token)
    assert rules.check_csrf(rules.token_hash(csrf), csrf)
    forged = csrf[:-1] + ("1" if csrf.endswith("0") else "0")  # always another token
    assert not rules.check_csrf(rules.token_hash(csrf), forged)
    assert not rules.check_csrf(rules.token_hash(csrf), None)
    assert not rules.check_csrf(rules.token_hash(csrf), rules.csrf_token_for(rules.new_token()))
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    end = t0 + rules.ABSOLUTE_LIFETIME
    assert rules.live(t0, end, None, t0 + timedelta(minutes=29))
    assert not rules.live(t0, end, None, t0 + rules.IDLE_TIMEOUT)
    assert not rules.live(end - timedelta(minutes=1), end, None, end)
    assert not rules.live(t0, end, t0, t0 + timedelta(seconds=1))
