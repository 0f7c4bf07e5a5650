"""PLACEHOLDER: replaced by the real views (work in progress)."""


def persons(request, **kwargs):
    raise NotImplementedError


def picture(request, **kwargs):
    raise NotImplementedError


def lead(request, **kwargs):
    raise NotImplementedError


def ask(request, **kwargs):
    raise NotImplementedError
