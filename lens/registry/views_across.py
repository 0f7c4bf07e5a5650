"""PLACEHOLDER: replaced by the real views (work in progress)."""


def requests(request, **kwargs):
    raise NotImplementedError


def request(request, **kwargs):
    raise NotImplementedError


def refer(request, **kwargs):
    raise NotImplementedError


def relation_new(request, **kwargs):
    raise NotImplementedError


def relation_end(request, **kwargs):
    raise NotImplementedError
