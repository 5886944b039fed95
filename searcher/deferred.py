"""Whoosh modules that searching never uses, loaded only when something does use them.

Opening an index and parsing a query import most of Whoosh, and with it modules nothing of
searcher calls: its English morphology for ``Variations`` queries (``whoosh.lang.morph_en``,
which compiles 54 patterns on import), the Porter stemmer and Double Metaphone behind its
own analysers (``whoosh.lang.porter``, ``whoosh.lang.dmetaphone``), its Levenshtein automata
(``whoosh.automata.lev``: :mod:`searcher.search.vocabulary` finds near spellings) and
its highlighter (``whoosh.highlight``: snippets are :mod:`searcher.search.snippets`'). They
cost a cold ``searcher query`` about 15 ms, a tenth of all its imports.

:func:`install` (called by ``searcher/__init__``) puts a stand-in for each in
``sys.modules`` before Whoosh imports it. The first use of anything in one (an attribute
read) loads the real module and gives the stand-in all its names, so the stand-in is from
then on the module itself: what Whoosh and anyone else see is the same in every way but the
moment it is loaded. Names other modules import from one at their own import (``from
whoosh.lang.porter import stem``) are functions that load the real module when first
called, then call its function; they stay the module's names (``whoosh.lang.porter.stem``
is what ``from`` bound), so a pickled stemmer still finds itself. A module Whoosh imported
before :func:`install` ran is left as it is. ``whoosh3`` is pinned exactly; the names
below are checked against it by ``tests/test_startup.py``.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from collections.abc import Callable
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any

#: Module -> the names other Whoosh modules import from it when they are imported.
DEFERRED: dict[str, tuple[str, ...]] = {
    "whoosh.lang.morph_en": ("variations",),
    "whoosh.lang.porter": ("stem",),
    "whoosh.lang.dmetaphone": ("double_metaphone",),
    "whoosh.automata.lev": (),
    "whoosh.highlight": (),
}

_LOCK = threading.RLock()


class Deferred(types.ModuleType):
    """A module's stand-in until its first use (see the module's text)."""

    def __getattr__(self, name: str) -> Any:  # only names the stand-in lacks
        if name.startswith("__") and name.endswith("__") and name != "__all__":
            raise AttributeError(name)  # the import system's probing: not a use
        self._load()
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None

    def _load(self) -> Deferred:
        with _LOCK:
            spec: ModuleSpec | None = self.__dict__.pop("_deferred_spec", None)
            if spec is not None:
                real = importlib.util.module_from_spec(spec)
                assert spec.loader is not None
                spec.loader.exec_module(real)
                kept = self.__dict__.get("_deferred_names", ())
                self.__dict__.update((k, v) for k, v in real.__dict__.items() if k not in kept)
                self.__dict__["_deferred_real"] = real
        return self


def is_loaded(module: types.ModuleType) -> bool:
    """Has ``module`` (a stand-in or not) been loaded?"""
    return "_deferred_spec" not in module.__dict__


def _forwarder(module: Deferred, name: str) -> Callable[..., Any]:
    real: list[Callable[..., Any]] = []

    def forward(*args: Any, **kwargs: Any) -> Any:
        if not real:
            module._load()
            real.append(getattr(module.__dict__["_deferred_real"], name))
        return real[0](*args, **kwargs)

    forward.__module__, forward.__name__, forward.__qualname__ = module.__name__, name, name
    return forward


def install() -> None:
    """Put the stand-ins in place (once; never over a module already imported)."""
    with _LOCK:
        for name, names in DEFERRED.items():
            if name in sys.modules:
                continue
            parent_name, _, leaf = name.rpartition(".")
            try:
                parent = importlib.import_module(parent_name)
                spec = PathFinder.find_spec(name, parent.__path__)
            except ImportError:
                continue
            if spec is None or spec.loader is None:
                continue
            module = Deferred(name)
            module.__file__, module.__spec__ = spec.origin, spec
            module.__dict__["_deferred_spec"] = spec
            module.__dict__["_deferred_names"] = names
            for forwarded in names:
                setattr(module, forwarded, _forwarder(module, forwarded))
            sys.modules[name] = module
            setattr(parent, leaf, module)
