#!/usr/bin/env python3
"""Builds sdists of real Python projects, tag by tag, the way their own build system builds them, and writes
them into a local tree that answers like PyPI's JSON API (ROOT/pypi/NAME/json + ROOT/packages/FILE).

PyPI itself is not reachable from the machines this check runs on; building the sdists from the repository's
tags gives archives made by the real tools (setuptools' `setup.py sdist`, flit_core's build_sdist). This runs
the projects' own setup.py on the developer's machine, to build fixtures only: divergence never runs it.

    pypi_sdists.py NAME MIRROR ROOT BASE_URL [--flit-path DIR]   (BASE_URL: where ROOT will be served)
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile


def build(mirror, tag, work, out, flit_path):
    src = os.path.join(work, tag)
    os.makedirs(src)
    archive = subprocess.run(["git", "-C", mirror, "archive", tag], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
    backend = ""
    pyproject = os.path.join(src, "pyproject.toml")
    if os.path.exists(pyproject):
        import tomllib
        with open(pyproject, "rb") as f:
            backend = tomllib.load(f).get("build-system", {}).get("build-backend", "")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    if backend.startswith("flit_core"):
        if not flit_path:
            return None, "flit project, no --flit-path"
        code = ("import flit_core.buildapi as b, sys; print(b.build_sdist(sys.argv[1]))")
        env["PYTHONPATH"] = flit_path
        r = subprocess.run([sys.executable, "-c", code, out], cwd=src, env=env, capture_output=True, text=True)
    elif os.path.exists(os.path.join(src, "setup.py")) and backend in ("", "setuptools.build_meta",
                                                                         "setuptools.build_meta:__legacy__"):
        before = set(os.listdir(out))
        r = subprocess.run([sys.executable, "setup.py", "-q", "sdist", "-d", out], cwd=src, env=env,
                           capture_output=True, text=True)
        made = sorted(set(os.listdir(out)) - before)
        if r.returncode == 0 and made:
            return made[-1], None
    else:
        return None, "build backend %r not modelled" % backend
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["failed"])[-1]
    return r.stdout.strip().splitlines()[-1], None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("mirror")
    p.add_argument("root")
    p.add_argument("base_url")
    p.add_argument("--flit-path", default=os.environ.get("FLIT_PATH", ""))
    a = p.parse_args()
    packages = os.path.join(a.root, "packages")
    os.makedirs(packages, exist_ok=True)
    tags = subprocess.run(["git", "-C", a.mirror, "tag"], check=True, capture_output=True, text=True).stdout.split()
    releases = {}
    work = tempfile.mkdtemp(prefix="realcheck-sdist-")
    try:
        for i, tag in enumerate(sorted(tags)):
            filename, why = build(a.mirror, tag, work, packages, a.flit_path)
            if filename is None:
                print("realcheck: %s %s not built: %s" % (a.name, tag, why), file=sys.stderr)
                continue
            path = os.path.join(packages, filename)
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            releases[tag] = [{
                "filename": filename, "packagetype": "sdist", "python_version": "source",
                "size": os.path.getsize(path), "digests": {"sha256": digest},
                "upload_time_iso_8601": "2024-01-01T00:00:%02dZ" % (i % 60),
                "url": a.base_url + "/packages/" + filename, "yanked": False, "yanked_reason": None}]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    doc = {"info": {"name": a.name, "version": "", "home_page": "", "project_urls": {}},
           "releases": releases, "urls": []}
    os.makedirs(os.path.join(a.root, "pypi", a.name), exist_ok=True)
    with open(os.path.join(a.root, "pypi", a.name, "json"), "w") as f:
        json.dump(doc, f, indent=1)
    print("realcheck: %s: %d sdists built from %d tags" % (a.name, len(releases), len(tags)), file=sys.stderr)


if __name__ == "__main__":
    main()
