"""Messages of console users and sessions (cbec.accounts, cbec.services.users/sessions)."""

MESSAGES = {
    "login_failed": {
        "en": "sign-in failed: wrong login or password, or the account cannot sign in now",
        "zh": "登录失败：账号或密码错误，或该账号当前无法登录",
    },
    "login_format": {
        "en": "3 to 254 of a-z, 0-9 and . _ @ + - (an e-mail address or a name)",
        "zh": "3 至 254 个字符，仅限 a-z、0-9 及 . _ @ + -（电子邮件地址或名称）",
    },
    "password_too_short": {
        "en": "a password needs at least {min} characters",
        "zh": "密码至少需要 {min} 个字符",
    },
    "password_too_long": {
        "en": "a password has at most {max} characters",
        "zh": "密码最多 {max} 个字符",
    },
    "password_is_login": {
        "en": "the password must not be the login",
        "zh": "密码不得与登录名相同",
    },
    "password_wrong": {
        "en": "the current password is wrong",
        "zh": "当前密码错误",
    },
    "totp_code_wrong": {
        "en": "the code is wrong, expired or already used",
        "zh": "验证码错误、已过期或已被使用",
    },
    "totp_already_on": {
        "en": "the second factor is already on",
        "zh": "双因素认证已开启",
    },
    "user_login_taken": {
        "en": "a user with this login already exists",
        "zh": "该登录名的用户已存在",
    },
    "user_self_change": {
        "en": "an admin cannot disable or change the role of its own account",
        "zh": "管理员不能停用自己的账号或更改自己的角色",
    },
}

KIND_NAMES = {
    "user": {"en": "user", "zh": "用户"},
    "invite": {"en": "invite", "zh": "邀请"},
}
