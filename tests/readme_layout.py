#!/usr/bin/env python3
"""The README's Layout table names every top-level directory of the source
tree, and only those: the table is how a newcomer finds the architecture."""
import os
import re
import sys

top = sys.argv[1]
with open(os.path.join(top, "README.md")) as f:
    text = f.read()
section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
listed = set(re.findall(r"^\| `([^`/]+)/` \|", section, re.M))
skip = {"build", ".git", ".ci"}
present = {d for d in os.listdir(top)
           if os.path.isdir(os.path.join(top, d)) and d not in skip
           and not d.startswith("build")}
if listed != present:
    print("README.md Layout: missing %s, not in the tree %s"
          % (sorted(present - listed), sorted(listed - present)))
    sys.exit(1)
print("README.md Layout lists the %d top-level directories" % len(listed))
