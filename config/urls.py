"""Top-level URLs. Every page needs a signed-in user (LoginRequiredMiddleware) unless it is
marked with login_not_required."""

from django.contrib import admin
from django.urls import include, path

from config import views as service_views
from config.accessibility import accessibility_statement

urlpatterns = [
    path("login/", service_views.SignInView.as_view(), name="login"),
    path("logout/", service_views.SignOutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("", include("interventions.urls")),
    path("", include("directions.urls")),
    path("", include("boards.urls")),
    # Operations and single sign-on (docs/operations.md).
    path("healthz", service_views.healthz, name="healthz"),
    path("oidc/authenticate/", service_views.oidc_authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", service_views.oidc_callback, name="oidc_authentication_callback"),
    path("", include("reports.urls")),
    # The read-only API with its OpenAPI description (interventions/api).
    path("api/v1/", include("interventions.api.urls")),
]
