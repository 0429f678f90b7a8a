"""shell.py: what a transcript's bash says, as a terminal would show it."""

import pytest

from verinotes_worker.shell import clean_shell_text


SCRIPT = "/tmp/verinotes-1-ab/s1/scratch/cmd3.sh"


@pytest.mark.parametrize(
    "text, expected",
    [
        (SCRIPT + ": line 1: foo: command not found\n", "bash: foo: command not found\n"),
        ("bash: line 12: cd: nowhere: No such file or directory", "bash: cd: nowhere: No such file or directory"),
        ("out\n" + SCRIPT + ": line 2: x: unbound variable\nmore\n", "out\nbash: x: unbound variable\nmore\n"),
        # not bash's line prefix: kept
        ("bash: line x: y", "bash: line x: y"),
        ("bash: line 3 has no colon", "bash: line 3 has no colon"),
        ("bash: line : empty", "bash: line : empty"),
        ("  bash: line 1: indented", "  bash: line 1: indented"),
        ("output about bash: line 1: y", "output about bash: line 1: y"),
        ("said: 1234567: see bash: line 9", "said: 1234567: see bash: line 9"),  # only at a line's start
        ("cannot open " + SCRIPT + "\n", "cannot open " + SCRIPT + "\n"),  # only the script as a message's prefix
        ("", ""),
    ],
)
def test_clean_shell_text(text, expected):
    assert clean_shell_text(text, SCRIPT) == expected


def test_without_a_path_only_the_line_numbers_go():
    text = SCRIPT + ": line 1: foo: command not found\nbash: line 2: bar: command not found"
    assert clean_shell_text(text, None) == SCRIPT + ": line 1: foo: command not found\nbash: bar: command not found"
    assert clean_shell_text(text, "") == clean_shell_text(text, None)


def test_every_mention_of_the_script_is_replaced():
    text = "%s: line 4: %s: Permission denied" % (SCRIPT, SCRIPT)
    assert clean_shell_text(text, SCRIPT) == "bash: bash: Permission denied"
