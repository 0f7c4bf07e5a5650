"""PLACEHOLDER: replaced by the real views (work in progress)."""


def links(request, **kwargs):
    raise NotImplementedError


def link(request, **kwargs):
    raise NotImplementedError


def link_reveal(request, **kwargs):
    raise NotImplementedError
