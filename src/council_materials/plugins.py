"""Find plugins, check them, and collect what they contribute.

Input: the built-in plugin plus every module in the ``council_materials``
entry-point group (optionally limited by ``COUNCIL_MATERIALS_PLUGINS``, a
comma-separated list of entry-point names; an empty value loads none).
Output: a ``Registry`` of material types, slide kinds and output formats,
each with the name of the plugin that gave it, and ``plugin_infos`` (what
``council plugins`` lists: each plugin's distribution, version,
contributions and hooks). Every plugin failure is a ``PluginError`` naming
the plugin.
"""
from __future__ import annotations

import inspect
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, entry_points, version
from typing import Any, Sequence, get_args

import pluggy
from pydantic import BaseModel, Field, create_model

from . import hookspecs
from .errors import PLUGIN_FAILURES, CouncilError, PluginError, failure, raised
from .hookspecs import PROJECT, MaterialType, OutputFormat, SlideKind
from .layout.primitives import PageRole
from .models import SlideBase, StrictModel

__all__ = ["get_plugin_manager", "Registry", "ENV_PLUGINS", "call_each", "PluginInfo", "plugin_infos"]

ENV_PLUGINS = "COUNCIL_MATERIALS_PLUGINS"
BUILTIN = "council_materials.builtin"


def get_plugin_manager(*, load_entrypoints: bool = True, extra: tuple[Any, ...] = ()) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-in plugin, installed plugins and ``extra``."""
    from . import builtin

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name=BUILTIN)
    if load_entrypoints:
        wanted = os.environ.get(ENV_PLUGINS)
        allowed = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
        found = sorted(entry_points(group=PROJECT), key=lambda e: e.name)
        unknown = sorted((allowed or set()) - {ep.name for ep in found})
        if unknown:
            raise PluginError(", ".join(unknown), f"{ENV_PLUGINS} names plugins that are not installed; "
                                                  f"installed: {', '.join(ep.name for ep in found) or '(none)'}")
        for ep in found:
            if allowed is not None and ep.name not in allowed:
                continue
            if pm.has_plugin(ep.name):
                continue
            try:
                module = ep.load()
            except PLUGIN_FAILURES as exc:  # a broken plugin must not crash the tool, nor end it
                raise PluginError(ep.name, f"cannot be loaded ({failure(exc)})") from exc
            _register(pm, module, ep.name)
    for index, plugin in enumerate(extra):
        _register(pm, plugin, getattr(plugin, "__name__", None) or f"plugin-{index}")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(pm.get_name(exc.plugin) or "?", f"{exc} (known hooks: {_hook_names()})") from exc
    return pm


def _register(pm: pluggy.PluginManager, plugin: Any, name: str) -> None:
    try:
        hash(plugin)
    except TypeError:  # pluggy leaves plugins out of a call by set membership (call_each)
        raise PluginError(name, f"a plugin must be a module or a hashable object, not {type(plugin).__name__}") from None
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(name, str(exc)) from exc


def _hook_names() -> str:
    return ", ".join(n for n in dir(hookspecs) if hasattr(getattr(hookspecs, n), "council_materials_spec"))


def call_each(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call ``hook`` through pluggy, one implementation at a time: [(plugin name, result)], the core's
    first, then by plugin name; a failure is a ``PluginError`` naming the plugin whose code raised.

    Each implementation is called through ``pm.subset_hook_caller`` (every other implementation left
    out, the wrappers kept), in the order pluggy calls them (``tryfirst`` first, ``trylast`` last,
    otherwise the last registered first), so pluggy runs every wrapper (``wrapper=True`` or the older
    ``hookwrapper=True``) around it, and what the call returns is that plugin's contribution: the core
    knows which plugin gave what, and which one failed. A wrapper therefore runs once per
    implementation, seeing that one plugin's result (a list of one value, or empty when it returned
    ``None``), not once around all of them (``docs/plugin-guide.md`` says so to plugin authors).
    """
    caller = getattr(pm.hook, hook)
    impls = caller.get_hookimpls()  # pluggy calls them from the last to the first
    wrappers = [impl for impl in impls if impl.wrapper or impl.hookwrapper]
    plain = [impl for impl in impls if not (impl.wrapper or impl.hookwrapper)]
    results: list[tuple[str, Any]] = []
    for impl in reversed(plain):
        one = pm.subset_hook_caller(hook, remove_plugins=[other.plugin for other in plain if other is not impl])
        try:
            returned = one(**kwargs)
        except PLUGIN_FAILURES as exc:
            culprit = _culprit(exc, [impl, *wrappers]) or impl
            raise PluginError(culprit.plugin_name, f"hook {hook} {raised(exc)}") from exc
        if not isinstance(returned, list):  # a wrapper replaced the list of results with something else
            names = ", ".join(wrapper.plugin_name for wrapper in wrappers)
            raise PluginError(names, f"hook {hook}: a wrapper returned {type(returned).__name__}, not the list of "
                                     f"results (plugin {impl.plugin_name!r})")
        results.extend((impl.plugin_name, result) for result in returned)
    # The core first, then plugins by name: a clash is blamed on the plugin, never on the core.
    return sorted(results, key=lambda pair: (pair[0] != BUILTIN, pair[0]))


def _culprit(exc: BaseException, impls: list[pluggy.HookImpl]) -> pluggy.HookImpl | None:
    """The implementation whose code raised ``exc``: the innermost of their frames in its traceback."""
    codes = {}
    for impl in impls:
        function = impl.function
        for code in (getattr(function, "__code__", None), getattr(inspect.unwrap(function), "__code__", None)):
            if code is not None:
                codes[code] = impl
    found, tb = None, exc.__traceback__
    while tb is not None:
        found = codes.get(tb.tb_frame.f_code, found)
        tb = tb.tb_next
    return found


_FORMAT_NAME = re.compile(r"[a-z][a-z0-9]{0,15}")
_WHAT = {"material": "material type", "kind": "slide kind", "format": "output format"}


@dataclass
class Registry:
    """Material types, slide kinds and output formats by name, with the plugin each came from."""

    material_types: dict[str, MaterialType] = field(default_factory=dict)
    slide_kinds: dict[str, SlideKind] = field(default_factory=dict)
    output_formats: dict[str, OutputFormat] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # "material:NAME"/"kind:NAME"/"format:NAME" -> plugin

    @classmethod
    def from_plugin_manager(cls, pm: pluggy.PluginManager) -> "Registry":
        registry = cls()
        for plugin, kinds in call_each(pm, "slide_kinds"):
            for kind in _list_of(kinds, SlideKind, plugin, "slide_kinds"):
                registry._add("kind", kind.name, kind, plugin, registry.slide_kinds)
                if not (isinstance(kind.model, type) and issubclass(kind.model, SlideBase)):
                    raise PluginError(plugin, f"slide kind {kind.name!r}: model must subclass SlideBase")
                _check_kind(kind, plugin)
        for plugin, types in call_each(pm, "material_types"):
            for material_type in _list_of(types, MaterialType, plugin, "material_types"):
                registry._add("material", material_type.name, material_type, plugin, registry.material_types)
                if not isinstance(material_type.lists_slides, bool):
                    raise PluginError(plugin, f"material type {material_type.name!r}: lists_slides must be True or "
                                              f"False, got {material_type.lists_slides!r}")
        for plugin, formats in call_each(pm, "output_formats"):
            for output in _list_of(formats, OutputFormat, plugin, "output_formats"):
                if not isinstance(output.name, str) or not _FORMAT_NAME.fullmatch(output.name) or \
                        not callable(output.render):
                    raise PluginError(plugin, f"output format {output.name!r}: the name must be lower-case letters "
                                              "and digits (it is a file suffix) and render a function")
                registry._add("format", output.name, output, plugin, registry.output_formats)
        return registry

    def _add(self, what: str, name: str, value: Any, plugin: str, table: dict[str, Any]) -> None:
        key = f"{what}:{name}"
        if name in table:
            raise PluginError(plugin, f"{_WHAT[what]} {name!r} is already provided by plugin {self.owners[key]!r}")
        table[name] = value
        self.owners[key] = plugin

    def formats(self, names: Sequence[str] = ()) -> list[OutputFormat]:
        """The output formats ``names`` asks for, in the registry's order (every default one when none is
        asked for); an unknown name is an error listing the known ones."""
        unknown = [name for name in names if name not in self.output_formats]
        if unknown:
            raise CouncilError(f"--format {', '.join(unknown)}: no such output format; the installed ones are "
                               f"{', '.join(self.output_formats)} (council plugins lists them)")
        if not names:
            return [output for output in self.output_formats.values() if output.default]
        return [output for name, output in self.output_formats.items() if name in names]

    def owner(self, material_type: str) -> str:
        return self.owners[f"material:{material_type}"]

    def content_model(self, material_type: MaterialType) -> type[BaseModel]:
        """The model a material's content file is validated with."""
        if material_type.content_model is SlidesContentPlaceholder:
            return self.slides_content_model()
        return material_type.content_model

    def slides_content_model(self) -> type[BaseModel]:
        """``{slides: [...]}`` over every registered slide kind, keyed on ``kind`` (made once per set of
        kinds: its validator is built on first use, and building it is costly)."""
        models = tuple(kind.model for kind in self.slide_kinds.values())
        return _slides_content_model(models)


@lru_cache(maxsize=8)
def _slides_content_model(models: tuple[type[BaseModel], ...]) -> type[BaseModel]:
    from typing import Annotated, Union

    union = Annotated[Union[models], Field(discriminator="kind")] if len(models) > 1 else models[0]
    # list[union]: a type made at run time from the registered kinds' models, which mypy cannot check
    return create_model("SlidesContent", __base__=StrictModel, slides=(list[union], Field(min_length=1)))  # type: ignore[valid-type]


class SlidesContentPlaceholder(StrictModel):
    """Marks the built-in ``slides`` type, whose model depends on every registered kind."""


_PAGE_ROLES = get_args(PageRole)


def _check_kind(kind: SlideKind, plugin: str) -> None:
    """What a kind says it is, checked where the plugin gives it rather than where a page meets it."""
    wrong = []
    if not isinstance(kind.draws_title, bool):
        wrong.append(f"draws_title must be True or False, got {kind.draws_title!r}")
    if kind.page_role not in _PAGE_ROLES:
        wrong.append(f"page_role must be one of {', '.join(map(repr, _PAGE_ROLES))}, got {kind.page_role!r}")
    if not isinstance(kind.page_name, str) or len(kind.page_name) > 60 or not kind.page_name.isprintable():
        wrong.append(f"page_name must be a line of at most 60 characters, got {kind.page_name!r}")
    if wrong:
        raise PluginError(plugin, f"slide kind {kind.name!r}: " + "; ".join(wrong))


def _list_of(value: Any, cls: type, plugin: str, hook: str) -> list[Any]:
    items = value if isinstance(value, (list, tuple)) else None
    if items is None or not all(isinstance(v, cls) for v in items):
        raise PluginError(plugin, f"hook {hook} must return a list of {cls.__name__}, got {type(value).__name__}"
                                  + (f" containing {type(next(v for v in items if not isinstance(v, cls))).__name__}"
                                     if items else ""))
    return list(items)


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin: where it comes from and what it contributes."""

    name: str
    distribution: str | None  # the installed package, e.g. council-materials-dx; None if not installed
    version: str | None
    material_types: dict[str, str]  # name -> description
    slide_kinds: dict[str, str]
    hooks: list[str]
    output_formats: dict[str, str] = field(default_factory=dict)


def plugin_infos(pm: pluggy.PluginManager) -> list[PluginInfo]:
    """Every plugin registered in ``pm``, the core first, then by name."""
    registry = Registry.from_plugin_manager(pm)
    dists = {ep.name: ep.dist for ep in entry_points(group=PROJECT)}

    def owned(plugin: str, what: str, table: dict[str, Any]) -> dict[str, str]:
        return {n: item.description for n, item in sorted(table.items()) if registry.owners[f"{what}:{n}"] == plugin}
    infos = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda pair: (pair[0] != BUILTIN, pair[0])):
        if plugin is None:  # blocked
            continue
        dist = dists.get(name)
        dist_name = "council-materials" if name == BUILTIN else (dist.metadata["Name"] if dist else None)
        try:
            dist_version = version(dist_name) if dist_name else None
        except PackageNotFoundError:
            dist_version = None
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
        infos.append(PluginInfo(name, dist_name, dist_version, owned(name, "material", registry.material_types),
                                owned(name, "kind", registry.slide_kinds), hooks,
                                owned(name, "format", registry.output_formats)))
    return infos
