#!/usr/bin/env python3
"""Builds the installable plugin zip: artifacts/urbanscore-qgis-<version>.zip holding the urbanscore/ folder.

Install it in QGIS with Plugins > Manage and Install Plugins > Install from ZIP. Usage (from the repository root):

    python3 integrations/qgis/build_zip.py [--out artifacts]

The zip is reproducible: files in name order with a fixed timestamp, caches left out.
"""

import argparse
import configparser
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "urbanscore")
LICENSE = os.path.join(HERE, "..", "..", "LICENSE")
# 1980-01-01, the earliest time a zip can hold: the same sources give the same bytes.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def plugin_files():
    for folder, subfolders, files in os.walk(PLUGIN):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            path = os.path.join(folder, name)
            yield path, os.path.join("urbanscore", os.path.relpath(path, PLUGIN)).replace(os.sep, "/")
    # The plugin repository wants a LICENSE inside the plugin; it is the repository's.
    yield LICENSE, "urbanscore/LICENSE"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "artifacts"), help="output folder")
    options = parser.parse_args(argv)
    metadata = configparser.ConfigParser()
    metadata.read(os.path.join(PLUGIN, "metadata.txt"), encoding="utf-8")
    version = metadata["general"]["version"]
    os.makedirs(options.out, exist_ok=True)
    target = os.path.abspath(os.path.join(options.out, "urbanscore-qgis-{}.zip".format(version)))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in plugin_files():
            entry = zipfile.ZipInfo(name, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            with open(path, "rb") as stream:
                archive.writestr(entry, stream.read())
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
