"""One page's ES modules as one file, made in memory when the server starts (the source tree
stays build-free): every module of its own under static/js, in dependency order, each inside
a function whose result is the module's exports; vendored modules stay separate files.

It takes the code as the project writes it: `import { a, b as c } from "./x.js";` on one line,
`import name from "../vendor/...";` for a vendored module, `export` before a top-level
function, async function, class or const, `import("...")` with a literal path. Anything else
(another import or export form, an import cycle) raises BundleError and the page loads its
modules one by one instead.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

NAMED_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"([^"]+)";?[ \t]*$', re.M)
DEFAULT_IMPORT = re.compile(r'^import\s+([A-Za-z_$][\w$]*)\s+from\s*"([^"]+)";?[ \t]*$', re.M)
ANY_IMPORT = re.compile(r"^import\b", re.M)
EXPORT = re.compile(
    r"^export\s+(?:(?:async\s+)?function\*?|class|const)\s+([A-Za-z_$][\w$]*)", re.M
)
ANY_EXPORT = re.compile(r"^export\b", re.M)
DYNAMIC_IMPORT = re.compile(r'\bimport\(\s*"([^"]+)"\s*\)')
VENDOR = "vendor/"

Read = Callable[[str], str | None]  # static path -> source text, None if missing
Url = Callable[[str], str]  # static path of a vendored module -> its versioned path


class BundleError(Exception):
    """The modules use a form the bundler does not take."""


def resolve(importer: str, specifier: str) -> str:
    """The static path (e.g. js/shared/dom.js) a relative specifier of `importer` names."""
    if not specifier.startswith((".", "/")):
        raise BundleError(f"{importer}: bare import {specifier!r}")
    return posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))


def relative(path: str, start: str) -> str:
    """`path` relative to the folder of the module `start`, as an import specifier."""
    rel = posixpath.relpath(path, posixpath.dirname(start))
    return rel if rel.startswith(".") else f"./{rel}"


def imports_of(path: str, source: str) -> list[tuple[str, str, str]]:
    """(kind "named" | "default", names, static path) of every static import, in order."""
    found = [("named", m.group(1), m.group(2), m.start()) for m in NAMED_IMPORT.finditer(source)]
    found += [
        ("default", m.group(1), m.group(2), m.start()) for m in DEFAULT_IMPORT.finditer(source)
    ]
    if len(found) != len(ANY_IMPORT.findall(source)):
        raise BundleError(f"{path}: an import form the bundler does not take")
    return [
        (kind, names, resolve(path, spec))
        for kind, names, spec, _ in sorted(found, key=lambda f: f[3])
    ]


def exports_of(path: str, source: str) -> list[str]:
    """Names the module exports (export function/async function/class/const NAME)."""
    names = EXPORT.findall(source)
    if len(names) != len(ANY_EXPORT.findall(source)):
        raise BundleError(f"{path}: an export form the bundler does not take")
    return names


def order(entry: str, read: Read) -> list[str]:
    """The entry's own modules, each after every module it imports (vendored ones left out)."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(path: str) -> None:
        if path in done:
            return
        if path in visiting:
            raise BundleError(f"{path}: an import cycle")
        source = read(path)
        if source is None:
            raise BundleError(f"{path}: no such module")
        visiting.add(path)
        for _, _, target in imports_of(path, source):
            if not target.startswith(VENDOR):
                visit(target)
        visiting.discard(path)
        done.append(path)

    visit(entry)
    return done


def destructure(names: str) -> str:
    """`a, b as c` -> `a, b: c` (an import list as a destructuring pattern)."""
    parts = [part.strip() for part in names.split(",") if part.strip()]
    return ", ".join(re.sub(r"^([\w$]+)\s+as\s+([\w$]+)$", r"\1: \2", part) for part in parts)


def bundle(entry: str, read: Read, url: Url) -> tuple[str, list[str]]:
    """(the bundle's text, the static paths of the vendored modules it imports statically).

    The bundle is served from the entry's folder, so vendored modules and dynamic imports are
    given relative to it (with their versions, from `url`)."""
    modules = order(entry, read)
    ids = {path: f"__m{i}" for i, path in enumerate(modules)}
    vendors: dict[str, str] = {}
    head: list[str] = []
    body: list[str] = []
    for path in modules:
        source = read(path) or ""
        exported = exports_of(path, source)
        lines = [f"// {path}", f"const {ids[path]} = (() => {{"]
        for kind, names, target in imports_of(path, source):
            if target.startswith(VENDOR):
                if target not in vendors:
                    vendors[target] = f"__v{len(vendors)}"
                    head.append(f'import {vendors[target]} from "{relative(url(target), entry)}";')
                if kind != "default":
                    raise BundleError(f"{path}: named import of vendored {target}")
                lines.append(f"const {names} = {vendors[target]};")
            elif kind == "named":
                lines.append(f"const {{ {destructure(names)} }} = {ids[target]};")
            else:
                raise BundleError(f"{path}: default import of {target}")
        code = DEFAULT_IMPORT.sub("", NAMED_IMPORT.sub("", source))
        code = ANY_EXPORT.sub("", code)
        code = DYNAMIC_IMPORT.sub(
            lambda m, at=path: f'import("{relative(url(resolve(at, m.group(1))), entry)}")', code
        )
        lines += [code, f"return {{ {', '.join(exported)} }};", "})();"]
        body.append("\n".join(lines))
    return "\n".join([*head, *body]) + "\n", list(vendors)
