#!/usr/bin/env python3
"""Builds sdists of real Python projects, tag by tag, the way their own build backend builds them, and writes
them into a local tree that answers like PyPI's JSON API (ROOT/pypi/NAME/json + ROOT/packages/FILE).

PyPI itself is not reachable from the machines this check runs on; building the sdists from the repository's
tags gives archives made by the real tools (setuptools' `setup.py sdist`, flit_core's build_sdist). This runs
the projects' own setup.py on the developer's machine, to build fixtures only: divergence never runs it.

    pypi_sdists.py NAME MIRROR ROOT BASE_URL [--flit-path DIR] [--scm-path DIR] [--versioneer-path DIR]
                                                                            (BASE_URL: where ROOT is served)

Each tag is cloned (so setuptools-scm and versioneer find their version in git) and built with the build backend
its pyproject.toml names (setuptools' legacy backend without one): setuptools.build_meta, flit_core.buildapi.
flit_core, setuptools_scm and versioneer (when not vendored) are taken from the given folders (e.g. Debian's packages unpacked with dpkg -x).
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile


def build(name, mirror, tag, work, out, tools):
    """Builds one tag's sdist into OUT; returns (filename, None) or (None, why not)."""
    src = os.path.join(work, "%s-%s" % (name, tag))  # versioneer's parentdir_prefix expects NAME-VERSION
    # a clone of the tag, not an export: setuptools-scm and versioneer read the version (and the file list) from git
    r = subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", tag, "file://" + os.path.abspath(mirror), src],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, "clone failed: " + r.stderr.strip()[-200:]
    config = ""
    for f in ("pyproject.toml", "setup.py", "setup.cfg"):
        if os.path.exists(os.path.join(src, f)):
            with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
                config += fh.read()
    backend = ""
    if os.path.exists(os.path.join(src, "pyproject.toml")):
        import tomllib
        with open(os.path.join(src, "pyproject.toml"), "rb") as f:
            backend = tomllib.load(f).get("build-system", {}).get("build-backend", "")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    path = []
    if "setuptools_scm" in config or "setuptools-scm" in config:
        path.append(tools.get("setuptools_scm", ""))
    if "versioneer" in config and not os.path.exists(os.path.join(src, "versioneer.py")):
        path.append(tools.get("versioneer", ""))  # a build requirement, not vendored
    if backend.startswith("flit_core"):
        path.append(tools.get("flit", ""))
        module = "flit_core.buildapi"
    elif backend.startswith("setuptools.build_meta") or (not backend and os.path.exists(os.path.join(src, "setup.py"))):
        module = backend.replace(":", ".") if backend else "setuptools.build_meta.__legacy__"
    else:
        return None, "build backend %r not modelled" % backend
    if any(p == "" for p in path):
        return None, "needs a tool that was not given (%s)" % ", ".join(sorted(tools))
    env["PYTHONPATH"] = os.pathsep.join(path)
    code = ("import importlib, sys; b = importlib.import_module(sys.argv[1].replace('.__legacy__', ''));"
            " b = getattr(b, '__legacy__', b) if sys.argv[1].endswith('__legacy__') else b;"
            " print(b.build_sdist(sys.argv[2]))")
    r = subprocess.run([sys.executable, "-c", code, module, out], cwd=src, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["failed"])[-1]
    return r.stdout.strip().splitlines()[-1], None


def is_version(tag):
    """PEP 440, as PyPI accepts it (a leading v allowed): tags such as 1.0.x name branches, not releases."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        return True
    try:
        Version(tag)
        return True
    except InvalidVersion:
        return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("mirror")
    p.add_argument("root")
    p.add_argument("base_url")
    p.add_argument("--flit-path", default=os.environ.get("FLIT_PATH", ""), help="a folder holding flit_core")
    p.add_argument("--scm-path", default=os.environ.get("SCM_PATH", ""), help="a folder holding setuptools_scm")
    p.add_argument("--versioneer-path", default=os.environ.get("VERSIONEER_PATH", ""), help="a folder holding versioneer")
    a = p.parse_args()
    packages = os.path.join(a.root, "packages")
    os.makedirs(packages, exist_ok=True)
    tags = subprocess.run(["git", "-C", a.mirror, "tag"], check=True, capture_output=True, text=True).stdout.split()
    releases = {}
    work = tempfile.mkdtemp(prefix="realcheck-sdist-")
    try:
        for i, tag in enumerate(sorted(tags)):
            if not is_version(tag):
                print("realcheck: %s %s skipped: not a version (a branch-like tag)" % (a.name, tag), file=sys.stderr)
                continue
            filename, why = build(a.name, a.mirror, tag, work, packages,
                                  {"flit": a.flit_path, "setuptools_scm": a.scm_path,
                                   "versioneer": a.versioneer_path})
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
