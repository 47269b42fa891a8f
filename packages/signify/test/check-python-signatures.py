"""Checks generated Python signatures and docstrings the way Python itself sees them.

Reads a JSON list of {"id", "signature", "docstring"} from stdin and prints a JSON list of
{"id", "problem"} (empty when all is well). For each sample it writes the module

    from signify_types import *

    def f<signature>:
        <docstring in triple double quotes>
        pass

and then:
- `compile()`s it: the compiler rejects what the parser lets through (a repeated parameter name);
- imports it next to `signify_types.py`, which defines exactly the names a signature may use
  (Literal, Optional, Union; the builtins do the rest): annotations and defaults are evaluated
  when `def` runs, so an undefined type name or a bad default fails here;
- compares the docstring as Python reads it (`f.__doc__`, so the escaping that keeps a
  description inside the triple quotes is undone) with the imported function: one line per parameter, in
  order, each `    <name>: <annotation as written in the signature>`, `(required)` exactly for the
  parameters without a default, and `(default: <default as written>)` for a default other than None.
"""
import ast
import importlib
import inspect
import json
import sys
import tempfile
from pathlib import Path

SIGNIFY_TYPES = "from typing import Literal, Optional, Union\n"


def check(directory, sample):
    docstring = sample["docstring"]
    body = "" if docstring is None else f'    """{docstring}\n"""\n'
    source = f"from signify_types import *\n\n\ndef f{sample['signature']}:\n{body}    pass\n"
    name = f"sample_{sample['id']}"
    try:
        compile(source, f"{name}.py", "exec")
    except SyntaxError as error:
        return f"compile(): {error}"
    (directory / f"{name}.py").write_text(source, encoding="utf-8")
    try:
        module = importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - any failure to import is the finding
        return f"import: {type(error).__name__}: {error}"
    parameters = list(inspect.signature(module.f).parameters.values())
    if any(parameter.kind is not inspect.Parameter.KEYWORD_ONLY for parameter in parameters):
        return "a parameter is not keyword-only"
    definition = next(node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef))
    written = [
        (
            argument.arg,
            ast.get_source_segment(source, argument.annotation),
            None if default is None else ast.get_source_segment(source, default),
        )
        for argument, default in zip(definition.args.kwonlyargs, definition.args.kw_defaults)
    ]
    if docstring is not None:
        docstring = module.f.__doc__.removesuffix("\n")
    if not written:
        return None if docstring is None else "a docstring for a function without parameters"
    if docstring is None:
        return "no docstring for a function with parameters"
    lines = docstring.split("\n")
    if lines[0] != "Args:" or len(lines) != len(written) + 1:
        return f"the docstring does not have one Args line per parameter: {docstring!r}"
    for line, (parameter, annotation, default) in zip(lines[1:], written):
        prefix = f"    {parameter}: {annotation}"
        if not line.startswith(prefix):
            return f"{line!r} does not start with {prefix!r}"
        if (" (required)" in line) != (default is None):
            return f"{line!r}: (required) does not match the signature's default {default!r}"
        if default is not None and default != "None" and not line.endswith(f" (default: {default})"):
            return f"{line!r} does not end with the default {default!r}"
    return None


def main():
    samples = json.load(sys.stdin)
    with tempfile.TemporaryDirectory(prefix="signify-python-") as folder:
        directory = Path(folder)
        (directory / "signify_types.py").write_text(SIGNIFY_TYPES, encoding="utf-8")
        sys.path.insert(0, folder)
        problems = []
        for sample in samples:
            problem = check(directory, sample)
            if problem:
                problems.append({"id": sample["id"], "signature": sample["signature"], "problem": problem})
    json.dump(problems, sys.stdout)


main()
