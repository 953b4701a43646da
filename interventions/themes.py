"""The seven Best Value themes of the statutory guidance (8 May 2024)."""

BEST_VALUE_THEMES: list[tuple[str, str]] = [
    ("continuous-improvement", "Continuous Improvement"),
    ("leadership", "Leadership"),
    ("governance", "Governance"),
    ("culture", "Culture"),
    ("use-of-resources", "Use of Resources"),
    ("service-delivery", "Service Delivery"),
    ("partnerships", "Partnerships and Community Engagement"),
]

THEME_SLUGS: tuple[str, ...] = tuple(slug for slug, _ in BEST_VALUE_THEMES)
