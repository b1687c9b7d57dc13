"""The site's central PostgreSQL database, for several doors sharing one roster and one log.

Configured by database.url (or --database, or ATTENDANCE_DATABASE_URL); without it nothing
here is imported and every door keeps its own SQLite files. With it:

- the roster (people, encodings, face pictures) lives on the server; each door matches
  against a local copy (replica.SharedFaceStore) kept up to date by LISTEN/NOTIFY
  (link.CentralLink), so a door keeps recognising people while the server is away;
- every event is committed to the door's own journal first and pushed by a background
  task (pusher.JournalPusher); its id, made at the door, makes a push idempotent;
- exports and reports read the central log (records.CentralJournal), where a second row
  of a person within the cooldown, from any door, is marked a repeat and not counted.
"""
