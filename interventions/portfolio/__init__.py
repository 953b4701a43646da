"""The Department's portfolio: every intervention a user is granted, one row each, side by side.

The only page (and export) that mixes interventions. It reads each intervention as its own
dashboard does (`interventions.dashboard.figures`), on the same as-of day.
"""
