"""The mail backend of the reminder emails: Django's SMTP backend, which also verifies the mail
server against a CA bundle of the council's own (`EMAIL_SSL_CAFILE`) when one is set.

Django's backend checks the server's certificate against the system's CAs only; a council
whose relay has a certificate from an internal CA sets `EMAIL_SSL_CAFILE` to that CA's bundle
rather than turning verification off. The timeout (`EMAIL_TIMEOUT`) is Django's own.
"""

from __future__ import annotations

import ssl

from django.conf import settings
from django.core.mail.backends import smtp
from django.utils.functional import cached_property


class EmailBackend(smtp.EmailBackend):
    """SMTP, with STARTTLS (`EMAIL_USE_TLS`) or SSL verifying the server against
    `EMAIL_SSL_CAFILE` when it is set, and against the system's CAs when it is not."""

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        cafile = getattr(settings, "EMAIL_SSL_CAFILE", "")
        if not cafile:
            return super().ssl_context
        # Only the bundle is trusted, with the usual checks: the certificate must chain to it
        # and name the host in EMAIL_HOST.
        context = ssl.create_default_context(cafile=cafile)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context
