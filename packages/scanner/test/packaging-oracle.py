"""The outside oracle of the scanner tests: Python's own answers, asked once per test run.

    python3 packaging-oracle.py fixtures/packaging-corpus.json            # what test/global-setup.ts runs
    python3 packaging-oracle.py fixtures/packaging-corpus.json --answers  # re-records fixtures/packaging-answers.json

It prints one JSON object:

- "interpreter": `sys.executable` (the real binary, not a pyenv shim), `purelib`, the marker
  environment from `packaging.markers.default_environment()`, and the distributions
  `importlib.metadata` finds in `purelib` (names normalised by packaging's `canonicalize_name`);
- "answers": packaging's verdict on every input of the shared corpus: PEP 440 specifier sets
  (valid? contains each version?), PEP 508 markers (value for each extra), requirements (valid?
  name, extras, specifiers, URL, marker value for each extra) and PEP 503 names. `null` with a
  "reason" when no packaging >= 26 is importable: the scanner follows packaging 26 (`<`/`>`
  between plain strings are false, where the 21.3 that pip 22 vendors says true; the two disagree
  on 40 of the corpus's 1,168 cases), so an older copy would be a wrong oracle: the tests then
  compare with fixtures/packaging-answers.json, this script's answers recorded with packaging 26.2.

`packaging` is imported when installed, else the copy pip vendors (`pip._vendor.packaging`).
"""
import importlib.metadata
import json
import os
import platform
import re
import sys
import sysconfig

MINIMUM_MAJOR = 26

packaging = None
for module_name in ("packaging", "pip._vendor.packaging"):
    try:
        packaging = __import__(module_name, fromlist=["markers", "requirements", "specifiers", "utils"])
        MODULE = module_name
        break
    except ImportError:
        continue


def fallback_default_environment():
    """packaging 26's default_environment(), for an interpreter without any packaging copy."""

    def full(info):
        version = "%d.%d.%d" % (info.major, info.minor, info.micro)
        return version if info.releaselevel == "final" else version + info.releaselevel[0] + str(info.serial)

    return {
        "implementation_name": sys.implementation.name,
        "implementation_version": full(sys.implementation.version),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def canonical(name):
    if packaging is not None:
        return packaging.utils.canonicalize_name(name)
    return re.sub(r"[-_.]+", "-", name).lower()


def interpreter():
    purelib = sysconfig.get_paths()["purelib"]
    seen = {}
    for distribution in importlib.metadata.distributions(path=[purelib]):
        name = distribution.metadata["Name"]
        # A second copy of a name is shadowed, as on sys.path; one without a name is unusable.
        if name and distribution.version:
            seen.setdefault(canonical(name), distribution.version)
    return {
        "executable": sys.executable,
        "purelib": purelib,
        "environment": packaging.markers.default_environment()
        if packaging is not None
        else fallback_default_environment(),
        "environmentSource": f"{MODULE} {packaging.__version__}"
        if packaging is not None
        else "packaging 26's formula, copied into packaging-oracle.py",
        "distributions": sorted(seen.items()),
    }


def verdict(compute):
    """The value, or the exception's class name: an oracle that raises has answered too."""
    try:
        return {"value": compute()}
    except Exception as error:  # noqa: BLE001 - every failure is an answer here
        return {"error": type(error).__name__}


def answers(corpus):
    Marker = packaging.markers.Marker
    Requirement = packaging.requirements.Requirement
    SpecifierSet = packaging.specifiers.SpecifierSet
    environment, extras = corpus["environment"], corpus["extras"]

    def specifier(text):
        try:
            specifier_set = SpecifierSet(text)
        except Exception as error:  # noqa: BLE001
            return {"text": text, "valid": False, "error": type(error).__name__}
        contains = {v: specifier_set.contains(v, prereleases=True) for v in corpus["versions"]}
        return {"text": text, "valid": True, "contains": contains}

    def marker_values(marker):
        return {e: verdict(lambda e=e: marker.evaluate(dict(environment, extra=e))) for e in extras}

    def requirement(text):
        try:
            parsed = Requirement(text)
        except Exception as error:  # noqa: BLE001
            return {"input": text, "valid": False, "error": type(error).__name__}
        return {
            "input": text,
            "valid": True,
            "name": parsed.name,
            "canonicalName": canonical(parsed.name),
            "extras": sorted(canonical(extra) for extra in parsed.extras),
            "specifiers": sorted(str(clause) for clause in parsed.specifier),
            "url": parsed.url,
            "marker": None if parsed.marker is None else marker_values(parsed.marker),
        }

    return {
        "source": f"{MODULE} {packaging.__version__}",
        "specifiers": [specifier(t) for t in corpus["specifiers"] + corpus["invalidSpecifiers"]],
        "markers": [{"marker": m, "results": marker_values(Marker(m))} for m in corpus["markers"]],
        "requirements": [
            requirement(t) for t in corpus["requirements"] + corpus["invalidRequirements"]
        ],
        "names": {name: canonical(name) for name in corpus["names"]},
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as corpus_file:
        corpus = json.load(corpus_file)
    install = f"{sys.executable} -m pip install 'packaging>={MINIMUM_MAJOR}'"
    if packaging is None:
        reason = f"neither packaging nor pip._vendor.packaging is importable in {sys.executable} ({install})"
    elif int(packaging.__version__.split(".")[0]) < MINIMUM_MAJOR:
        reason = f"{MODULE} {packaging.__version__} in {sys.executable} is older than {MINIMUM_MAJOR} ({install})"
    else:
        reason = None
    if "--answers" in sys.argv:
        if reason:
            sys.exit(reason)
        json.dump(answers(corpus), sys.stdout, indent=1)
        print()
        return
    json.dump(
        {
            "interpreter": interpreter(),
            "answers": None if reason else answers(corpus),
            "reason": reason,
        },
        sys.stdout,
    )


main()
