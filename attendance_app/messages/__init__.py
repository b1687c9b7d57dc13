"""Messages that leave the computer, opt-in (issue 25, point 6): a webhook on each arrival
and each unknown visitor, and a daily summary by webhook and/or e-mail.

The camera's thread only appends to an outbox (outbox.py, a SQLite file that survives
restarts); a sender thread (sender.py) delivers (delivery.py) oldest first, with back-off,
each message once. What a message says is content.py's. Nothing is imported here, so a
command that sends nothing loads none of it.
"""
