"""Stocktake settings. Every value that differs between machines comes from the environment.

Development (the demo and the tests) sets DEBUG=true. With DEBUG off, SECRET_KEY and
ALLOWED_HOSTS must be given and the secure-transport settings are on: see README.md.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-not-for-production")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
    # .env.example's placeholder is long enough to pass every other check, so it is named.
    if "replace-with" in SECRET_KEY or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is still the placeholder from .env.example (or not random): set it "
            'to python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_tasks_db",
    "interventions",
    "directions",
    "boards",
    "reports",
    # Login throttling (below).
    "axes",
    "config.apps.StocktakeConfig",  # connects the security event logging
]

MIDDLEWARE = [
    # A request id on every response and log line (config/observability).
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content Security Policy (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page but login needs a signed-in user; public pages opt out with login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # The data's version, which kept answers are checked against, read once a request.
    "config.middleware.ReadDataVersionOnce",
    # Checks an organisation sign-in with the provider again every OIDC_SESSION_REFRESH_MINUTES.
    "config.auth.OrganisationSessionRefresh",
    "axes.middleware.AxesMiddleware",  # axes asks to be last
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Selects written in Python, the rest as Django renders them (interventions/kit/widgets.py).
FORM_RENDERER = "interventions.kit.widgets.FormRenderer"

VAR_DIR = BASE_DIR / "var"  # git-ignored: the default SQLite file, collected static files
DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'stocktake.sqlite3'}",
        conn_max_age=0 if DEBUG else 60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "interventions:intervention_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"

# Uploaded evidence: outside the web root, served only through a view that checks permission.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# The kinds of file officers upload as evidence, by extension, with the type each must be.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Report PDFs: like evidence, outside the web root and served only through a checked view.
REPORTS_ROOT = Path(env_str("REPORTS_ROOT", str(VAR_DIR / "reports")))

# Background tasks (report builds). Development and tests run them at once, in the request;
# production sets TASKS_BACKEND=database and runs `manage.py db_worker` beside the web server.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be immediate or database.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}

# A report build renews its lease on the report row every quarter of this; a build whose lease
# has run out lost its worker and is failed by the next page view or worker (reports/build.py).
REPORT_BUILD_LEASE_SECONDS = env_int("REPORT_BUILD_LEASE_SECONDS", 60, minimum=1)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "/static/"
# Where collectstatic puts the files WhiteNoise serves (default var/static).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.StaticFilesStorage"
        ),
    },
}

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy with Django's own middleware (django.middleware.csp, new in Django 6.0):
# it is the maintained successor of the django-csp package, so no extra dependency is needed.
# No 'unsafe-inline' anywhere: templates carry no inline script, style or event handler (a test
# checks), and GOV.UK Frontend's `js-enabled` class is set by static/js/init.js. A template that
# truly needs an inline script uses `nonce="{{ csp_nonce }}"` and adds CSP.NONCE to script-src.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # GOV.UK Frontend's stylesheet draws a few icons as data: URIs.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins for one user name
# from one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES (0: until an administrator
# deletes the access attempt in the admin, or runs `manage.py axes_reset_username NAME`).
AUTHENTICATION_BACKENDS = [
    "config.auth.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
_lockout_minutes = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = _lockout_minutes / 60 if _lockout_minutes else None  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # our own security log says it once, in the production format
# Only password sign-ins count towards the lockout. A failed organisation sign-in has no user
# name, so axes would count it against the empty name from that address and lock single sign-on
# for a whole office behind one NAT address; its reason is logged instead (`sso_refused`).
AXES_WHITELIST_CALLABLE = "config.auth.is_not_a_password_sign_in"
# The client's address: REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies in front append to
# X-Forwarded-For (a header anyone can forge when no proxy is trusted).
_trusted_proxies = env_int("TRUSTED_PROXY_COUNT", 0)
if _trusted_proxies:
    AXES_IPWARE_PROXY_COUNT = _trusted_proxies
    AXES_IPWARE_META_PRECEDENCE_ORDER: tuple[str, ...] = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Optional single sign-on through OpenID Connect (e.g. Microsoft Entra ID), on only when
# OIDC_RP_CLIENT_ID is set. Users are matched by email to existing accounts; nobody is created.
OIDC_ENABLED = bool(env_str("OIDC_RP_CLIENT_ID", ""))
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    AUTHENTICATION_BACKENDS.append("config.auth.OrganisationAccountBackend")
# Each defaults to the safe choice (docs/operations.md, "Single sign-on"):
# PKCE on every authorisation request (RFC 9700; some providers require it).
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", default=True)
# Only an email address the provider says it verified (`email_verified: true`) signs anyone in.
OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
# Signing out of Stocktake also ends the session at the provider (its end-session endpoint),
# so the next click on the button asks who you are instead of signing straight back in.
OIDC_PROVIDER_LOGOUT = env_bool("OIDC_PROVIDER_LOGOUT", default=True)
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT", "")
if OIDC_ENABLED and OIDC_PROVIDER_LOGOUT and not OIDC_OP_LOGOUT_ENDPOINT:
    raise ImproperlyConfigured(
        "Set OIDC_OP_LOGOUT_ENDPOINT (the provider's end-session endpoint), or set "
        "OIDC_PROVIDER_LOGOUT=false to leave people signed in at the provider on sign-out."
    )
OIDC_STORE_ID_TOKEN = OIDC_PROVIDER_LOGOUT  # the end-session request names the session by it
# Every so many minutes an organisation sign-in is checked again with the provider, silently,
# so an account disabled there stops working here too; 0 turns the check off.
_oidc_refresh_minutes = env_int("OIDC_SESSION_REFRESH_MINUTES", 15)
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = _oidc_refresh_minutes * 60
OIDC_CREATE_USER = False  # an administrator creates accounts and gives roles
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"

# Logs: JSON lines on standard output in production (one object per line, for the log
# collector), plain text in development; LOG_FORMAT=json or plain overrides.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
        "json": {"()": "config.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Axes reports every sign-in at INFO; the security events say what matters once.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Deadlines and work are "due soon" this many days ahead: the deadline pages' state, the
# reminder emails and My work all count the same days.
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", 14, minimum=1)

# Reminder emails (manage.py send_reminders): the mail server, the sender, and the service's
# address for the links in them. A mail server that stops answering fails that digest after
# EMAIL_TIMEOUT seconds (each wait in the SMTP conversation) instead of hanging the run. With
# EMAIL_SSL_CAFILE, STARTTLS verifies the server against that CA bundle (config/mail.py).
EMAIL_BACKEND = "config.mail.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
EMAIL_SSL_CAFILE = env_str("EMAIL_SSL_CAFILE", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "stocktake@localhost")
SITE_URL = env_str("SITE_URL", "")
# Who runs this copy of Stocktake and how to reach them about accessibility: shown in the
# accessibility statement. Each council sets its own; the defaults name nobody.
SERVICE_OWNER = env_str("SERVICE_OWNER", "the council that runs this service")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE", "")
