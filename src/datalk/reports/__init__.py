"""Scheduled reports: Papermill-rendered HTML and PDF per topic, territory profiles and the yearly report."""
