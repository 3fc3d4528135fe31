"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit.

``pre-commit try-repo`` clones a hook repository at its HEAD, builds a venv
and pip-installs the project into it. This checkout may have uncommitted
work (and must not be committed to by a test), so the module copies the
working tree (tracked and untracked files, not the ignored ones) into a
temporary repository, commits it there, and points try-repo at that copy.
try-repo builds its environment in a store of its own each run; the copy is
made once for the module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import read_article

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.precommit,
    pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git"),
]

DIRTY = (
    "Storm hits the coast\n\n"
    "The storm arrived at midnight and flooded the harbour, officials said on Monday.\n\n"
    "Residents were told to stay indoors until the water went down again.\n\n"
    "source site-12\n"
)
CLEAN = (
    "Council approves the new bridge\n\n"
    "The town council approved the plans for a new bridge over the river on Tuesday evening.\n\n"
    "Work is expected to start in the spring and to take about two years.\n"
)


@pytest.fixture(scope="module")
def git_env(tmp_path_factory) -> dict[str, str]:
    """An environment where git and pre-commit see nothing of this machine's settings."""
    home = tmp_path_factory.mktemp("precommit-home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = clean-articles tests\n\temail = tests@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))
    }
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(home / "cache"),
        PRE_COMMIT_COLOR="never",
    )
    return env


def git(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout


#: Never part of the copy when this is not a git checkout (an unpacked sdist, say).
NOT_SOURCE = (".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "build", "dist")


def project_files() -> list[str]:
    """This checkout's files as the working tree has them, minus what git ignores."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        return sorted(
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if path.is_file() and not set(path.relative_to(ROOT).parts) & set(NOT_SOURCE)
        )
    names = listing.stdout.split("\0")
    return sorted({name for name in names if name and (ROOT / name).is_file()})


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, git_env) -> Path:
    """A committed copy of this checkout, for try-repo to clone."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in project_files():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git(["init", "-q"], repo, git_env)
    git(["add", "-A"], repo, git_env)
    git(["commit", "-q", "-m", "copy of the checkout under test"], repo, git_env)
    return repo


def article_repo(root: Path, env: dict[str, str]) -> Path:
    """A repository with one article to repair and one already clean, staged."""
    work = root / "articles-repo"
    (work / "articles").mkdir(parents=True)
    (work / "articles" / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (work / "articles" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    git(["init", "-q"], work, env)
    git(["add", "-A"], work, env)
    return work


def try_repo(
    hook_repo: Path, hook: str, work: Path, env: dict[str, str]
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--all-files"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_fix_hook_repairs_then_passes(hook_repo, git_env, tmp_path):
    work = article_repo(tmp_path, git_env)
    first = try_repo(hook_repo, "clean-articles", work, git_env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    fixed = read_article(work / "articles" / "dirty.txt")
    assert "source site" not in fixed and fixed.endswith("went down again.\n")
    assert read_article(work / "articles" / "clean.txt") == CLEAN

    second = try_repo(hook_repo, "clean-articles", work, git_env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout


def test_check_hook_fails_without_writing(hook_repo, git_env, tmp_path):
    work = article_repo(tmp_path, git_env)
    proc = try_repo(hook_repo, "clean-articles-check", work, git_env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "articles/dirty.txt:7:1: BP101 source-site-trailer" in proc.stdout
    assert "clean.txt" not in proc.stdout.replace("clean-articles", "")
    assert read_article(work / "articles" / "dirty.txt") == DIRTY
    assert "files were modified" not in proc.stdout


#: Files a repository of articles also holds, each with text a rule would "clean".
NOT_ARTICLES = {
    "tool.py": "def main():\n    return 1\n\n\n\n# source site-12\n",
    "notes.md": "# Notes\n\nsource site-12\n\nPrevious article\n\n\n\n",
    "meta.json": '{"title":  "Storm", "trailer": "source site-12"}\n',
}


def mixed_repo(root: Path, env: dict[str, str]) -> Path:
    work = article_repo(root, env)
    for name, text in NOT_ARTICLES.items():
        (work / name).write_text(text, encoding="utf-8")
    git(["add", "-A"], work, env)
    return work


def test_hooks_touch_only_articles(hook_repo, git_env, tmp_path):
    work = mixed_repo(tmp_path, git_env)
    before = {name: (work / name).read_bytes() for name in NOT_ARTICLES}
    proc = try_repo(hook_repo, "clean-articles", work, git_env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "source site" not in read_article(work / "articles" / "dirty.txt")
    assert {name: (work / name).read_bytes() for name in NOT_ARTICLES} == before


def test_readme_pre_commit_example_works_as_written(hook_repo, git_env, tmp_path):
    """The README's configuration, with its two placeholders filled in as it says."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### pre-commit\n", 1)[1].split("\n### ", 1)[0]
    config = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    url = "<URL of this repository>"
    sha = git(["ls-remote", str(hook_repo), "HEAD"], tmp_path, git_env).split()[0]
    config = config.replace(url, str(hook_repo)).replace("<commit sha>", sha)
    assert "<" not in config.split("#", 1)[0]
    work = mixed_repo(tmp_path, git_env)
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    before = {name: (work / name).read_bytes() for name in NOT_ARTICLES}
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    proc = subprocess.run(run, cwd=work, env=git_env, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout
    assert "source site" not in read_article(work / "articles" / "dirty.txt")
    assert {name: (work / name).read_bytes() for name in NOT_ARTICLES} == before
