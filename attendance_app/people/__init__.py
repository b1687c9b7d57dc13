"""The enrolled people as every front end sees them: the rules for enrolment shots and
noticing roster changes made by another process at a running door."""
