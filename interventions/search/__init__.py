"""Search across one intervention: Directions, the plan, meetings and papers, actions,
recommendations and responses, evidence, people and reports, each only as its own page shows
it to the user."""
