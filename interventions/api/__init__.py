"""The read-only API, versioned under /api/v1/: JSON with an OpenAPI description, and CSV
downloads of the same lists.

Without sign-in it gives only what the public pages publish (`boards.public_views`); a
signed-in user reads what their own pages show them, decided by the same permission functions
(`access.py`). It sits on the read side of the one-way house: it may import every domain.
"""
