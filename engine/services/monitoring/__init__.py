"""Monitoring of the mentorship system: the dashboard and the analytic reports (issue 15)."""
