"""Marking the rules' texts for translation without Django (the domain layer has none).

`gettext_noop(text)` returns `text`; its name is one of the keywords Django's
`makemessages` collects, so that the layer that shows a text (the `lens assess` command)
can translate it with gettext. A text holds its values as %(name)s placeholders."""


def gettext_noop(text: str) -> str:
    return text
