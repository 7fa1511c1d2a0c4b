#!/usr/bin/env python3
"""The proof harness's own judgement: names a real run gives places, and
what counts as the right place, a wrong one, a broken file."""

import json
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import titan_corpus as t  # noqa: E402


class RunNames(unittest.TestCase):
    def test_ipykernel_names_cells_like_ipykernel(self):
        # Values from ipykernel's murmur2_x86 (seed 0xC70F6907), as in
        # src/prometheus/rewrite/ipynb_json_test.cc.
        self.assertEqual(t.murmur2(b"print('hello')", 0xC70F6907), 3900465672)
        self.assertEqual(t.murmur2(b"", 0xC70F6907), 3990065800)
        self.assertEqual(t.murmur2(b"abc", 0xC70F6907), 3350977461)
        self.assertEqual(t.murmur2(b"abcd", 0xC70F6907), 804720481)
        self.assertEqual(
            t.ipykernel_file("a"), "/tmp/ipykernel_4242/2167009006.py")

    def test_databricks_command_lines_skip_blank_lines_and_titles(self):
        text = ("# Databricks notebook source\nx = 1\n\n# COMMAND ----------\n"
                "\n# DBTITLE 1,Join\ny = a.join(b)\ny.count()\n\n")
        self.assertEqual(t.databricks_cells(text), [(2, 2), (7, 8)])

    def test_a_databricks_action_is_a_command_line(self):
        entry = {"repo": "o/r", "path": "nb.py"}
        job = t.Job.__new__(t.Job)
        job.entry, job.path, job.kind, job.cells = entry, "nb.py", \
            "databricks", None
        job.text = ("# Databricks notebook source\nx = 1\n\n"
                    "# COMMAND ----------\n\ny = a.join(b)\ndisplay(y)\n")
        site = job.call_site(7)
        self.assertRegex(site["file"], r"^command-\d{16}$")
        self.assertEqual(site["line"], 2)
        self.assertEqual(job.entry_point(), "/Repos/u/r/nb")


class Placement(unittest.TestCase):
    BEFORE = ("from pyspark.sql import functions as F\n"
              "big = spark.read.parquet('a')\n"
              "small = spark.read.parquet('b')\n"
              "j = big.join(small, 'k')\n"
              "j.count()\n")
    JOIN = {"line": 4, "expr": "small", "action": 5}

    def test_the_small_side_wrapped_is_right(self):
        after = self.BEFORE.replace("join(small", "join(F.broadcast(small)")
        self.assertEqual(
            t.placement(self.JOIN, "a.py", {"a.py": (self.BEFORE, after)}),
            "right")

    def test_an_import_gaining_broadcast_is_allowed(self):
        before = self.BEFORE.replace("functions as F", "col")
        after = before.replace("import col", "import broadcast, col").replace(
            "join(small", "join(broadcast(small)")
        self.assertEqual(
            t.placement(self.JOIN, "a.py", {"a.py": (before, after)}), "right")

    def test_the_large_side_wrapped_is_wrong(self):
        after = self.BEFORE.replace("big.join", "F.broadcast(big).join")
        self.assertIn("not its small side", t.placement(
            self.JOIN, "a.py", {"a.py": (self.BEFORE, after)}))

    def test_an_edit_elsewhere_or_in_another_file_is_wrong(self):
        after = self.BEFORE.replace("j.count()", "j.cache().count()")
        self.assertIn("outside the join", t.placement(
            self.JOIN, "a.py", {"a.py": (self.BEFORE, after)}))
        self.assertIn("not a.py", t.placement(
            self.JOIN, "a.py", {"b.py": ("x\n", "y\n")}))

    def test_a_sql_hint_names_the_small_relation(self):
        before = ("df = spark.sql('''SELECT * FROM emp e\n"
                  "JOIN dept d ON e.k = d.k''')\ndf.show()\n")
        join = {"line": 1, "sql": ["d", "dept"], "action": 3}
        right = before.replace("SELECT", "SELECT /*+ BROADCAST(d) */")
        wrong = before.replace("SELECT", "SELECT /*+ BROADCAST(e) */")
        self.assertEqual(t.placement(join, "s.py", {"s.py": (before, right)}),
                         "right")
        self.assertNotEqual(
            t.placement(join, "s.py", {"s.py": (before, wrong)}), "right")

    def test_notebook_cells_are_units(self):
        nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n"]},
                        {"cell_type": "code",
                         "source": ["j = big.join(small, 'k')\n", "j.show()"]}]}
        before = json.dumps(nb)
        nb["cells"][1]["source"][0] = "j = big.join(broadcast(small), 'k')\n"
        join = {"cell": 1, "line": 1, "expr": "small", "action": 2}
        self.assertEqual(t.placement(join, "n.ipynb",
                                     {"n.ipynb": (before, json.dumps(nb))}),
                         "right")


class BrokenFiles(unittest.TestCase):
    def test_magics_are_masked_and_cell_magics_skipped(self):
        self.assertTrue(t.parses(t.strip_magics("%pip install x\n!ls\nx = 1")))
        self.assertIsNone(t.strip_magics("%%sql\nSELECT 1"))

    def test_comments_are_counted(self):
        self.assertEqual(t.comments("x = 1  # one\n# two\n")["# two"], 1)
        self.assertIsNone(t.comments("x = (\n"))


if __name__ == "__main__":
    unittest.main()
