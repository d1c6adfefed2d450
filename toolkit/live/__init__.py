"""Live sessions: aggregates with small-cell suppression, the session timer, the dashboard, the server."""
