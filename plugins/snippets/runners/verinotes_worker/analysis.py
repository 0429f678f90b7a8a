"""What a python block imports, binds and lacks, read from its syntax tree before it runs (§4b)."""

import ast
import importlib.util
import sys


def names_in(node):
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        return [n for e in node.elts for n in names_in(e)]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    return []


def imports_of(tree):
    """Top-level module names a block imports (imports guarded by `except ImportError` excluded)."""
    found = []

    def walk(node, guarded):
        if isinstance(node, ast.Import):
            if not guarded:
                found.extend(a.name.split(".")[0] for a in node.names)
            return
        if isinstance(node, ast.ImportFrom):
            if not guarded and node.level == 0 and node.module:
                found.append(node.module.split(".")[0])
            return
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            catches = any(
                h.type is None
                or any(n in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException") for n in names_in(h.type))
                for h in node.handlers
            )
            for n in node.body:
                walk(n, guarded or catches)
            for n in list(node.handlers) + list(node.orelse) + list(node.finalbody):
                walk(n, guarded)
            return
        for child in ast.iter_child_nodes(node):
            walk(child, guarded)

    walk(tree, False)
    seen = []
    for n in found:
        if n not in seen and n != "__future__":
            seen.append(n)
    return seen


def module_exists(name):
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def missing_modules(tree):
    names = imports_of(tree)
    missing = [n for n in names if not module_exists(n)]
    if missing:
        importlib.invalidate_caches()  # a file written during the session may provide it
        missing = [n for n in missing if not module_exists(n)]
    return missing


def missing_in(sources, missing=None):
    """The modules that sources [(text, filename)] import and are not installed, each once, after `missing`;
    a source that does not parse imports nothing (its own run reports the error)."""
    missing = list(missing or [])
    for text, name in sources:
        try:
            tree = ast.parse(text, name)
        except (SyntaxError, ValueError):
            continue
        missing += [m for m in missing_modules(tree) if m not in missing]
    return missing


# -- reading a note as its reader would (snippets-spec.md §4b) ------------------------------------

#: Standard-library names that notes use as variables more often than as modules: never supplied.
NOT_SUPPLIED = frozenset(
    "code test site cmd parser token types string array queue select signal symbol this antigravity trace "
    "profile email html secrets tty pty mailbox wave chunk turtle turtledemo idlelib ensurepip venv lib2to3 "
    "pydoc_data nt msvcrt winreg winsound posix pwd grp".split()
)


def bound_names(tree):
    """Every name a block binds, at any depth (an over-approximation: a name it might bind is not free)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                out.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            out.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            out.add(node.rest)
    return out


def attribute_bases(tree):
    """Names used as `name.attr`: what a reader takes for a module the note did not import."""
    return {
        n.value.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and isinstance(n.value.ctx, ast.Load)
    }


def one_edit_apart(a, b):
    """`aera` and `area`, `lenght` and `length`: one letter added, dropped, changed or two swapped (names of 3 or
    more letters, case counted: `model` and `Model` are a class and its instance, not a typo)."""
    if a.lower() == b.lower() or min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    k = 0
    while k < len(short) and short[k] == long_[k]:
        k += 1
    return short[k:] == long_[k + 1:]


def import_statement(name, module):
    """`import numpy as np`, `import os`, `from PIL import Image`."""
    if module == name:
        return "import %s" % name
    head, _, last = module.rpartition(".")
    if head and last == name:
        return "from %s import %s" % (head, name)
    return "import %s as %s" % (module, name)


def parse_quietly(text, name, mode="exec"):
    try:
        return ast.parse(text, name, mode)
    except (SyntaxError, ValueError, OverflowError):
        return None



def format_exception_only(e):
    import traceback

    return traceback.format_exception_only(type(e), e)


def syntax_message(e):
    lines = format_exception_only(e)
    last = lines[-1].strip() if lines else str(e)
    return {"message": last, "line": getattr(e, "lineno", None), "text": "".join(lines)}
