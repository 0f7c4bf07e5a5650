"""PLACEHOLDER: replaced by the real views (work in progress)."""


def relation_new(request, **kwargs):
    raise NotImplementedError


def relation_end(request, **kwargs):
    raise NotImplementedError


def network(request, **kwargs):
    raise NotImplementedError
