"""analysis.py: what a python block imports, binds and lacks, read from its syntax tree (snippets-spec.md §4b)."""

import ast
import textwrap

import pytest

from verinotes_worker.analysis import (
    attribute_bases,
    bound_names,
    import_statement,
    imports_of,
    missing_in,
    missing_modules,
    module_exists,
    one_edit_apart,
    parse_quietly,
    syntax_message,
)


def tree(src):
    return ast.parse(textwrap.dedent(src))


# -- imports ------------------------------------------------------------------------------------


def test_imports_of_top_level_names_in_order_each_once():
    src = """
        import os.path, sys
        from collections.abc import Mapping
        from . import sibling
        from .pkg import thing
        from __future__ import annotations
        import os
        def f():
            import json
        class C:
            if True:
                import csv as table
    """
    assert imports_of(tree(src)) == ["os", "sys", "collections", "json", "csv"]


@pytest.mark.parametrize("handler", ["ImportError", "ModuleNotFoundError", "Exception", "BaseException", "(ValueError, ImportError)", ""])
def test_imports_guarded_by_an_import_handler_are_optional(handler):
    src = """
        try:
            import numpy
        except %s:
            import fallback_mod
        else:
            import in_else
        finally:
            import in_finally
    """ % handler
    assert imports_of(tree(src.replace("except :", "except:"))) == ["fallback_mod", "in_else", "in_finally"]


def test_imports_under_another_handler_are_required():
    src = """
        try:
            import numpy
        except ValueError:
            pass
    """
    assert imports_of(tree(src)) == ["numpy"]


def test_module_exists():
    assert module_exists("sys")  # already imported
    assert module_exists("json")
    assert module_exists("xml.dom")
    assert not module_exists("vn_no_such_module_here")
    assert not module_exists("")  # find_spec raises ValueError
    assert not module_exists("vn_no_such_package.sub")  # find_spec raises ModuleNotFoundError


def test_missing_modules_leaves_out_installed_and_guarded_ones():
    src = """
        import json, vn_missing_one
        from vn_missing_two import x
        try:
            import vn_optional
        except ImportError:
            vn_optional = None
    """
    assert missing_modules(tree(src)) == ["vn_missing_one", "vn_missing_two"]


def test_missing_modules_finds_a_module_written_on_the_path(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    t = tree("import vn_written_later")
    assert missing_modules(t) == ["vn_written_later"]
    (tmp_path / "vn_written_later.py").write_text("X = 1\n")
    assert missing_modules(t) == []


def test_missing_in_collects_each_module_once_after_the_given_ones():
    sources = [
        ("import json\nimport vn_gone_a\n", "a.py"),
        ("def broken(:\n    import vn_never_seen\n", "bad.py"),  # does not parse: imports nothing
        ("import vn_gone_a, vn_gone_b\n", "b.py"),
        ("import vn_null\0", "null.py"),  # ValueError from ast.parse
    ]
    assert missing_in(sources, ["some-program"]) == ["some-program", "vn_gone_a", "vn_gone_b"]
    assert missing_in(sources) == ["vn_gone_a", "vn_gone_b"]
    assert missing_in([]) == []


# -- names --------------------------------------------------------------------------------------


def test_bound_names_at_any_depth():
    src = """
        a = 1
        b, (c, d) = 2, (3, 4)
        for e in []: pass
        def f(g, *h, i=0, **j):
            k = g
        async def af(): pass
        class K: pass
        import os.path, numpy as np
        from x import y as z, w
        try:
            pass
        except Exception as err:
            pass
        with open("f") as fh: pass
        del a
        [m for m in ()]
        if (n := 5): pass
        match a:
            case [p, 1]: pass
            case {"k": r}: pass
            case Point(x=s) as t: pass
        obj.attr = 1
        seq[0] = 1
    """
    expected = set("a b c d e f g h i j k af K os np z w err fh m n p r s t".split())
    assert bound_names(tree(src)) == expected


def test_bound_names_of_star_and_rest_patterns():
    src = """
        match a:
            case [first, *others]: pass
            case {"k": v, **rest}: pass
    """
    assert bound_names(tree(src)) == {"first", "others", "v", "rest"}


def test_attribute_bases_are_names_loaded_before_a_dot():
    src = """
        np.zeros(3)
        a.b.c
        f().x
        "s".join
        obj.attr = 1
        (left + right).real
    """
    assert attribute_bases(tree(src)) == {"np", "a", "obj"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("aera", "area"),  # two letters swapped
        ("lenght", "length"),
        ("colour", "color"),  # one added
        ("color", "colour"),
        ("cat", "cut"),  # one changed
        ("item", "items"),
        ("xitems", "items"),
    ],
)
def test_one_edit_apart(a, b):
    assert one_edit_apart(a, b)
    assert one_edit_apart(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("model", "Model"),  # a class and its instance
        ("same", "same"),
        ("ab", "ac"),  # too short to be a typo
        ("fo", "Foo"),
        ("abc", "abcde"),  # two added
        ("abcd", "dbca"),  # a swap that is not adjacent
        ("abcd", "abxy"),  # two changed
        ("abcd", "abxcf"),  # one added and one changed
        ("abcd", "badc"),  # two swaps
    ],
)
def test_not_one_edit_apart(a, b):
    assert not one_edit_apart(a, b)
    assert not one_edit_apart(b, a)


@pytest.mark.parametrize(
    "name, module, statement",
    [
        ("os", "os", "import os"),
        ("np", "numpy", "import numpy as np"),
        ("Image", "PIL.Image", "from PIL import Image"),
        ("plt", "matplotlib.pyplot", "import matplotlib.pyplot as plt"),
        ("path", "os.path", "from os import path"),
    ],
)
def test_import_statement(name, module, statement):
    assert import_statement(name, module) == statement
    ast.parse(statement)


# -- parsing --------------------------------------------------------------------------------------


def test_parse_quietly():
    assert isinstance(parse_quietly("x = 1", "<block>"), ast.Module)
    assert isinstance(parse_quietly("1 + 1", "<stdin>", "eval"), ast.Expression)
    assert parse_quietly("def (", "<block>") is None  # SyntaxError
    assert parse_quietly("x = 1\0", "<block>") is None  # ValueError (null byte)
    assert parse_quietly("1" * 5000, "<block>") is None  # past the int digit limit
    assert parse_quietly("x = 1; y = 2", "<stdin>", "eval") is None


def test_syntax_message_of_a_block():
    with pytest.raises(SyntaxError) as info:
        compile("ok = 1\nx = (\n", "<block 4>", "exec")
    assert syntax_message(info.value) == {
        "message": "SyntaxError: '(' was never closed",
        "line": 2,
        "text": "  File \"<block 4>\", line 2\n    x = (\n        ^\nSyntaxError: '(' was never closed\n",
    }


def test_syntax_message_of_a_value_error_has_no_line():
    with pytest.raises(ValueError) as info:
        compile("a\0b", "<block>", "exec")
    assert syntax_message(info.value) == {
        "message": "ValueError: source code string cannot contain null bytes",
        "line": None,
        "text": "ValueError: source code string cannot contain null bytes\n",
    }
