"""What the Dockerfile does works: its install and start commands, run outside Docker.

No Docker engine runs on our machines, so this test reads the Dockerfile, replays the
build stage's COPY and RUN in a temporary directory (a fresh virtual environment from
the project's own metadata), then starts the image's ENTRYPOINT + CMD with the image's
ENV, and checks it stops at the token check with the documented message and status.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
# A fresh venv plus the runtime dependencies from the registry; generous for slow mirrors.
INSTALL_TIMEOUT_S = 600
START_TIMEOUT_S = 60


@dataclass
class Stage:
    """One FROM ... stage: its instructions in order, continuation lines joined."""

    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        """Arguments of every instruction with this keyword."""
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages of a Dockerfile (enough of the format for ours: no heredocs)."""
    joined = text.replace("\\\n", " ")
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stages.append(Stage(args.split()[0]))
        else:
            stages[-1].instructions.append((keyword, " ".join(args.split())))
    return stages


def _exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), f"use the exec form (JSON array): {args}"
    return [str(v) for v in value]


def _env(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in stage.all("ENV"):
        for pair in shlex.split(args):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def test_dockerfile_shape() -> None:
    build, runtime = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    assert build.base.startswith("python:3.11-slim") and runtime.base == build.base
    assert runtime.all("USER") and runtime.all("USER")[-1].split(":")[0] != "root"
    assert any("/data" in v for v in runtime.all("VOLUME"))
    assert runtime.all("HEALTHCHECK") and "/healthz" in runtime.all("HEALTHCHECK")[0]
    assert _exec_form(runtime.all("ENTRYPOINT")[0]) == ["strikebot"]
    assert _exec_form(runtime.all("CMD")[0]) == ["run"]
    # The health check's Python one-liner at least compiles.
    check = runtime.all("HEALTHCHECK")[0]
    command = _exec_form(check[check.index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"]
    compile(command[2], "<healthcheck>", "exec")


@pytest.mark.skipif(shutil.which("python3") is None, reason="needs python3 to build a venv")
def test_image_install_and_start_commands_work(tmp_path: Path) -> None:
    build, runtime = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    src = tmp_path / "src"
    src.mkdir()
    for args in build.all("COPY"):
        *sources, _target = args.split()
        for source in sources:
            origin = REPO_ROOT / source
            if origin.is_dir():
                shutil.copytree(origin, src / source, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(origin, src / Path(source).name)
    venv = tmp_path / "venv"
    for command in build.all("RUN"):
        replayed = command.replace("/opt/venv", str(venv)).replace(
            "python -m venv", "python3 -m venv"
        )
        done = subprocess.run(
            ["bash", "-c", replayed],
            cwd=src,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
            check=False,
        )
        assert done.returncode == 0, f"RUN {command}\n{done.stdout}\n{done.stderr}"

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "STRIKEBOT_"))}
    env.update(_env(runtime))
    env["PATH"] = env["PATH"].replace("/opt/venv", str(venv))
    env["STRIKEBOT_KNOWLEDGE"] = str(REPO_ROOT / "knowledge")  # the COPY'd /app/knowledge
    env["STRIKEBOT_DATA_DIR"] = str(tmp_path / "data")  # the /data volume
    command = _exec_form(runtime.all("ENTRYPOINT")[0]) + _exec_form(runtime.all("CMD")[0])
    command[0] = str(venv / "bin" / command[0])
    started = subprocess.run(
        command,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )
    assert started.returncode == 2, started.stderr
    assert "DISCORD_TOKEN" in started.stderr
    assert "Traceback" not in started.stderr
    # The image's venv holds the package and its console script, not the source tree.
    assert (venv / "bin" / "strikebot").exists()
