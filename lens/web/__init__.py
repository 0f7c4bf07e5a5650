"""What the pages share: rendering and form errors (`pages`), formatting for people
(`presentation`, `outcomes`, the `lens_format` template tags) and the language switch.
Below accounts, check and the domain apps, above the data model; imports no domain
behaviour."""
