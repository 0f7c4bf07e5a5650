"""PLACEHOLDER: replaced by the real views (work in progress)."""


def worklist(request, **kwargs):
    raise NotImplementedError


def work_done(request, **kwargs):
    raise NotImplementedError
