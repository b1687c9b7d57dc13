"""The web application for people (`attendance-app web`): Today, Reports, People and, for
admins, Unknown visitors, Corrections and Accounts, rendered on the server.

A layer beside the window (attendance_app.gui): it reads the journal or the central log
through what `report` reads (attendance_app.records, attendance_app.central) and never
imports Qt. `app.build_app` makes the one FastAPI app; the HTTP API's router (api/) is
included into it. Its own state (accounts, their audit trail, failed logins) is in
`<data folder>/web.sqlite3`, one table per store, beside the API's tokens.
"""
