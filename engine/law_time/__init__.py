"""Calendar law: dates as the statutes count them.

In: dates, and the official holiday calendar shipped in `statutes/calendar/`. Out: month and year arithmetic,
working days (`workdays`), and the deadline declarations' IR helpers (`deadlines`).
May import: `dsl`, `engine.model`, `statutes` (for the calendar files).
"""
