"""Runs notebooks cell by cell the way their runtimes do, so that the call
sites Spark records (file:line of the user frame) name cells as they would
there:

* a Databricks notebook source (`# Databricks notebook source`, cells split
  by `# COMMAND ----------`): each Python cell compiled under the file name
  Databricks' Python REPL gives a command,
  `<home>/.ipykernel/<pid>/command-<command id>-<n>`;
* a Jupyter notebook (.ipynb): each code cell compiled under ipykernel's
  name for it, `<tmp>/ipykernel_<pid>/<murmur2 of the cell source>.py`
  (ipykernel/compiler.py get_file_name).

Line numbers are the cell's own, as in both runtimes. The notebook's
globals start with `spark` (and, for Databricks, `display`), as the
runtime provides them.
"""
import json
import os
import tempfile

SEPARATOR = "# COMMAND ----------"
HEADER = "# Databricks notebook source"


def murmur2(text, seed=0xC70F6907):
    """MurmurHash2, x86 32-bit, of the UTF-8 text: ipykernel's cell hash."""
    m, data = 0x5BD1E995, text.encode("utf-8")
    h, whole = (seed ^ len(data)) & 0xFFFFFFFF, len(data) // 4 * 4
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i:i + 4], "little") * m & 0xFFFFFFFF
        k = (k ^ (k >> 24)) * m & 0xFFFFFFFF
        h = (h * m & 0xFFFFFFFF) ^ k
    if len(data) > whole:
        h = (h ^ int.from_bytes(data[whole:], "little")) * m & 0xFFFFFFFF
    h = (h ^ (h >> 13)) * m & 0xFFFFFFFF
    return h ^ (h >> 15)


# ipykernel's own murmur2_x86 gives these (tests of the C++ twin too).
assert murmur2("print('hello')") == 3900465672 and murmur2("abcd") == 804720481


def ipykernel_file(source):
    return os.path.join(tempfile.gettempdir(), f"ipykernel_{os.getpid()}",
                        f"{murmur2(source)}.py")


def databricks_cells(text):
    """The Python cells of a notebook source: (first file line, code), the
    code without the blank lines around it, as Databricks keeps a cell."""
    lines = text.splitlines()
    if not lines or lines[0] != HEADER:
        raise ValueError(f"line 1 is not {HEADER!r}")
    cells, start = [], 1
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i].rstrip() == SEPARATOR:
            body = lines[start:i]
            first = start
            while body and not body[0].strip():
                body, first = body[1:], first + 1
            while body and not body[-1].strip():
                body = body[:-1]
            if body and not body[0].startswith("# MAGIC"):
                cells.append((first + 1, "\n".join(body) + "\n"))
            start = i + 1
    return cells


def run_databricks_source(path, spark, first_command=3684298126601210):
    """Runs every Python cell of the notebook source at `path` in order."""
    with open(path) as f:
        cells = databricks_cells(f.read())
    home = os.path.join(tempfile.gettempdir(), f"spark-{os.getpid()}", ".ipykernel",
                        str(os.getpid()))
    namespace = {"__name__": "__main__", "spark": spark, "display": print}
    for n, (_, code) in enumerate(cells):
        name = os.path.join(home, f"command-{first_command + 17 * n}-{2048933269 + n}")
        exec(compile(code, name, "exec"), namespace)


def run_ipynb(path, spark):
    """Runs every code cell of the notebook at `path` in order."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    namespace = {"__name__": "__main__", "spark": spark}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        exec(compile(source, ipykernel_file(source), "exec"), namespace)


def write_dimension(folder, name, key, flag, label, rows=400_000, every=800):
    """A CSV table folder written by plain Python (so the application only
    reads it): `rows` rows, one in `every` flagged 1, a padding column
    making it 24 MB, which is what Spark estimates the table by."""
    path = os.path.join(folder, name)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "part-0.csv"), "w") as f:
        f.write(f"{key},{flag},{label},padding\n")
        pad = "p" * 36
        f.writelines(f"{i},{int(i % every == 0)},{label[0]}{i % 7},{pad}\n" for i in range(rows))
    return path
