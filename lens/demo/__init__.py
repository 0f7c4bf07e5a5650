"""Synthetic demo content for `lens demo` (this app holds the command): organisations,
users for every role, persons.

Nothing here is a real person or organisation. `world` makes the organisations and the
demo accounts, `persons` plans and registers the persons through the actions layer (so
the access log shows the demo users' writes), `coordination` adds the work across
organisations for the zorgcoördinator (near-duplicates, a linked person with a lead and
information requests, a suspected recruiter's network, referrals), `texts` holds the
invented notes.
"""
