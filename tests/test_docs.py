"""The documentation cannot rot: its code runs, its site builds, its API has examples.

* Every page of ``docs/`` (and ``README.md``) is one test. Its fenced code blocks run
  in order, in one namespace shared by the page, with the working directory set to a
  temporary folder: ```` ```python ```` blocks are executed, ```` ```pycon ```` blocks
  and blocks whose first line starts with ``>>>`` are checked as doctests (output
  must match). Any other fence (```` ```bash ````, ```` ```text ````, ...) is not run.
  Tracebacks point at the page's own line numbers.
* ``mkdocs build --strict`` builds the site into a temporary folder, so a broken
  link, a page missing from ``nav`` or a broken ``:::`` reference fails.
* Every public name of minigrad (each public module's ``__all__``, or the public
  functions and classes it defines) has a docstring with an example (``>>>``).
  One test per defining module, listing the names that lack one.
* Every public module appears in the API reference (``docs/api/*.md``).
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import inspect
import io
import os
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import minigrad

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("**/*.md")) + [p for p in [REPO / "README.md"] if p.exists()]

# --------------------------------------------------------------------------- code blocks

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass
class Block:
    lang: str
    line: int  # 1-based line of the first line of code
    code: str

    @property
    def is_doctest(self) -> bool:
        first = self.code.lstrip().splitlines()[0] if self.code.strip() else ""
        return self.lang == "pycon" or (self.lang in ("python", "py") and first.startswith(">>>"))

    @property
    def runs(self) -> bool:
        return self.lang in ("python", "py", "pycon")


def code_blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown page (indented fences included, dedented)."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m["indent"], m["fence"]
        info = m["info"].strip().lstrip("{").strip()
        lang = re.split(r"[\s{}]", info, maxsplit=1)[0].lstrip(".").lower() if info else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = lines[j].strip()
            if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0]):
                break
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        blocks.append(Block(lang, i + 2, "\n".join(body) + "\n"))
        i = j + 1
    return blocks


def _page_id(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def _run_doctest(block: Block, namespace: dict[str, Any], page: str) -> None:
    test = doctest.DocTestParser().get_doctest(
        block.code, namespace, f"{page}:{block.line}", page, block.line - 1
    )
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=_DOCTEST_FLAGS)
    runner.run(test, out=out.write, clear_globs=False)
    namespace.update(test.globs)  # DocTest works on a copy: share its names with the page
    if runner.failures:
        pytest.fail(f"doctest block at {page}:{block.line} failed:\n{out.getvalue()}", False)


def _run_python(block: Block, namespace: dict[str, Any], page: str) -> None:
    # Pad with blank lines so that tracebacks show the page's own line numbers.
    source = "\n" * (block.line - 1) + block.code
    try:
        exec(compile(source, page, "exec"), namespace)
    except Exception:
        tb = traceback.format_exc()
        pytest.fail(f"python block at {page}:{block.line} raised:\n{tb}", False)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every python/pycon block of one page, in order, in one namespace."""
    blocks = [b for b in code_blocks(page.read_text(encoding="utf-8")) if b.runs]
    if not blocks:
        return  # a page without runnable code passes trivially
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    name = _page_id(page)
    namespace: dict[str, Any] = {"__name__": "__docs__", "__file__": str(page)}
    dtype = minigrad.get_default_dtype()
    try:
        for block in blocks:
            if block.is_doctest:
                _run_doctest(block, namespace, name)
            else:
                _run_python(block, namespace, name)
    finally:
        minigrad.set_default_dtype(dtype)
        minigrad.set_grad_enabled(True)


def test_code_block_parser() -> None:
    text = (
        "# t\n```python\nx = 1\n```\n\n"
        '=== "Tab"\n\n    ```pycon\n    >>> x + 1\n    2\n    ```\n'
        "```bash\necho hi\n```\n"
        '````text title="a"\n```python\nnot code\n```\n````\n'
    )
    blocks = code_blocks(text)
    assert [(b.lang, b.line) for b in blocks] == [
        ("python", 3),
        ("pycon", 9),
        ("bash", 13),
        ("text", 16),
    ]
    assert blocks[1].code == ">>> x + 1\n2\n" and blocks[1].is_doctest
    assert [b.runs for b in blocks] == [True, True, False, False]
    assert blocks[3].code == "```python\nnot code\n```\n"


# --------------------------------------------------------------------------- the site


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    """The site builds with --strict: no broken links, no unlisted pages, no bad references."""
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            pytest.skip(f"{module} is not installed (pip install -e '.[docs]')")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}", False)


def test_griffe_extension_rewrites_example_headings() -> None:
    """docs/griffe_examples.py (loaded by mkdocs.yml) passes its own doctests."""
    pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location("griffe_examples", DOCS / "griffe_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = doctest.testmod(module, optionflags=_DOCTEST_FLAGS)
    assert result.attempted > 0 and result.failed == 0
    assert module.rewrite_example_headings("Examples:\n    >>> 1") == "Examples:\n    >>> 1"


# --------------------------------------------------------------------------- public names


def public_module_names() -> list[str]:
    """minigrad's modules whose dotted path has no private (``_``) part, from the files
    (nothing is imported, so a module that fails to import fails only its own tests)."""
    package = REPO / "minigrad"
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if any(part.startswith("_") for part in parts):
            continue
        names.append(".".join(parts))
    return names


PUBLIC_MODULES = public_module_names()


def _is_op_implementation(obj: Any) -> bool:
    """Function classes in ``minigrad.ops``: the public op is the function wrapping it."""
    from minigrad.autograd.function import FunctionBase

    return (
        inspect.isclass(obj)
        and issubclass(obj, FunctionBase)
        and obj.__module__.startswith("minigrad.ops.")
    )


def public_names(module_name: str) -> dict[str, Any]:
    """The public functions and classes that ``module_name`` is responsible for.

    Those in its ``__all__`` if it has one, else the non-underscore functions and
    classes it defines (for the ``minigrad`` package, also those it re-exports).
    A name re-exported from another public module is left to that module.
    """
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    if exported is not None:
        items = {n: getattr(module, n) for n in exported}
    else:
        items = {
            n: obj
            for n, obj in vars(module).items()
            if not n.startswith("_")
            and (module is minigrad or getattr(obj, "__module__", None) == module_name)
        }
    return {
        n: obj
        for n, obj in items.items()
        if (inspect.isfunction(obj) or inspect.isclass(obj))
        and not _is_op_implementation(obj)
        and (obj.__module__ == module_name or obj.__module__ not in PUBLIC_MODULES)
    }


def _has_example(obj: Any) -> bool:
    return ">>>" in (inspect.getdoc(obj) or "")


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_public_names_have_examples(module: str) -> None:
    """Every public function and class has a docstring with an example (``>>>``)."""
    missing = sorted(n for n, obj in public_names(module).items() if not _has_example(obj))
    assert not missing, (
        f"{module}: {len(missing)} public name(s) lack a docstring example (>>>): "
        + ", ".join(missing)
    )


def _exposures() -> dict[int, tuple[Any, set[str]]]:
    """Each public object, with every dotted path under which a public module offers it
    (its ``__all__``, its own public definitions, or the top-level package)."""
    found: dict[int, tuple[Any, set[str]]] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            items = {
                n: obj
                for n, obj in vars(module).items()
                if not n.startswith("_")
                and (module is minigrad or getattr(obj, "__module__", None) == module_name)
            }
        else:
            items = {n: getattr(module, n) for n in exported}
        for name, obj in items.items():
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or _is_op_implementation(obj):
                continue
            entry = found.setdefault(id(obj), (obj, set()))
            entry[1].add(f"{module_name}.{name}")
            entry[1].add(f"{obj.__module__}.{obj.__qualname__}")
    return found


def test_api_reference_covers_public_names() -> None:
    """Every public name is rendered by a ``:::`` in docs/api: itself, or a module that
    defines it or lists it in its ``__all__``.

    ``::: minigrad`` alone does not count: the package re-exports without ``__all__``,
    so mkdocstrings would not render those names.
    """
    text = "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / "api").glob("*.md"))
    referenced = set(re.findall(r"^\s*:::\s*([\w.]+)", text, flags=re.MULTILINE))
    referenced.discard("minigrad")

    def covered(path: str) -> bool:
        return path in referenced or path.rpartition(".")[0] in referenced

    missing = sorted(
        min(paths, key=lambda p: (len(p), p))
        for obj, paths in _exposures().values()
        if not any(covered(p) for p in paths)
    )
    assert not missing, "public names missing from docs/api/*.md: " + ", ".join(missing)
