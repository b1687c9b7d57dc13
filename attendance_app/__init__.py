"""The face-recognition attendance app: configuration, face engine, pipeline, journal,
camera sources and the command line. It wires together `trackers`, `enrolment` and
`exports`, which know nothing of each other."""
