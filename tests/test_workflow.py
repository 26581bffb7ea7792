"""The GitHub Pages workflow: builds with the README's command and deploys with the official actions."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from conftest import REPO
from generator.commands.cli import parser

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step_using(workflow: dict, job: str, action: str) -> dict:
    found = [s for s in steps(workflow, job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"{job}: one step using {action} expected"
    return found[0]


def test_it_runs_on_a_push_to_main_and_by_hand(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_it_has_the_permissions_pages_needs_and_no_more(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False  # a deployment is never cut short


def test_the_build_runs_make_site_with_the_pages_base_url(workflow):
    build = steps(workflow, "build")
    runs = [s for s in build if "run" in s]
    assert [s["run"] for s in runs] == ["make site"]
    assert "make site" in (REPO / "README.md").read_text(encoding="utf-8")  # the README's command
    configure = step_using(workflow, "build", "actions/configure-pages")
    assert configure["id"] == "pages"
    assert runs[0]["env"]["CAKUPAN_BASE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    order = [build.index(s) for s in (step_using(workflow, "build", "actions/checkout"), configure, runs[0],
                                      step_using(workflow, "build", "actions/upload-pages-artifact"))]
    assert order == sorted(order)


def test_the_build_cache_is_kept_between_runs_before_the_build(workflow, monkeypatch):
    """The folder cached is the one `cakupan build` uses on the runner (no CAKUPAN_CACHE_DIR set there), with
    the site it built, so the next deploy is a rebuild into that site."""
    from generator.charts import draw

    kept = step_using(workflow, "build", "actions/cache")
    home = REPO / "runner-home"
    monkeypatch.delenv("CAKUPAN_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    cache_dir, site = kept["with"]["path"].split()
    assert cache_dir.replace("~", str(home)) == str(draw.cache_dir())
    assert site == step_using(workflow, "build", "actions/upload-pages-artifact")["with"]["path"]  # (the rebuild's)
    assert kept["with"]["key"].startswith(kept["with"]["restore-keys"])  # an exact key, then the newest
    build = steps(workflow, "build")
    assert build.index(kept) < build.index([s for s in build if s.get("run") == "make site"][0])
    assert all("CAKUPAN_CACHE_DIR" not in s.get("env", {}) for s in build)


def test_python_is_a_version_the_project_supports(workflow):
    wanted = step_using(workflow, "build", "actions/setup-python")["with"]["python-version"]
    floor = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert floor == ">=" + wanted


def test_the_artifact_is_the_folder_cakupan_build_writes(workflow):
    upload = step_using(workflow, "build", "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    assert parser().parse_args(["build"]).out == "site"
    assert re.search(r"^site: .*\n\t\$\(BIN\)/cakupan build$", (REPO / "Makefile").read_text(), re.M)


def test_deploy_pages_publishes_the_artifact(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert step_using(workflow, "deploy", "actions/deploy-pages")["id"] == "deployment"


def test_every_action_is_an_official_one_pinned_to_a_major_version(workflow):
    used = [s["uses"] for job in workflow["jobs"] for s in steps(workflow, job) if "uses" in s]
    assert sorted(u.split("@")[0] for u in used) == sorted([
        "actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache",
        "actions/upload-pages-artifact", "actions/deploy-pages"])
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in used), used


def test_actionlint_finds_nothing_when_it_is_installed():
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (optional: it has no PyPI package that installs offline)")
    result = subprocess.run([actionlint, str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
