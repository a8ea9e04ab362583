# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test suite of sailpoint.identitynow, declared for nox and antsibull-nox.

antsibull-nox.toml declares the linters (ansible-lint, yamllint, docs-check, extra-checks,
build-import-check); this file adds the ansible-test matrix, the integration sessions that run
against the SIM emulator, and a few small sessions. `nox -l` lists them all; docs/contributing.md
says how to run one. `python3 scripts/ci.py` (what CI runs) runs all of them in two lanes.

Needs nox and antsibull-nox in the Python that runs nox, plus jsonpatch (the integration sessions
start the emulator with that Python): `pip install -r .ci/nox.txt`.
"""

from __future__ import annotations

import atexit
import functools
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nox

try:
    import antsibull_nox
    import antsibull_nox.sessions.ansible_test as _antsibull_ansible_test
    from antsibull_nox.sessions.ansible_test import COLOR_FLAG
except ImportError:
    print("noxfile.py needs antsibull-nox beside nox: python -m pip install -r .ci/nox.txt")
    sys.exit(1)

ROOT = Path(__file__).resolve().parent
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))

# ------------------------------------------------------------------------------------ the matrix
# ansible-core minor -> the Python that sanity and units run their target-side tests on
# (None: every Python that core supports and that is installed). The oldest and the newest core
# get every Python (the oldest's controller-side unit tests one, see UNITS_CONTROLLER_PYTHON); the
# cores between them share their code paths, so one Python each is enough, 3.11 on one, 3.12 on the others.
# meta/runtime.yml says requires_ansible >=2.17.0: every core from there on is here.
CORES = {
    "2.17": None,
    "2.18": "3.11",
    "2.19": "3.12",
    "2.20": "3.12",
    "2.21": "3.12",
    "2.22": None,
}
OLDEST, NEWEST = "2.17", "2.22"
# The oldest core's unit tests come in two sessions: every test on its oldest controller Python, and the
# module-side tests (which ansible-test runs on every target Python) on every Python. Its controller-side
# tests on 3.11 and 3.12 would repeat what 2.18 (3.11) and 2.19-2.21 (3.12) run: they took 6 of its 11 minutes.
UNITS_CONTROLLER_PYTHON = {"2.17": "3.10"}
MODULE_SIDE_UNIT_TESTS = ["tests/unit/plugins/modules/", "tests/unit/plugins/module_utils/"]  # a directory needs its "/"
# Cores whose newest PyPI release is a pre-release. antsibull-nox asks pip for
# `ansible-core>=X.Y,<X.Y+1`, which no X.Y.0rcN satisfies (rc1 sorts before X.Y.0).
PRERELEASES = {"2.22": "2.22.0rc1"}
# ansible-core 2.22's pylint requirements take `dill` from a GitHub URL, which pip cannot reach
# here (no network but the package mirror): pylint runs on every other core.
SANITY_SKIP = {"2.22": ["pylint"]}
# Units of this core run with --coverage; plugins/ must stay at least this well covered.
COVERAGE_CORE, COVERAGE_MIN = "2.19", 90.0

# Integration targets that write (the emulator variants matter for them).
WRITE_TARGETS = ["sim_integration", "sim_before_provisioning_rule", "servicenow_sim", "sim_integration_loop"]
# The writing Service Desk targets run on a variant when one of its flags applies to the Service Desk endpoints
# (tests/emulator/README.md, "Which flags apply"); elsewhere they would repeat integration-2.22's run.
SDIM_WRITE_TARGETS = ["service_desk_integration", "service_desk_status_check"]
SDIM_VARIANT_FLAGS = ("--secrets", "--status-codes", "--duplicate-status", "--patch-paths")
# Emulator variants: the API behaviours that differ between tenants and API versions. Each runs the
# writing targets on the newest core; the default emulator runs every target on the oldest and newest
# (so a "default" variant on the newest core would repeat integration-2.22).
VARIANTS = {
    "rest": ["--status-codes", "rest", "--patch-ops", "replace", "--patch-paths", "top",
             "--secrets", "mask", "--patch-body", "array"],
    "patch-operations": ["--patch-body", "operations"],
    "strict-top": ["--strict-dto", "--patch-paths", "top"],
    "duplicate-409": ["--duplicate-status", "409"],
}
INTEGRATION_CONFIG = "tests/integration/integration_config.yml"
# The oldest Python the modules support (tests/config.yml): older interpreters are not shown to ansible-test.
MIN_PYTHON_MINOR = 8
EMULATOR_LIFETIME = 1800  # seconds: an emulator never outlives a run by much, whatever happens


# ------------------------------------------------------------------------- machine preparation
def _real_interpreters_first() -> None:
    """Put real pythonX.Y interpreters first on PATH, and pyenv's shims off it.

    A shim of a version that pyenv has not selected exits 127: nox then finds no interpreter, and
    ansible-test counts the Python as failed instead of skipping it. A folder of links (not pyenv's
    bin folders themselves, whose `python` would be whichever version sorts first) fixes both.
    """
    links = ROOT / ".nox" / ".pybin"
    links.mkdir(parents=True, exist_ok=True)
    for binary in sorted(glob.glob(str(PYENV_ROOT / "versions" / "3.*" / "bin" / "python3.*"))):
        name = os.path.basename(binary)
        match = re.fullmatch(r"python3\.(\d+)", name)
        if not match or int(match.group(1)) < MIN_PYTHON_MINOR:
            continue
        link = links / name
        if not link.exists():
            try:
                link.symlink_to(binary)
            except FileExistsError:  # the other lane made it first
                pass
    # pyenv's shim folders go: through them ansible-test would still find e.g. python3.7 (2.17 supports
    # it as a target) and count its exit 127 as a failure instead of skipping a missing Python.
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
            if entry and entry != str(links) and not entry.rstrip("/").endswith("/shims")]
    os.environ["PATH"] = os.pathsep.join([str(links)] + path)


def _seed_get_pip() -> None:
    """ansible-test bootstraps pip in its venvs with a get-pip.py from a host CI cannot reach; it
    takes ~/.ansible/test/cache/get_pip_<X_Y>.py instead when that exists. The pip version is read
    from each session venv's ansible-test (callbacks get no session object, hence the glob)."""
    cache = Path.home() / ".ansible" / "test" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    pattern = str(ROOT / ".nox" / "*" / "lib" / "python3*" / "site-packages" / "ansible_test" / "_internal"
                  / "python_requirements.py")
    for source in glob.glob(pattern):
        match = re.search(r"pip='([0-9.]+)'", Path(source).read_text(encoding="utf-8"))
        if match:
            target = cache / ("get_pip_%s.py" % match.group(1).replace(".", "_"))
            if not target.exists():
                shutil.copyfile(ROOT / ".ci" / "get_pip_offline.py", target)


def _remove_ansible_test_tmp() -> None:
    # antsibull-nox 1.10 copies tests/output back bottom-up with mkdir() without parents and crashes on
    # the delegation venv that `--venv` leaves in tests/output/.tmp.
    shutil.rmtree("tests/output/.tmp", ignore_errors=True)


def _prerelease_aware_package_name(core_version, **kwargs):
    """antsibull-nox 1.10 has no setting for a pre-release from PyPI. add_ansible_test_session looks
    this helper up in its module when a session runs, so wrapping it there lets PRERELEASES widen the
    pip requirement to `>=X.Y.0rcN,<X.Y+1`. Drop it when antsibull-nox (or a final 2.22.0) makes it moot."""
    package = _get_ansible_core_package_name(core_version, **kwargs)
    prerelease = PRERELEASES.get(str(core_version))
    if prerelease and package.source == "pypi":
        package.name = "ansible-core>=%s,<%s" % (prerelease, core_version.next_minor_version())
    return package


_real_interpreters_first()
_get_ansible_core_package_name = _antsibull_ansible_test.get_ansible_core_package_name
_antsibull_ansible_test.get_ansible_core_package_name = _prerelease_aware_package_name
antsibull_nox.load_antsibull_nox_toml()


# ------------------------------------------------------------------------------------ emulator
_EMULATOR_CONFIGS: list = []  # absolute paths of the integration_config.yml files of running emulators


def emulator(action: str, flags: tuple = (), config: str = INTEGRATION_CONFIG) -> None:
    """Start ("up") or stop ("down") the emulators the integration targets talk to.

    The only place in this file that knows how: tests/emulator/harness.py starts a default and a
    --strict-dto emulator (both with `flags`), detached with a lifetime, and writes their URLs and
    clients into `config`; `down` stops what that config records. The Python running nox runs them
    (it has jsonpatch, see .ci/nox.txt).
    """
    if action == "down":
        while _EMULATOR_CONFIGS:
            path = _EMULATOR_CONFIGS.pop()
            if path.parent.is_dir():
                subprocess.run([sys.executable, str(ROOT / "tests" / "emulator" / "harness.py"), "down", "--config", str(path)],
                               check=False)
        return
    emulator("down")
    # A failed session skips callback_after. Registered now, after antsibull-nox registered the removal
    # of this session's collection copy (which holds the harness's state), so that it runs before it.
    atexit.register(emulator, "down")
    _EMULATOR_CONFIGS.append(Path(config).resolve())
    subprocess.run([sys.executable, "tests/emulator/harness.py", "up", "--config", config,
                    "--lifetime", str(EMULATOR_LIFETIME), "--", *flags], check=True)


@functools.lru_cache(maxsize=None)
def _emulator_usage() -> str:
    try:
        return subprocess.run([sys.executable, "tests/emulator/sim_emulator.py", "--help"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        return "(the emulator's --help failed with %s: %s)" % (sys.executable, error)


def _missing_emulator_flags(flags: list) -> list:
    """The variant flags that this checkout's emulator does not know (helper "emu" adds them)."""
    usage = _emulator_usage()
    return [flag for flag in flags if flag.startswith("--") and not re.search(r"(^|[\s\[])%s\b" % re.escape(flag), usage)]


# --------------------------------------------------------------------------- ansible-test sessions
# When ansible-test delegates to its venv, it drops the word right after --venv (units on 2.17:
# `--venv tests/unit/plugins/modules/` ran every unit test; `--venv sim_integration ...` in integration-live
# would have lost that target the same way): another option always follows --venv, so that the arguments a
# user gives after `--` are kept too.
VENV = ["--venv", COLOR_FLAG]


def _before_ansible_test() -> None:
    _seed_get_pip()


def _python_args(python: str | None) -> list:
    return ["--python", python] if python else []


def _coverage_gate() -> None:
    """Fail when the line coverage of plugins/ in this run's coverage XML is under COVERAGE_MIN."""
    reports = glob.glob("tests/output/reports/coverage*.xml")
    if not reports:
        raise RuntimeError("no coverage report in tests/output/reports/")
    files: dict = {}  # file -> {line number: hit}
    for report in reports:
        for element in ET.parse(report).getroot().iter("class"):
            name = element.get("filename", "")
            if "plugins/" in name and "tests/" not in name:  # plugins/ itself, not tests/unit/plugins/
                hits = files.setdefault(name[name.index("plugins/"):], {})
                for line in element.iter("line"):
                    number = line.get("number")
                    hits[number] = hits.get(number, False) or int(line.get("hits", "0")) > 0
    for name, hits in sorted(files.items()):
        print("  %-60s %5d lines %6.1f%%" % (name, len(hits), 100.0 * sum(hits.values()) / max(len(hits), 1)))
    valid = sum(len(hits) for hits in files.values())
    percent = 100.0 * sum(sum(hits.values()) for hits in files.values()) / max(valid, 1)
    print("coverage of plugins/: %.1f%% of %d lines (minimum %.0f%%)" % (percent, valid, COVERAGE_MIN))
    if percent < COVERAGE_MIN:
        raise RuntimeError("coverage of plugins/ is %.1f%%, under the minimum of %.0f%%" % (percent, COVERAGE_MIN))


def _after_units_with_coverage() -> None:
    _coverage_gate()
    _remove_ansible_test_tmp()


for _core in CORES:
    _skips = [arg for test in SANITY_SKIP.get(_core, []) for arg in ("--skip-test", test)]
    antsibull_nox.add_ansible_test_session(
        name="sanity-%s" % _core,
        description="ansible-test sanity --venv, ansible-core %s (%s)" % (
            _core, "Python %s" % CORES[_core] if CORES[_core] else "every installed Python it supports"),
        ansible_test_params=["sanity", *VENV, *_python_args(CORES[_core]), *_skips],
        default=True,
        ansible_core_version=_core,
        ansible_core_source="pypi",
        callback_before=_before_ansible_test,
        callback_after=_remove_ansible_test_tmp,
    )
    _coverage = ["--coverage"] if _core == COVERAGE_CORE else []
    _controller = UNITS_CONTROLLER_PYTHON.get(_core)
    antsibull_nox.add_ansible_test_session(
        name="units-%s" % _core,
        description="ansible-test units --venv, ansible-core %s%s%s" % (
            _core, ", with coverage" if _coverage else "", ", Python %s" % _controller if _controller else ""),
        ansible_test_params=["units", *VENV, *_python_args(_controller or CORES[_core]), *_coverage],
        default=True,
        ansible_core_version=_core,
        ansible_core_source="pypi",
        callback_before=_before_ansible_test,
        callback_after=_after_units_with_coverage if _coverage else _remove_ansible_test_tmp,
    )
    if _controller:
        antsibull_nox.add_ansible_test_session(
            name="units-%s-modules" % _core,
            description="ansible-test units --venv %s, ansible-core %s, every installed Python it supports" % (
                " ".join(MODULE_SIDE_UNIT_TESTS), _core),
            ansible_test_params=["units", *VENV, *MODULE_SIDE_UNIT_TESTS],
            default=True,
            ansible_core_version=_core,
            ansible_core_source="pypi",
            callback_before=_before_ansible_test,
            callback_after=_remove_ansible_test_tmp,
        )


def _add_integration_session(name: str, description: str, core: str, targets: list, flags: list) -> None:
    """An ansible-test integration session against emulators started with `flags`.

    A variant whose flags the emulator does not know yet is registered as a session that is
    skipped with the reason, so the summary shows it (it never passes without running)."""
    missing = _missing_emulator_flags(flags)
    if missing:
        def skipped(session: nox.Session) -> None:
            session.skip("the emulator does not support %s yet (helper emu adds the variant flags)" % " ".join(missing))
        skipped.__doc__ = description + " [skipped: emulator lacks %s]" % " ".join(missing)
        nox.session(name=name, default=True, python=False)(skipped)
        return

    def before() -> None:
        _seed_get_pip()
        emulator("up", tuple(flags))

    def after() -> None:
        emulator("down")
        _remove_ansible_test_tmp()

    antsibull_nox.add_ansible_test_session(
        name=name,
        description=description,
        ansible_test_params=["integration", *VENV, "--continue-on-error", *targets],
        default=True,
        ansible_core_version=core,
        ansible_core_source="pypi",
        callback_before=before,
        callback_after=after,
    )


for _core in (OLDEST, NEWEST):
    _add_integration_session("integration-%s" % _core, "every integration target, default emulator, ansible-core %s" % _core,
                             _core, [], [])


def _variant_targets(flags: list) -> list:
    return WRITE_TARGETS + (SDIM_WRITE_TARGETS if any(flag in SDIM_VARIANT_FLAGS for flag in flags) else [])


for _variant, _flags in VARIANTS.items():
    _add_integration_session("integration-%s-%s" % (NEWEST, _variant),
                             "the writing targets against the emulator with %s, ansible-core %s" % (" ".join(_flags), NEWEST),
                             NEWEST, _variant_targets(_flags), _flags)


# ------------------------------------------------------------------------------ live tenant
_LIVE_ENV = ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET")


def _live_before() -> None:
    _seed_get_pip()
    # Environment variables do not reach the targets (ansible-test passes only a few): the config does.
    # The copy it is written into is a temporary directory, removed with the session.
    base_url, client_id, client_secret = (os.environ[name] for name in _LIVE_ENV)
    values = {"sim_live": True, "sim_emulator_url": base_url, "sim_emulator_strict_url": base_url,
              "sim_client_id": client_id, "sim_client_secret": client_secret}
    # JSON scalars are YAML scalars: no quoting rules to get wrong with a secret's characters.
    Path(INTEGRATION_CONFIG).write_text("".join("%s: %s\n" % (key, json.dumps(value)) for key, value in values.items()),
                                        encoding="utf-8")


def _live_after() -> None:
    Path(INTEGRATION_CONFIG).unlink()
    _remove_ansible_test_tmp()


if all(os.environ.get(name) for name in _LIVE_ENV):
    antsibull_nox.add_ansible_test_session(
        name="integration-live",
        description="the writing targets against the tenant at $SAIL_BASE_URL, ansible-core %s" % NEWEST,
        ansible_test_params=["integration", *VENV, *WRITE_TARGETS, *SDIM_WRITE_TARGETS],
        default=True,
        ansible_core_version=NEWEST,
        ansible_core_source="pypi",
        callback_before=_live_before,
        callback_after=_live_after,
    )
else:
    @nox.session(name="integration-live", default=True, python=False)
    def integration_live(session: nox.Session) -> None:
        """The writing targets against a real tenant (needs SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET)."""
        session.skip("no tenant: set %s to run the integration targets against a real tenant" % ", ".join(_LIVE_ENV))


# ----------------------------------------------------------------------------- small sessions
@nox.session(name="emulator-tests", default=True)
def emulator_tests(session: nox.Session) -> None:
    """pytest tests/emulator: the emulator against its OpenAPI definitions, its CLI and fault rules."""
    session.install("-r", "tests/emulator/requirements.txt")
    session.run("python", "-m", "pytest", "tests/emulator", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="awx-runner", default=True)
def awx_runner(session: nox.Session) -> None:
    """pytest tests/awx: the AWX job-template playbook through ansible-runner with the credential type's env."""
    session.install("-r", "tests/awx/requirements.txt")
    session.run("python", "-m", "pytest", "tests/awx", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="changelog-lint", default=True)
def changelog_lint(session: nox.Session) -> None:
    """antsibull-changelog lint: the fragments in changelogs/fragments/ and changelogs/changelog.yaml."""
    session.install("antsibull-changelog==0.36.0")
    session.run("antsibull-changelog", "lint", "-v")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")


@nox.session(name="ee-create", default=True)
def ee_create(session: nox.Session) -> None:
    """ansible-builder create on ee/execution-environment.yml with this collection's tarball, and
    ansible-builder introspect finds the dependencies meta/execution-environment.yml declares."""
    session.install("ansible-builder==3.2.0", "ansible-core>=2.19.14,<2.20")
    work = Path(session.create_tmp()) / "ee"
    shutil.rmtree(work, ignore_errors=True)
    (work / "collections" / "ansible_collections").mkdir(parents=True)
    definition = ROOT / "ee" / "execution-environment.yml"
    text = definition.read_text(encoding="utf-8")
    version = re.search(r"^version:\s*['\"]?([^'\"\s]+)", (ROOT / "galaxy.yml").read_text(encoding="utf-8"), re.M).group(1)
    tarball = "sailpoint-identitynow-%s.tar.gz" % version
    if tarball not in text:
        session.error("ee/execution-environment.yml does not name %s (the version in galaxy.yml)" % tarball)
    shutil.copy(definition, work / "execution-environment.yml")
    session.run("ansible-galaxy", "collection", "build", str(ROOT), "--output-path", str(work))
    session.run("ansible-builder", "create", "-f", str(work / "execution-environment.yml"), "-c", str(work / "context"),
                "--output-filename", "Containerfile", "-v", "2")
    context = work / "context"
    if "ansible-galaxy collection install" not in (context / "Containerfile").read_text(encoding="utf-8"):
        session.error("the Containerfile installs no collection")
    if "/build/collections/%s" % tarball not in (context / "_build" / "requirements.yml").read_text(encoding="utf-8"):
        session.error("the build's requirements.yml does not name /build/collections/%s" % tarball)
    if not (context / "_build" / "collections" / tarball).is_file():
        session.error("the build context has no %s" % tarball)
    # What a build takes from the installed collection: meta/execution-environment.yml's dependencies.
    session.run("ansible-galaxy", "collection", "install", str(work / tarball), "-p", str(work / "collections"))
    introspected = session.run("ansible-builder", "introspect", "--sanitize", str(work / "collections"), silent=True)
    print(introspected)
    for requirement in (ROOT / "requirements.txt").read_text(encoding="utf-8").split("\n"):
        name = re.split(r"[<>=!~;\s\[]", requirement.strip(), maxsplit=1)[0]
        if name and not name.startswith("#") and name.lower() not in introspected.lower():
            session.error("ansible-builder introspect does not list %s from requirements.txt" % name)
