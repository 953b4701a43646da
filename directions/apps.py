from django.apps import AppConfig


class DirectionsConfig(AppConfig):
    name = "directions"
    verbose_name = "Directions"
