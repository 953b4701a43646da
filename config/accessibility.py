"""The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 require.

It is public: someone who cannot sign in because of an accessibility problem must still be able
to read it and find out how to report the problem.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility.html",
        {
            "owner": settings.SERVICE_OWNER,
            "email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "phone": settings.ACCESSIBILITY_CONTACT_PHONE,
        },
    )
