"""The enrolled people as every front end sees them: the one enrolment service every way
to enrol goes through (enrolment), the rules for enrolment shots (shot_rules), and
noticing roster changes made by another process at a running door (roster_watch)."""
